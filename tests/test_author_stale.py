"""Stale questions: the list, and the three decisions (re-point, keep citing, retire).

The Suez sheet is imported in its two revisions with ``quiz import-file
--approve`` (in-process, once for the module); 2021 rewrites two paragraphs
of 2019, drops one and adds one, so some 2019 questions are stale. Each test
works on its own copy. Learners' side: quizzes on the latest revision hold its
own and carried questions, never a stale one; 2019 stays selectable.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from browser_helpers import csrf_token, log_in_as, log_in_with
from conftest import (
    REPO_ROOT,
    app_on_copy,
    attempt_on,
    isolated_module_environment,
    make_empty_app,
    take_snapshot,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, STATUS_RETIRED, Question
from quiz.services.authoring.stale import sentence_spans
from quiz.services.library.sheets import find_revision, list_sheets
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner, candidate_questions

UPLOADS = REPO_ROOT / "tests" / "data" / "uploads"
SUEZ = "canal-de-suez"
OLD, NEW = "2019", "2021"
VISITOR = Owner(visitor_id="visitor-stale")
TRAVAUX_2021 = "Les travaux commencent le 25 avril 1859 à Port-Saïd et mobilisent jusqu'à 40 000"


@dataclass(frozen=True)
class Imported:
    database: Path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """Suez 2019 then 2021 (approved), Hubble on its own; an instructor account."""
    folder = tmp_path_factory.mktemp("stale")
    with isolated_module_environment(folder):
        app = make_empty_app(folder / "quiz.sqlite")
        runner = app.test_cli_runner()
        for path, slug, label in [
            ("canal-de-suez-2019.md", SUEZ, OLD),
            ("canal-de-suez-2021.md", SUEZ, NEW),
            ("hubble-space-telescope.txt", "hubble", "1"),
        ]:
            arguments = ["import-file", str(UPLOADS / path), "--sheet", slug, "--revision", label]
            result = runner.invoke(args=[*arguments, "--approve"])
            assert result.exit_code == 0, result.output
        log_in_as(app.test_client(), app, "instructor")
        with app.app_context():
            db.engine.dispose()
    return Imported(folder / "quiz.sqlite")


@pytest.fixture
def site(imported: Imported, tmp_path: Path) -> Iterator[Flask]:
    with app_on_copy(imported.database, tmp_path) as app:
        yield app


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    client = site.test_client()
    log_in_with(client, "instructor-one")
    client.get("/lang/en")
    return client


def open_stale_ids(site: Flask) -> list[int]:
    """Stale 2019 questions whose uid the 2021 revision does not hold (nobody decided yet)."""
    with site.app_context():
        later = {q.uid for q in find_revision(SUEZ, NEW).questions}
        return sorted(
            q.id
            for q in find_revision(SUEZ, OLD).questions
            if q.stale and q.status != STATUS_RETIRED and q.uid not in later
        )


def listed_ids(client: FlaskClient, query: str = "") -> list[int]:
    """The questions every page of the stale list shows."""
    ids: list[int] = []
    page = 1
    while True:
        html = client.get(f"/author/sheets/{SUEZ}/stale?page={page}{query}").get_data(as_text=True)
        ids += [int(found) for found in re.findall(r'data-question="(\d+)"', html)]
        if 'rel="next"' not in html:
            return sorted(ids)
        page += 1


def prefilled(client: FlaskClient, question_id: int) -> dict[str, str]:
    """The re-point form of one question as the list fills it in."""
    html = client.get(f"/author/sheets/{SUEZ}/stale?page=1").get_data(as_text=True)
    prefix = f"q{question_id}"
    select_html = re.search(rf'<select[^>]*name="{prefix}-paragraph".*?</select>', html, re.S)
    assert select_html, f"no re-point form for question {question_id} on page 1"
    chosen = re.search(r'<option selected value="(\d+)"', select_html.group(0))
    values = {
        name: re.search(rf'name="{prefix}-{name}"[^>]*value="(\d+)"', html).group(1)  # type: ignore[union-attr]
        for name in ("start", "end")
    }
    return {
        f"{prefix}-paragraph": chosen.group(1) if chosen else "",
        **{f"{prefix}-{k}": v for k, v in values.items()},
    }


def item_html(client: FlaskClient, question_id: int) -> str:
    """The HTML of one question of the stale list, on whichever page it is."""
    page_number = 1
    while True:
        url = f"/author/sheets/{SUEZ}/stale?page={page_number}"
        page = client.get(url).get_data(as_text=True)
        if f'id="question-{question_id}"' in page:
            rest = page[page.index(f'id="question-{question_id}"') :]
            return rest.split('class="card stale-item"')[0]
        assert 'rel="next"' in page, f"question {question_id} is not listed"
        page_number += 1


def decide(client: FlaskClient, question_id: int, action: str, **fields: str) -> TestResponse:
    """Post one decision about a stale question, with a valid CSRF token."""
    token = csrf_token(client.get("/author/sheets").get_data(as_text=True))
    data = {"csrf_token": token, **fields}
    if action == "repoint":
        data[f"q{question_id}-csrf_token"] = token
    return client.post(f"/author/sheets/{SUEZ}/stale/{question_id}/{action}", data=data)


def question(site: Flask, question_id: int) -> Question:
    with site.app_context():
        row = db.session.get(Question, question_id)
        assert row is not None
        _ = row.paragraph.text, row.revision.label, row.paragraph.revision.label
        db.session.expunge_all()
        return row


def copy_of(site: Flask, question_id: int) -> Question | None:
    """The copy carried into 2021 of the question ``question_id``, if any."""
    with site.app_context():
        row = db.session.scalar(
            select(Question).filter_by(
                carried_from_id=question_id, revision_id=find_revision(SUEZ).id
            )
        )
        if row is not None:
            _ = row.paragraph.text, row.revision.label, row.paragraph.revision.label
            db.session.expunge_all()
        return row


def travaux_question(site: Flask) -> int:
    """The stale cloze question whose answer, 25 avril 1859, 2021 still states (rewritten)."""
    with site.app_context():
        return next(
            q.id
            for q in find_revision(SUEZ, OLD).questions
            if q.stale and q.answer == "25 avril 1859" and q.type in ("cloze", "short", "mcq")
        )


def stale_of_type(site: Flask, kinds: tuple[str, ...]) -> int:
    with site.app_context():
        ids = set(open_stale_ids(site))
        return next(
            q.id for q in find_revision(SUEZ, OLD).questions if q.id in ids and q.type in kinds
        )


def decide_one_of_each(site: Flask, client: FlaskClient) -> tuple[int, int, int]:
    """Re-point the Travaux question, keep one stale question, retire another: their ids."""
    repointed = travaux_question(site)
    decide(client, repointed, "repoint", **prefilled(client, repointed))
    kept = stale_of_type(site, ("cloze", "true_false", "numeric", "mcq", "short"))
    decide(client, kept, "keep")
    retired = stale_of_type(site, ("cloze", "true_false", "numeric", "mcq", "short", "order"))
    decide(client, retired, "retire")
    return repointed, kept, retired


# The list -------------------------------------------------------------------------------


def test_the_list_shows_every_open_stale_question(site: Flask, instructor: FlaskClient) -> None:
    expected = open_stale_ids(site)
    assert len(expected) > 5
    assert listed_ids(instructor) == listed_ids(instructor, f"&revision={OLD}") == expected
    assert listed_ids(instructor, f"&revision={NEW}") == []
    page = instructor.get(f"/author/sheets/{SUEZ}/stale").get_data(as_text=True)
    first = question(site, expected[0])
    evidence = first.paragraph.text[first.evidence_start : first.evidence_end]
    assert unescape(first.prompt) in unescape(page)
    assert f"<mark>{evidence}</mark>" in unescape(page)
    assert f"{len(expected)} questions waiting for a decision" in page


def test_the_rewritten_paragraph_is_suggested_with_a_span_holding_the_answer(
    site: Flask, instructor: FlaskClient
) -> None:
    question_id = travaux_question(site)
    values = prefilled(instructor, question_id)
    with site.app_context():
        from quiz.models import Paragraph

        paragraph = db.session.get(Paragraph, int(values[f"q{question_id}-paragraph"]))
        assert paragraph is not None and paragraph.revision.label == NEW
        span = paragraph.text[
            int(values[f"q{question_id}-start"]) : int(values[f"q{question_id}-end"])
        ]
    assert span.startswith(TRAVAUX_2021) and "25 avril 1859" in span


def test_unknown_revisions_and_sheets_are_404(instructor: FlaskClient) -> None:
    assert instructor.get(f"/author/sheets/{SUEZ}/stale?revision=1999").status_code == 404
    assert instructor.get("/author/sheets/nowhere/stale").status_code == 404


def test_sentence_spans() -> None:
    text = "Il a été signé en 1957. Il est entré en vigueur « en 1958. »  Puis rien"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Il a été signé en 1957.",
        "Il est entré en vigueur « en 1958. »",
        "Puis rien",
    ]


# Carry forward, re-pointed ---------------------------------------------------------------


def test_carry_forward_repointed(site: Flask, instructor: FlaskClient) -> None:
    question_id = travaux_question(site)
    with site.app_context():  # a prompt that quotes nothing the new text could have changed
        db.session.get(Question, question_id).prompt = "Quand les travaux commencent-ils ?"  # type: ignore[union-attr]
        db.session.commit()
    values = prefilled(instructor, question_id)
    response = decide(instructor, question_id, "repoint", **values)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/author/sheets/{SUEZ}/stale"
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Question {question_id} carried forward to revision {NEW}, approved." in page
    origin, copy = question(site, question_id), copy_of(site, question_id)
    assert copy is not None
    assert (copy.uid, copy.prompt, copy.answer, copy.type) == (
        origin.uid,
        origin.prompt,
        origin.answer,
        origin.type,
    )
    assert copy.revision.label == NEW and copy.paragraph.revision.label == NEW
    assert copy.paragraph.text.startswith(TRAVAUX_2021)
    assert (copy.evidence_start, copy.evidence_end) == (
        int(values[f"q{question_id}-start"]),
        int(values[f"q{question_id}-end"]),
    )
    assert copy.status == STATUS_APPROVED and not copy.stale and copy.edited_at is not None
    assert "jusqu'à 40 000" in copy.explanation and "plusieurs dizaines" not in copy.explanation
    # The original stays with 2019, stale, as it was; it is no longer waiting.
    assert origin.stale and origin.status == STATUS_APPROVED and origin.revision.label == OLD
    assert question_id not in listed_ids(instructor)
    with site.app_context():
        assert copy.id in {q.id for q in candidate_questions(find_revision(SUEZ), None, None)}


def test_a_repointed_prompt_that_misquotes_the_new_text_is_a_draft(
    site: Flask, instructor: FlaskClient
) -> None:
    """The cloze quotes « … plusieurs dizaines de milliers d'ouvriers … », which 2021
    rewrote: approved as is, learners would read a quote the sheet no longer says."""
    question_id = travaux_question(site)
    assert "plusieurs dizaines" in question(site, question_id).prompt
    decide(instructor, question_id, "repoint", **prefilled(instructor, question_id))
    copy = copy_of(site, question_id)
    assert copy is not None and copy.status == STATUS_DRAFT
    assert question(site, question_id).status == STATUS_APPROVED


def test_a_repointed_draft_stays_a_draft(site: Flask, instructor: FlaskClient) -> None:
    question_id = travaux_question(site)
    with site.app_context():
        db.session.get(Question, question_id).status = STATUS_DRAFT  # type: ignore[union-attr]
        db.session.commit()
    assert (
        decide(instructor, question_id, "repoint", **prefilled(instructor, question_id)).status_code
        == 303
    )
    copy = copy_of(site, question_id)
    assert copy is not None and copy.status == STATUS_DRAFT


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start": "0", "end": "5"}, "start", "The answer is not inside this span."),
        ({"end": "100000"}, "end", "The end must come after the start, inside the paragraph."),
        (
            {"start": "40", "end": "10"},
            "end",
            "The end must come after the start, inside the paragraph.",
        ),
        ({"start": "99999", "end": "100000"}, "start", "The start lies outside the paragraph."),
        ({"start": "douze"}, "start", "Not a valid integer value."),
        ({"paragraph": "old"}, "paragraph", "Choose a paragraph of the latest revision."),
        ({"paragraph": ""}, "paragraph", "Choose a paragraph."),
    ],
    ids=[
        "answer outside",
        "end outside",
        "end before start",
        "start outside",
        "not a number",
        "old paragraph",
        "no paragraph",
    ],
)
def test_a_span_that_does_not_hold_is_refused_field_by_field(
    site: Flask, instructor: FlaskClient, change: dict[str, str], field: str, message: str
) -> None:
    question_id = travaux_question(site)
    values = prefilled(instructor, question_id)
    for name, value in change.items():
        if value == "old":
            value = str(question(site, question_id).paragraph_id)
        values[f"q{question_id}-{name}"] = value
    before = take_snapshot(site)
    response = decide(instructor, question_id, "repoint", **values)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = re.search(rf'id="q{question_id}-{field}-errors">(.*?)</ul>', page, re.S)
    assert errors and message in unescape(errors.group(1))
    assert take_snapshot(site) == before


def stale_ordering_question(site: Flask) -> int:
    """A stale 2019 ordering question citing a stale paragraph per event, made by hand (as
    the generator may write one: whether it does on this sheet is its own business)."""
    with site.app_context():
        old = find_revision(SUEZ, OLD)
        cited = sorted({q.paragraph for q in old.questions if q.stale}, key=lambda p: p.index)
        assert len(cited) >= 2, "the 2021 text rewrites several paragraphs"
        sources = [
            {
                "sheet": SUEZ,
                "revision": OLD,
                "anchor": paragraph.anchor,
                "paragraph": paragraph.text,
                "evidence": {"start": 0, "end": len(paragraph.text)},
            }
            for paragraph in cited[:3]
        ]
        events = [f"Événement {number}" for number in range(1, len(sources) + 1)]
        order = Question(
            uid="q-00000000ord1",
            revision=old,
            paragraph=cited[0],
            type="order",
            prompt="Remettez ces événements dans l'ordre.",
            answer=events,
            choices=list(reversed(events)),
            lang="fr",
            evidence_start=0,
            evidence_end=len(cited[0].text),
            item_sources=sources,
            stale=True,
            status=STATUS_APPROVED,
        )
        db.session.add(order)
        db.session.commit()
        return order.id


def test_an_ordering_question_cannot_be_repointed(site: Flask, instructor: FlaskClient) -> None:
    order_id = stale_ordering_question(site)
    assert order_id in open_stale_ids(site)
    item = item_html(instructor, order_id)
    assert "An ordering question cites a paragraph for each event" in item
    assert f'name="q{order_id}-paragraph"' not in item
    before = take_snapshot(site)
    fields = {f"q{order_id}-paragraph": "1", f"q{order_id}-start": "0", f"q{order_id}-end": "5"}
    response = decide(instructor, order_id, "repoint", **fields)
    assert response.status_code == 400
    assert "An ordering question cites several paragraphs." in response.get_data(as_text=True)
    assert take_snapshot(site) == before
    assert decide(instructor, order_id, "keep").status_code == 303


# Carry forward, citing the old revision ----------------------------------------------------


def test_carry_forward_citing_the_old_revision(site: Flask, instructor: FlaskClient) -> None:
    question_id = stale_of_type(site, ("cloze", "true_false", "numeric", "mcq", "short"))
    response = decide(instructor, question_id, "keep")
    assert response.status_code == 303
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        f"Question {question_id} carried forward to revision {NEW}; it still cites revision {OLD}."
        in page
    )
    origin, copy = question(site, question_id), copy_of(site, question_id)
    assert copy is not None
    assert copy.revision.label == NEW
    assert copy.paragraph_id == origin.paragraph_id and copy.paragraph.revision.label == OLD
    assert (copy.evidence_start, copy.evidence_end) == (origin.evidence_start, origin.evidence_end)
    assert copy.status == origin.status == STATUS_APPROVED and copy.edited_at is not None
    sheet_page = instructor.get(f"/author/sheets/{SUEZ}").get_data(as_text=True)
    assert "1 question of this revision still cites an earlier revision of the sheet." in sheet_page


def test_learners_see_which_revision_a_kept_question_cites(
    site: Flask, instructor: FlaskClient
) -> None:
    question_id = stale_of_type(site, ("cloze", "short", "numeric"))
    assert decide(instructor, question_id, "keep").status_code == 303
    copy = copy_of(site, question_id)
    assert copy is not None
    with site.app_context():
        # The copy is drawn into quizzes on the latest revision, and answered there:
        assert copy.id in {q.id for q in candidate_questions(find_revision(SUEZ), None, None)}
        attempt = attempt_on(VISITOR, [db.session.get(Question, copy.id)])
        feedback = attempts.submit_answer(attempt, copy.id, copy.answer)
        assert feedback.source.revision == OLD
        assert feedback.source.url.startswith(f"/sheets/{SUEZ}/revisions/{OLD}?")
        db.session.rollback()


# Retire, and deciding twice ---------------------------------------------------------------


def test_retire(site: Flask, instructor: FlaskClient) -> None:
    question_id = stale_of_type(site, ("cloze", "true_false", "numeric", "mcq", "short", "order"))
    response = decide(instructor, question_id, "retire")
    assert response.status_code == 303
    assert f"Question {question_id} retired." in instructor.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    retired = question(site, question_id)
    assert retired.status == STATUS_RETIRED and retired.edited_at is not None
    assert copy_of(site, question_id) is None
    assert question_id not in listed_ids(instructor)
    with site.app_context():
        assert question_id not in {
            q.id for q in candidate_questions(find_revision(SUEZ, OLD), None, None)
        }


@pytest.mark.parametrize(
    ("first", "second"),
    [("retire", "retire"), ("keep", "retire"), ("retire", "keep"), ("keep", "repoint")],
)
def test_a_second_decision_changes_nothing(
    site: Flask, instructor: FlaskClient, first: str, second: str
) -> None:
    question_id = travaux_question(site)
    values = prefilled(instructor, question_id)
    assert decide(instructor, question_id, first, **values).status_code == 303
    before = take_snapshot(site)
    response = decide(instructor, question_id, second, **values)
    assert response.status_code == 303
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Question {question_id} was already carried forward or retired." in page
    assert take_snapshot(site) == before


def test_questions_that_are_not_stale_here_are_404(site: Flask, instructor: FlaskClient) -> None:
    stale_id = open_stale_ids(site)[0]
    with site.app_context():
        fresh = find_revision(SUEZ, NEW).questions[0].id
    before = take_snapshot(site)
    for url in [
        f"/author/sheets/{SUEZ}/stale/987654/retire",
        f"/author/sheets/{SUEZ}/stale/{fresh}/retire",
        f"/author/sheets/hubble/stale/{stale_id}/retire",
        f"/author/sheets/hubble/stale/{stale_id}/keep",
        f"/author/sheets/hubble/stale/{stale_id}/repoint",
    ]:
        token = csrf_token(instructor.get("/author/sheets").get_data(as_text=True))
        data = {
            "csrf_token": token,
            f"q{stale_id}-paragraph": "1",
            f"q{stale_id}-start": "0",
            f"q{stale_id}-end": "4",
        }
        assert instructor.post(url, data=data).status_code == 404, url
    assert take_snapshot(site) == before


def test_decisions_need_a_csrf_token(site: Flask, instructor: FlaskClient) -> None:
    question_id = open_stale_ids(site)[0]
    before = take_snapshot(site)
    for action in ("keep", "retire", "repoint"):
        assert (
            instructor.post(f"/author/sheets/{SUEZ}/stale/{question_id}/{action}").status_code
            == 400
        )
    assert take_snapshot(site) == before


# Learners' quizzes ------------------------------------------------------------------------


def test_latest_quizzes_hold_carried_questions_never_stale_ones(
    site: Flask, instructor: FlaskClient
) -> None:
    repointed, kept, retired = decide_one_of_each(site, instructor)
    copies = {copy_of(site, kept).id}  # type: ignore[union-attr]
    draft = copy_of(site, repointed).id  # type: ignore[union-attr]  # its prompt misquotes 2021
    with site.app_context():
        latest, earlier = find_revision(SUEZ, NEW), find_revision(SUEZ, OLD)
        approved_latest = {q.id for q in latest.questions if q.status == STATUS_APPROVED}
        pool = {q.id for q in candidate_questions(latest, None, None)}
        assert pool == approved_latest >= copies
        for _ in range(3):
            attempt = attempts.start_attempt(VISITOR, SUEZ, count=50)
            asked = [db.session.get(Question, qid) for qid in attempt.question_ids]
            assert all(q is not None and q.revision_id == latest.id and not q.stale for q in asked)
            assert asked and set(attempt.question_ids) <= approved_latest
            assert draft not in attempt.question_ids
        # The earlier revision stays selectable, with its own questions (stale ones included).
        listing = next(sheet for sheet in list_sheets() if sheet.slug == SUEZ)
        assert listing.revisions == {
            OLD: len([q for q in earlier.questions if q.status == STATUS_APPROVED]),
            NEW: len(approved_latest),
        }
        old_attempt = attempts.start_attempt(VISITOR, SUEZ, revision_label=OLD, count=50)
        old_asked = {db.session.get(Question, qid) for qid in old_attempt.question_ids}
        assert {q.revision_id for q in old_asked} == {earlier.id}  # type: ignore[union-attr]
        assert any(q.stale for q in old_asked) and retired not in old_attempt.question_ids  # type: ignore[union-attr]
        db.session.rollback()


# Imports leave the decisions alone ---------------------------------------------------------


def test_a_later_import_leaves_the_decisions_alone(
    site: Flask, instructor: FlaskClient, tmp_path: Path
) -> None:
    repointed, kept, retired = decide_one_of_each(site, instructor)

    def decisions() -> dict[str, tuple[object, ...]]:
        copies = {
            name: copy_of(site, qid) for name, qid in (("repointed", repointed), ("kept", kept))
        }
        state = {
            name: (c.id, c.paragraph_id, c.evidence_start, c.evidence_end, c.status)
            for name, c in copies.items()
            if c
        }
        state["retired"] = (question(site, retired).status,)
        return state

    before = decisions()
    assert len(before) == 3
    # The same two files as a sheet folder: generated together, both revisions are synced again.
    folder = tmp_path / SUEZ
    folder.mkdir()
    shutil.copy(UPLOADS / "canal-de-suez-2019.md", folder / f"{OLD}.md")
    shutil.copy(UPLOADS / "canal-de-suez-2021.md", folder / f"{NEW}.md")
    (folder / "sheet.toml").write_text(
        f'slug = "{SUEZ}"\ntitle = "Le canal de Suez"\n\n[[revisions]]\nlabel = "{OLD}"\nfile = "{OLD}.md"\n\n'
        f'[[revisions]]\nlabel = "{NEW}"\nfile = "{NEW}.md"\n',
        encoding="utf-8",
    )
    result = site.test_cli_runner().invoke(args=["import-sheets", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Imported into" in result.output and "2 updated" in result.output  # both revisions
    assert decisions() == before
    assert not {repointed, kept, retired} & set(listed_ids(instructor))
