"""Ordinary GIFT and CSV banks: questions a teacher wrote by hand, without quiz's ids or sources.

Each cites its source as ``docs/exchange.md`` says (a sheet, and a paragraph's
anchor or first words) or cites nothing and comes in as a draft whose evidence
the instructor places with the picker. Through the import page (CSRF on) and
``quiz import``, on a copy of the built-in sheets' SQLite file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from browser_helpers import LATEST_REVISION, SHEET_SLUG
from conftest import Snapshot
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from test_author_exchange import instructor, upload  # noqa: F401  (a fixture)

from quiz import exchange
from quiz.exchange.common import Citation
from quiz.extensions import db
from quiz.models import STATUS_DRAFT, Question
from quiz.services.authoring import approval

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "teacher-questions.gift"
# The first words of the paragraph the example cites (its only quizzable one).
FIRST_WORDS = "Pendant plus de trente ans"


def drafts_added(site: Flask, before: set[int]) -> list[Question]:
    """The questions added since ``before`` (ids), loaded with what the tests read."""
    with site.app_context():
        rows = db.session.scalars(select(Question).where(Question.id.not_in(before))).all()
        for row in rows:
            _ = (row.paragraph.text, row.revision.label)
        db.session.expunge_all()
        return list(rows)


def question_ids(site: Flask) -> set[int]:
    """Every question id in the database."""
    with site.app_context():
        return set(db.session.scalars(select(Question.id)))


def spreadsheet(rows: list[dict[str, str]]) -> bytes:
    """A CSV file as a spreadsheet saves it, with only the columns ``rows`` use."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def evidence(question: Question) -> str:
    """The text of a question's evidence span."""
    return question.paragraph.text[question.evidence_start : question.evidence_end]


def test_the_example_file_parses_with_its_citations() -> None:
    parsed = exchange.parse("gift", EXAMPLE.read_bytes())
    assert [item.record["type"] for item in parsed] == ["short", "mcq", "true_false", "short"]
    citations = [item.citation for item in parsed]
    assert citations[0] == Citation(SHEET_SLUG, FIRST_WORDS)
    assert citations[2] is not None and citations[2].anchor == "p-4632e2bd23"
    assert citations[3] == Citation(SHEET_SLUG, "")  # the file's default: the sheet alone
    ids = [item.record["id"] for item in parsed]
    assert len(set(ids)) == 4 and all(exchange.common.ID_PATTERN.fullmatch(i) for i in ids)
    assert ids == [item.record["id"] for item in exchange.parse("gift", EXAMPLE.read_bytes())]


def test_an_ordinary_gift_file_comes_in_as_drafts_with_their_evidence(
    instructor: FlaskClient,  # noqa: F811
    site: Flask,
) -> None:
    before = question_ids(site)
    status, page = upload(instructor, EXAMPLE.read_bytes(), "teacher-questions.gift")
    assert status == 200, page
    assert "4 questions imported as drafts" in page
    short, mcq, true_false, unplaced = drafts_added(site, before)
    assert {q.status for q in (short, mcq, true_false, unplaced)} == {STATUS_DRAFT}
    assert {q.revision.label for q in (short, mcq, unplaced)} == {LATEST_REVISION}
    assert short.paragraph.text.startswith("Pendant plus de trente ans, l’OTAN")
    assert evidence(short) == "trente" and short.accepted == ["30"]
    assert evidence(mcq) == "La Fédération de Russie" and mcq.lang == "fr"
    assert true_false.choices == ["Vrai", "Faux"] and true_false.answer == "Faux"
    assert (unplaced.evidence_start, unplaced.evidence_end) == (0, 0)
    with site.app_context():
        checks = approval.question_checks(db.session.get(Question, unplaced.id))
        assert not all(check.ok for check in checks)  # cannot be approved until placed
        approvable = approval.question_checks(db.session.get(Question, mcq.id))
        assert all(check.ok for check in approvable), approvable
    status, page = upload(instructor, EXAMPLE.read_bytes(), "teacher-questions.gift")
    assert status == 200 and "4 questions were already here, unchanged" in page
    assert question_ids(site) == before | {q.id for q in (short, mcq, true_false, unplaced)}


def test_the_editor_opens_an_unplaced_draft_with_nothing_selected(
    instructor: FlaskClient,  # noqa: F811
    site: Flask,
) -> None:
    before = question_ids(site)
    upload(instructor, EXAMPLE.read_bytes(), "teacher-questions.gift")
    unplaced = drafts_added(site, before)[-1]
    page = instructor.get(f"/author/questions/{unplaced.id}/edit").get_data(as_text=True)
    assert "No evidence selected yet" in page


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        ("// source: no-such-sheet, Pendant", "unknown sheet &#39;no-such-sheet&#39;"),
        (f"// source: {SHEET_SLUG}, Il était une fois", "no paragraph of sheet"),
        (f"// source: {SHEET_SLUG}, #p-000000", "has no paragraph #p-000000"),
        ("// nothing cited", "no sheet cited"),
    ],
)
def test_a_citation_that_names_nothing_imports_nothing(
    instructor: FlaskClient,  # noqa: F811
    site: Flask,
    snapshot: Callable[[Flask], Snapshot],
    citation: str,
    message: str,
) -> None:
    content = f"::Ok::Quelle alliance ?{{=L'OTAN}}\n\n{citation}\nQui ?{{=La Russie}}\n"
    content = f"// source: {SHEET_SLUG}, {FIRST_WORDS}\n" + content
    before = snapshot(site)
    status, page = upload(instructor, content.encode(), "bank.gift")
    assert status == 400
    assert 'data-line="5"' in page and message in page  # the line of "Qui ?"
    assert snapshot(site) == before


def test_the_import_form_gives_a_sheet_to_questions_that_cite_none(
    instructor: FlaskClient,  # noqa: F811
    site: Flask,
) -> None:
    content = b"::Moodle::Quelle alliance a cherche un partenariat ?{=L'OTAN ~L'ONU ~L'UE}\n"
    before = question_ids(site)
    status, page = upload(instructor, content, "moodle.gift", sheet=SHEET_SLUG)
    assert status == 200, page
    [added] = drafts_added(site, before)
    assert added.type == "mcq" and added.lang == "fr" and added.revision.label == LATEST_REVISION


def test_an_ordinary_spreadsheet_comes_in_as_drafts(
    instructor: FlaskClient,  # noqa: F811
    site: Flask,
) -> None:
    rows = [
        {"prompt": "Qui menace les Alliés ?", "choices": "La Fédération de Russie\nLa Chine",
         "answer": "La Fédération de Russie", "sheet": SHEET_SLUG, "first_words": FIRST_WORDS},
        {"type": "true_false", "prompt": "L'OTAN ne cherche pas la confrontation.",
         "answer": "Vrai", "sheet": SHEET_SLUG, "anchor": "p-4632e2bd23"},
        {"prompt": "Combien d'années ?", "answer": "trente", "sheet": SHEET_SLUG},
    ]  # fmt: skip
    before = question_ids(site)
    status, page = upload(instructor, spreadsheet(rows), "bank.csv")
    assert status == 200, page
    mcq, true_false, unplaced = drafts_added(site, before)
    assert mcq.type == "mcq" and evidence(mcq) == "La Fédération de Russie"
    assert true_false.answer == "Vrai" and true_false.paragraph.anchor == "p-4632e2bd23"
    assert unplaced.type == "short" and unplaced.evidence_end == 0


def test_quiz_import_takes_the_sheet_of_questions_that_cite_none(
    site: Flask, tmp_path: Path
) -> None:
    bank = tmp_path / "bank.gift"
    bank.write_text("Quelle alliance ?{=L'OTAN}\n", encoding="utf-8")
    runner = site.test_cli_runner()
    result = runner.invoke(args=["import", str(bank)])
    assert result.exit_code == 2 and "no sheet cited" in result.output
    result = runner.invoke(args=["import", str(bank), "--sheet", SHEET_SLUG])
    assert result.exit_code == 0, result.output
    assert "1 added as drafts" in result.output
