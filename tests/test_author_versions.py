"""Question versions: an edit of a served question is a new row, approved before learners see it.

Through the pages (Flask test client, CSRF on, a real SQLite file): a learner's
answer keeps the version it answered, feedback and summary included; a draft
version is never drawn while the approved one is; a learner midway keeps the
question drawn; approving supersedes (from the editor or the queue); only the
newest version can be approved; an answered draft gets a new version; a new
import of the sheets leaves every edited version as it is.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import (
    answer_current,
    csrf_token,
    logged_in_client,
    question_id_of,
    start_quiz,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from test_author_editor import edit_url, opened

from quiz.extensions import db
from quiz.models import Question, Revision
from quiz.services.study import attempts


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    """A client logged in as an instructor, reading the interface in English."""
    return logged_in_client(site)


@pytest.fixture
def visitor(site: Flask) -> FlaskClient:
    """A learner without an account."""
    return site.test_client()


def only_served(site: Flask, question_id: int) -> None:
    """Make ``question_id`` the only approved question of its revision."""
    with site.app_context():
        revision_id = db.session.get(Question, question_id).revision_id
        db.session.execute(
            update(Question)
            .where(Question.revision_id == revision_id, Question.id != question_id)
            .values(status="draft")
        )
        db.session.commit()


def row(site: Flask, question_id: int) -> Question:
    """A question's row, detached with its paragraph's text loaded."""
    with site.app_context():
        question = db.session.get(Question, question_id)
        _ = question.paragraph.text
        db.session.expunge_all()
        return question


def rewritten(site: Flask, question_id: int) -> dict[str, Any]:
    """New prompt, answer and evidence for a cloze question: another word of its paragraph."""
    old = row(site, question_id)
    text = old.paragraph.text
    words = [w for w in re.findall(r"\w{6,}", text) if text.count(w) == 1 and w not in old.answer]
    answer = words[-1]
    start = text.index(answer)
    return {
        "prompt": "Nouvel énoncé : _____ ?",
        "answer": answer,
        "accepted": "",
        "explanation": "Réécrite.",
        "evidence_start": str(start),
        "evidence_end": str(start + len(answer)),
    }


def edit(client: FlaskClient, question_id: int, changes: dict[str, Any]) -> int:
    """Save ``changes`` in the editor of ``question_id``; return the id of the row that holds them."""
    response = client.post(edit_url(question_id), data=opened(client, question_id) | changes)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def approve(client: FlaskClient, question_id: int) -> None:
    """Press the approve button of a question's page."""
    page = client.get(f"/author/questions/{question_id}").get_data(as_text=True)
    response = client.post(
        f"/author/questions/{question_id}/approve", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 303


def statuses(site: Flask, *ids: int) -> list[str]:
    with site.app_context():
        return [db.session.get(Question, question_id).status for question_id in ids]


def drawable_ids(site: Flask, label: str) -> list[int]:
    """The questions a new quiz on the revision ``label`` may draw (no type or topic filter)."""
    with site.app_context():
        revision = db.session.scalar(select(Revision).filter_by(label=label))
        return [q.id for q in attempts.candidate_questions(revision, None, None)]


def queue_ids(client: FlaskClient, query: str) -> list[int]:
    """The ids the review queue lists for ``query``, on every page."""
    ids: list[int] = []
    for number in range(1, 100):
        page = client.get(f"/author/questions?status=&{query}&page={number}").get_data(as_text=True)
        ids += [int(i) for i in re.findall(r'name="question_ids" value="(\d+)"', page)]
        if 'rel="next"' not in page:
            return ids
    raise AssertionError("the queue never ends")


def served_cloze(site: Flask) -> tuple[int, str]:
    """A generated cloze made the only question served on its revision: its id and the label.

    The cloze of the newest revision that has one (the later built-in revision may
    have none: its text is mostly page furniture, never asked).
    """
    with site.app_context():
        found = db.session.execute(
            select(Question.id, Revision.label)
            .join(Revision)
            .where(Question.type == "cloze", Question.edited_at.is_(None))
            .order_by(Revision.position.desc(), Question.id)
        ).first()
        assert found is not None, "the built-in sheet should have a cloze"
    only_served(site, found.id)
    return found.id, found.label


def others_of_its_revision(site: Flask, question_id: int) -> list[int]:
    """The ids of the other questions of the question's revision, in id order."""
    with site.app_context():
        revision_id = db.session.get(Question, question_id).revision_id
        query = select(Question.id).where(
            Question.revision_id == revision_id, Question.id != question_id
        )
        return list(db.session.scalars(query.order_by(Question.id)))


def test_an_answer_keeps_the_version_it_answered(
    instructor: FlaskClient, visitor: FlaskClient, site: Flask
) -> None:
    v1, label = served_cloze(site)
    quiz = start_quiz(visitor, count=1, revision=label, types=("cloze",))
    answered, _ = answer_current(visitor, site, quiz)
    assert answered == v1
    old = row(site, v1)
    evidence = old.paragraph.text[old.evidence_start : old.evidence_end]
    changes = rewritten(site, v1)
    v2 = edit(instructor, v1, changes)
    approve(instructor, v2)
    assert statuses(site, v1, v2) == ["superseded", "approved"]
    for page_url in (f"{quiz}/summary", f"{quiz}/answers/{v1}"):
        page = visitor.get(page_url).get_data(as_text=True).replace("&#39;", "'")
        assert old.prompt in page and f'<dd class="expected" lang="fr">{old.answer}</dd>' in page
        assert f"<mark>{evidence}</mark>" in page
        assert changes["prompt"] not in page and f">{changes['answer']}</" not in page
    new_quiz = start_quiz(visitor, count=1, revision=label, types=("cloze",))
    page = visitor.get(new_quiz).get_data(as_text=True)
    assert question_id_of(page) == v2 and changes["prompt"] in page


def test_a_draft_version_is_never_served(
    instructor: FlaskClient, visitor: FlaskClient, site: Flask
) -> None:
    v1, label = served_cloze(site)
    v2 = edit(instructor, v1, rewritten(site, v1))
    assert statuses(site, v1, v2) == ["approved", "draft"]
    quiz = start_quiz(visitor, count=5, revision=label, types=("cloze",))
    assert question_id_of(visitor.get(quiz).get_data(as_text=True)) == v1
    assert drawable_ids(site, label) == [v1]


def test_a_learner_midway_keeps_the_question_drawn(
    instructor: FlaskClient, visitor: FlaskClient, site: Flask
) -> None:
    v1, label = served_cloze(site)
    quiz = start_quiz(visitor, count=1, revision=label, types=("cloze",))
    v2 = edit(instructor, v1, rewritten(site, v1))
    approve(instructor, v2)
    answered, feedback = answer_current(visitor, site, quiz)
    assert answered == v1 and "verdict-right" in feedback
    assert drawable_ids(site, label) == [v2]


def test_the_queue_approves_and_supersedes_and_hides_earlier_versions(
    instructor: FlaskClient, site: Flask
) -> None:
    v1, label = served_cloze(site)
    v2 = edit(instructor, v1, {"explanation": "Revue."})
    token = csrf_token(instructor.get("/author/questions").get_data(as_text=True))
    data = {"csrf_token": token, "action": "approve", "question_ids": [str(v1), str(v2)]}
    assert instructor.post("/author/questions", data=data).status_code == 303
    assert statuses(site, v1, v2) == ["superseded", "approved"]
    listed = queue_ids(instructor, f"type=cloze&revision={label}")
    assert v2 in listed and v1 not in listed


def test_only_the_newest_version_can_be_approved(instructor: FlaskClient, site: Flask) -> None:
    v1, _label = served_cloze(site)
    v2 = edit(instructor, v1, {"explanation": "Revue."})
    with site.app_context():
        db.session.execute(update(Question).where(Question.id == v1).values(status="draft"))
        db.session.commit()
    approve(instructor, v1)
    assert statuses(site, v1, v2) == ["draft", "draft"]
    page = instructor.get(f"/author/questions/{v1}").get_data(as_text=True)
    assert 'id="approve"' not in page and f'href="/author/questions/{v2}"' in page


def test_a_version_failing_a_check_is_not_approved(instructor: FlaskClient, site: Flask) -> None:
    v1, _label = served_cloze(site)
    v2 = edit(instructor, v1, {"explanation": "Revue."})
    with site.app_context():
        db.session.execute(
            update(Question).where(Question.id == v2).values(answer="Zanzibar", accepted=[])
        )
        db.session.commit()
    page = instructor.get(f"/author/questions/{v2}").get_data(as_text=True)
    assert 'id="approve"' not in page and "check-failed" in page
    approve(instructor, v2)
    assert statuses(site, v1, v2) == ["approved", "draft"]


def test_an_answered_draft_gets_a_new_version(
    instructor: FlaskClient, visitor: FlaskClient, site: Flask
) -> None:
    v1, label = served_cloze(site)
    answer_current(visitor, site, start_quiz(visitor, count=1, revision=label, types=("cloze",)))
    with site.app_context():
        db.session.execute(update(Question).where(Question.id == v1).values(status="draft"))
        db.session.commit()
    v2 = edit(instructor, v1, {"explanation": "Revue."})
    assert v2 != v1 and row(site, v1).explanation != "Revue."


def test_an_import_leaves_edited_versions_alone(instructor: FlaskClient, site: Flask) -> None:
    v1, _label = served_cloze(site)
    v2 = edit(instructor, v1, rewritten(site, v1))
    approve(instructor, v2)
    # Two generated questions of the same revision, drafts since ``served_cloze``.
    draft, untouched = [i for i in others_of_its_revision(site, v1) if i != v2][:2]
    assert edit(instructor, draft, {"explanation": "Revue sur place."}) == draft
    with site.app_context():
        db.session.execute(update(Question).where(Question.id == untouched).values(prompt="X"))
        # A changed file makes the import sync every revision again.
        db.session.execute(update(Revision).values(content_hash="0" * 64))
        db.session.commit()
        before = {
            q.id: (q.status, q.version, q.prompt, q.answer, q.explanation)
            for q in db.session.scalars(select(Question).where(Question.id.in_([v1, v2, draft])))
        }
    result = site.test_cli_runner().invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    with site.app_context():
        after = {
            q.id: (q.status, q.version, q.prompt, q.answer, q.explanation)
            for q in db.session.scalars(select(Question).where(Question.id.in_([v1, v2, draft])))
        }
        assert db.session.get(Question, untouched).prompt != "X"  # the sync did run
    assert after == before
    assert before[v1][0] == "superseded" and before[v2][:2] == ("approved", 2)


def test_moving_the_evidence_requotes_an_untouched_explanation(
    instructor: FlaskClient, site: Flask
) -> None:
    """Generated explanations quote their evidence: moved, they quote the new span."""
    question_id, _label = served_cloze(site)
    old = row(site, question_id)
    old_evidence = " ".join(old.paragraph.text[old.evidence_start : old.evidence_end].split())
    assert old_evidence in old.explanation
    changes = rewritten(site, question_id)
    del changes["explanation"]  # left as generated
    new = row(site, edit(instructor, question_id, changes))
    new_evidence = new.paragraph.text[new.evidence_start : new.evidence_end]
    assert new_evidence == changes["answer"]
    assert old_evidence not in new.explanation and f"« {new_evidence} »" in new.explanation
    # An explanation the instructor rewrote is theirs: kept word for word.
    mine = rewritten(site, new.id) | {"explanation": "Ma propre explication."}
    assert row(site, edit(instructor, new.id, mine)).explanation == "Ma propre explication."
