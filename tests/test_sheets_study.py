"""Sheets for learners: re-imports never break an answer's history; sheet lists and pages.

The pipeline's output is built by hand (its dataclasses need no spaCy), so
each test says exactly which questions disappear between two imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from study_data import answer_count, make_sheet

from quiz.commands.common import report_lines
from quiz.extensions import db
from quiz.generate import GenerationResult, Paragraph, Question, SheetResult, SheetSource, Source
from quiz.generate import Span as GeneratedSpan
from quiz.models import STATUS_APPROVED, STATUS_RETIRED, Answer
from quiz.models import Paragraph as ParagraphRow
from quiz.models import Question as QuestionRow
from quiz.services.errors import NotFound
from quiz.services.library.sheets import import_result, list_sheets, sheet_page
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner

VISITOR = Owner(visitor_id="v")
TEXTS = {
    "p-1": "La Russie a rejoint le Partenariat pour la paix en 1994. L'Acte fondateur date de 1997.",
    "p-2": "Le Conseil OTAN-Russie a été créé en 2002.",
    "p-3": "L'OTAN a suspendu la coopération pratique en 2014.",
}
# One sentence each, none printing another's answer: a quiz on the sheet asks all three.
ANSWERS = {"q-a": ("p-1", "1994"), "q-b": ("p-1", "1997"), "q-c": ("p-2", "2002")}


def generated(tmp_path: Path, question_ids: list[str], anchors: list[str]) -> GenerationResult:
    """One revision with the ``anchors`` paragraphs and the ``question_ids`` questions."""
    path = tmp_path / "fiche.md"
    path.write_text("Texte de la fiche\n", encoding="utf-8")
    source = SheetSource(path=path, slug="fiche", title="Fiche", lang="fr", revision="1")
    paragraphs = [Paragraph(anchor, i, TEXTS[anchor], "fr") for i, anchor in enumerate(anchors)]
    questions = []
    for uid in question_ids:
        anchor, answer = ANSWERS[uid]
        text = TEXTS[anchor]
        sentence = next(s for s in re.findall(r"[^.]+\.", text) if answer in s).strip()
        span = GeneratedSpan(text.index(sentence), text.index(sentence) + len(sentence))
        questions.append(
            Question(
                id=uid,
                type="cloze",
                prompt=f"Complétez : {sentence.replace(answer, '_____')}",
                answer=answer,
                source=Source("fiche", "1", anchor, text, span),
                lang="fr",
            )
        )
    sheet = SheetResult(source, "Fiche", "fr", paragraphs, [], questions)
    return GenerationResult([sheet])


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


def row(uid: str) -> QuestionRow | None:
    return db.session.scalar(select(QuestionRow).filter_by(uid=uid))


def test_a_reimport_retires_answered_questions_and_deletes_the_others(
    ctx: None, tmp_path: Path
) -> None:
    import_result(generated(tmp_path, ["q-a", "q-b", "q-c"], ["p-1", "p-2"]))
    attempt = attempts.start_attempt(VISITOR, "fiche")
    answered = {"q-a": "1994", "q-c": "2002"}
    for uid, given in answered.items():
        attempts.submit_answer(attempt, row(uid).id, given)
    ids = {uid: row(uid).id for uid in ANSWERS}
    db.session.commit()

    # q-a and q-c (and paragraph p-2) disappear; only q-a and q-c have answers.
    report = import_result(generated(tmp_path, ["q-b"], ["p-1", "p-3"]))
    db.session.commit()
    assert (report.questions.retired, report.questions.removed) == (2, 0)
    assert row("q-a").id == ids["q-a"] and row("q-a").status == STATUS_RETIRED
    assert row("q-c").status == STATUS_RETIRED and row("q-b").status == STATUS_APPROVED
    assert answer_count() == 2
    # The paragraph of q-c is kept for its answers, but no longer shown.
    kept = db.session.scalar(select(ParagraphRow).filter_by(anchor="p-2"))
    assert kept is not None and kept.retired and report.paragraphs.retired == 1
    assert [p.anchor for p in sheet_page("fiche").paragraphs] == ["p-1", "p-3"]
    assert "1 retired" in "\n".join(report_lines(report, "db"))
    # The old answers keep their feedback; retired questions are never drawn again.
    feedback = attempts.feedback_for(attempt, ids["q-c"])
    assert feedback.correct and feedback.source.paragraph == TEXTS["p-2"]
    assert attempts.summary(attempt).score == 2
    assert attempts.start_attempt(VISITOR, "fiche").question_ids == [ids["q-b"]]


def test_unanswered_questions_and_their_paragraphs_are_deleted(ctx: None, tmp_path: Path) -> None:
    import_result(generated(tmp_path, ["q-a", "q-c"], ["p-1", "p-2"]))
    report = import_result(generated(tmp_path, ["q-a"], ["p-1"]))
    assert (report.questions.removed, report.questions.retired) == (1, 0)
    assert (report.paragraphs.removed, report.paragraphs.retired) == (1, 0)
    assert row("q-c") is None
    assert db.session.scalar(select(ParagraphRow).filter_by(anchor="p-2")) is None


def test_a_retired_question_generated_again_is_approved_again(ctx: None, tmp_path: Path) -> None:
    import_result(generated(tmp_path, ["q-a", "q-c"], ["p-1", "p-2"]))
    attempt = attempts.start_attempt(VISITOR, "fiche", count=2)
    question_id = row("q-c").id
    attempts.submit_answer(attempt, question_id, "2002")
    import_result(generated(tmp_path, ["q-a"], ["p-1"]))
    assert row("q-c").status == STATUS_RETIRED
    again = import_result(generated(tmp_path, ["q-a", "q-c"], ["p-1", "p-2"]))
    assert row("q-c").id == question_id and row("q-c").status == STATUS_APPROVED
    assert again.questions.updated == 1 and again.paragraphs.updated == 1
    assert not db.session.scalar(select(ParagraphRow).filter_by(anchor="p-2")).retired
    assert db.session.scalar(select(Answer.question_id)) == question_id


def test_list_sheets(ctx: None) -> None:
    make_sheet("otan", ("2021", "2022"))
    make_sheet("ukraine", ("1",))
    make_sheet("vide", ())  # no revision yet: nothing to list
    [otan, ukraine] = list_sheets()
    assert (otan.slug, otan.title, otan.lang) == ("otan", "Fiche otan", "fr")
    assert otan.latest_revision == "2022" and otan.question_count == 6
    assert otan.revisions == {"2021": 6, "2022": 6}
    assert list(otan.revisions) == ["2021", "2022"]
    assert ukraine.revisions == {"1": 6}


def test_question_counts_are_approved_questions_only(ctx: None) -> None:
    sheet = make_sheet("otan", ("2021", "2022"))
    sheet.revisions[0].questions[0].status = STATUS_RETIRED
    db.session.flush()
    [otan] = list_sheets()
    assert otan.revisions == {"2021": 5, "2022": 6} and otan.question_count == 6
    page = sheet_page("otan", "2021")
    assert page.question_count == 5 and page.paragraphs[0].question_count == 5


def test_sheet_page_shows_the_latest_revision_by_default(ctx: None) -> None:
    make_sheet("otan", ("2021", "2022"))
    page = sheet_page("otan")
    assert (page.slug, page.title, page.lang) == ("otan", "Fiche otan", "fr")
    assert page.revision == "2022" and page.latest_revision == "2022" and page.is_latest
    assert page.revisions == {"2021": 6, "2022": 6}
    [paragraph] = page.paragraphs
    assert (paragraph.anchor, paragraph.kind, paragraph.question_count) == (
        "p-0000000001",
        "paragraph",
        6,
    )
    older = sheet_page("otan", "2021")
    assert older.revision == "2021" and not older.is_latest


@pytest.mark.parametrize(("slug", "label"), [("inconnue", None), ("otan", "1999")])
def test_sheet_page_not_found(ctx: None, slug: str, label: str | None) -> None:
    make_sheet("otan", ("2021",))
    with pytest.raises(NotFound):
        sheet_page(slug, label)
