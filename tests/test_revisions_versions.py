"""An edit awaiting approval follows its question into the next revision.

Learners keep the approved version meanwhile; approving the edit, in the old
revision or in the new one, gives it to the learners of both, and the
instructor is told at each step. Real SQLite file, the web upload runs
``quiz import-file`` in a child process as in production.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from test_author_sheets import post_upload
from test_author_versions import approve, edit, logged_in_client
from test_upload_command import REWRITTEN, SUEZ, SUEZ_2019, SUEZ_2021, imported

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, STATUS_SUPERSEDED, Question
from quiz.services.exchange import exporting
from quiz.services.library.sheets import find_revision
from quiz.services.study import attempts

EDITED_PROMPT = "Version 2, awaiting approval: _____ ?"


def an_unchanged_cloze(app: Flask) -> int:
    """An approved cloze question of 2019 whose paragraph 2021 leaves as it is."""
    with app.app_context():
        return next(
            q.id
            for q in find_revision(SUEZ, "2019").questions
            if q.status == STATUS_APPROVED
            and q.type == "cloze"
            and not q.paragraph.text.startswith(REWRITTEN)
        )


def rows_of(app: Flask, label: str, uid: str) -> list[tuple[int, int, str, str]]:
    """(id, version, status, prompt) of every row of ``uid`` in revision ``label``, by version."""
    with app.app_context():
        revision = find_revision(SUEZ, label)
        query = (
            select(Question)
            .where(Question.revision_id == revision.id, Question.uid == uid)
            .order_by(Question.version)  # PostgreSQL moves an updated row to the end
        )
        return [(q.id, q.version, q.status, q.prompt) for q in db.session.scalars(query)]


def served_prompts(app: Flask, uid: str) -> tuple[list[str], str]:
    """What learners of the latest revision are drawn for ``uid``, and what exports hold."""
    with app.app_context():
        latest = find_revision(SUEZ)
        drawn = [
            q.prompt for q in attempts.candidate_questions(latest, None, None) if q.uid == uid
        ]
        [exported] = [r for r in exporting.select_records(SUEZ).records if r["id"] == uid]
        return drawn, exported["prompt"]


def pending_edit_across_a_revision(
    app: Flask, runner: FlaskCliRunner
) -> tuple[FlaskClient, str, int]:
    """2019 approved, one cloze edited (version 2, a draft), then 2021 uploaded on the web.

    Returns the instructor's client, the question's uid and the id of the 2019 draft.
    """
    imported(runner, SUEZ_2019, "--sheet", SUEZ, "--revision", "2019", "--approve")
    served_id = an_unchanged_cloze(app)
    client = logged_in_client(app)
    draft_id = edit(client, served_id, {"prompt": EDITED_PROMPT})
    with app.app_context():
        uid = db.session.get(Question, draft_id).uid
    response = post_upload(client, f"/author/sheets/{SUEZ}/upload", SUEZ_2021, revision="2021")
    assert response.status_code == 303, response.get_data(as_text=True)
    # The job's page (the job ran in the request), then the revision's.
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "1 edit awaiting approval came along into this revision" in page
    return client, uid, draft_id


def test_a_pending_edit_follows_its_question_and_approving_it_reaches_the_latest_revision(
    app: Flask, runner: FlaskCliRunner
) -> None:
    client, uid, draft_id = pending_edit_across_a_revision(app, runner)
    [copy, pending] = rows_of(app, "2021", uid)
    served_prompt = copy[3]
    assert copy[1:3] == (1, STATUS_APPROVED)
    assert pending[1:] == (2, STATUS_DRAFT, EDITED_PROMPT)
    assert served_prompts(app, uid) == ([served_prompt], served_prompt)

    approve(client, draft_id)  # from the old revision's question page, where it was edited

    page = client.get(f"/author/questions/{draft_id}").get_data(as_text=True)
    assert "Version 2 approved: learners get it now." in page
    assert "the same edit is approved in revision 2021 too" in page
    assert [status for _, _, status, _ in rows_of(app, "2021", uid)] == [
        STATUS_SUPERSEDED,
        STATUS_APPROVED,
    ]
    assert [status for _, _, status, _ in rows_of(app, "2019", uid)] == [
        STATUS_SUPERSEDED,
        STATUS_APPROVED,
    ]
    assert served_prompts(app, uid) == ([EDITED_PROMPT], EDITED_PROMPT)


def test_approving_the_carried_edit_approves_the_old_revisions_copy_too(
    app: Flask, runner: FlaskCliRunner
) -> None:
    client, uid, draft_id = pending_edit_across_a_revision(app, runner)
    pending_id = rows_of(app, "2021", uid)[1][0]

    approve(client, pending_id)

    page = client.get(f"/author/questions/{pending_id}").get_data(as_text=True)
    assert "the same edit is approved in revision 2019 too" in page
    assert served_prompts(app, uid) == ([EDITED_PROMPT], EDITED_PROMPT)
    with app.app_context():
        assert db.session.get(Question, draft_id).status == STATUS_APPROVED


def test_a_later_revision_carries_the_edit_again_and_leaves_the_earlier_copy_alone(
    app: Flask, runner: FlaskCliRunner
) -> None:
    _client, uid, _draft_id = pending_edit_across_a_revision(app, runner)
    before = rows_of(app, "2021", uid)
    imported(runner, SUEZ_2021, "--sheet", SUEZ, "--revision", "2022")
    assert rows_of(app, "2021", uid) == before
    assert [row[1:3] for row in rows_of(app, "2022", uid)] == [
        (1, STATUS_APPROVED),
        (2, STATUS_DRAFT),
    ]
