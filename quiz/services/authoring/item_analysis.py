"""Item analysis: how each question behaves once learners have answered it.

Everything is derived from the immutable answer rows (never stored counters),
per question **row**: a superseded version keeps the figures of the answers it
received, its successor starts from its own. No Flask here.

This module reads the rows; ``item_statistics`` defines and computes the
figures (p, D from the top and bottom thirds, choices, flags), and its public
names are re-exported here. ``analyse(ids)`` answers for many questions in
three queries, whatever their number (the review queue asks for a page at a
time); ``question_report`` and ``overview`` serve the analysis pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import STATUS_SUPERSEDED, Answer, Attempt, Question, Revision, Sheet
from ..errors import NotFound
from .item_statistics import (
    FLAGS,
    MIN_LEARNERS,
    POOR_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    AnswerFact,
    ChoiceCount,
    ItemAnalysis,
    Learner,
    QuestionFacts,
    analyse_item,
    flags_for,
    frequent_wrong_answers,
    learner,
    learner_shares,
    third_scores,
)

__all__ = [
    "FLAGS",
    "MIN_LEARNERS",
    "OVERVIEW_PAGE_SIZE",
    "POOR_DISCRIMINATION",
    "TOO_EASY",
    "TOO_HARD",
    "AnswerFact",
    "ChoiceCount",
    "ItemAnalysis",
    "Learner",
    "OverviewPage",
    "QuestionFacts",
    "QuestionReport",
    "analyse",
    "analyse_answered",
    "analyse_item",
    "flags_for",
    "frequent_wrong_answers",
    "learner",
    "learner_shares",
    "overview",
    "question_report",
    "sheet_scores",
    "third_scores",
]

OVERVIEW_PAGE_SIZE = 50


@dataclass(frozen=True)
class QuestionReport:
    """A question with its figures, and the other rows of the same question on its sheet.

    ``related``: its other versions and its copies in other revisions (same
    stable id), oldest first, each with its own figures.
    """

    question: Question
    analysis: ItemAnalysis
    related: list[tuple[Question, ItemAnalysis]]
    # Questions before it in the review queue filtered on its revision, type and
    # status (the queue orders them by id); None for a superseded version, never listed.
    queue_position: int | None


@dataclass(frozen=True)
class OverviewPage:
    """One page of the answered questions (with a flag, when asked), in the queue's order."""

    items: list[tuple[Question, ItemAnalysis]]
    page: int
    pages: int
    total: int


def question_report(question_id: int) -> QuestionReport:
    """The analysis page's content; ``NotFound`` when there is no such question."""
    question = db.session.get(
        Question,
        question_id,
        options=[joinedload(Question.revision).joinedload(Revision.sheet)],
    )
    if question is None:
        raise NotFound("Cette question n'existe pas.")
    rows = db.session.scalars(
        select(Question)
        .join(Revision, Question.revision_id == Revision.id)
        .where(Question.uid == question.uid, Revision.sheet_id == question.revision.sheet_id)
        .options(selectinload(Question.revision))
        .order_by(Revision.position, Question.version, Question.id)
    ).all()
    analyses = analyse(row.id for row in rows)
    related = [(row, analyses[row.id]) for row in rows if row.id != question.id]
    return QuestionReport(question, analyses[question.id], related, _queue_position(question))


def _queue_position(question: Question) -> int | None:
    """How many questions of its revision, type and status have a smaller id."""
    if question.status == STATUS_SUPERSEDED:
        return None
    return db.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(
            Question.revision_id == question.revision_id,
            Question.type == question.type,
            Question.status == question.status,
            Question.id < question.id,
        )
    )


def overview(flag: str | None = None, page: int = 1) -> OverviewPage:
    """The answered questions, only those with ``flag`` when given, one page of them."""
    analyses = analyse_answered()
    # ``analyses`` come in the queue's order: sheet, revision, id.
    ids = [qid for qid, item in analyses.items() if flag is None or flag in item.flags]
    pages = max(1, -(-len(ids) // OVERVIEW_PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = ids[(page - 1) * OVERVIEW_PAGE_SIZE : page * OVERVIEW_PAGE_SIZE]
    questions = {
        question.id: question
        for question in db.session.scalars(
            select(Question)
            .where(Question.id.in_(shown))
            .options(selectinload(Question.revision).selectinload(Revision.sheet))
        )
    }
    items = [(questions[qid], analyses[qid]) for qid in shown]
    return OverviewPage(items=items, page=page, pages=pages, total=len(ids))


def analyse(question_ids: Iterable[int]) -> dict[int, ItemAnalysis]:
    """``{id: ItemAnalysis}`` of the existing questions among ``question_ids`` (3 queries).

    In the review queue's order: sheet, revision, question id.
    """
    ids = sorted(set(question_ids))
    if not ids:
        return {}
    return _analyse(Question.id.in_(ids))


def analyse_answered() -> dict[int, ItemAnalysis]:
    """``{id: ItemAnalysis}`` for every question row that has at least one answer."""
    return _analyse(Question.id.in_(select(Answer.question_id).distinct()))


def _analyse(condition: ColumnElement[bool]) -> dict[int, ItemAnalysis]:
    """The analyses of the questions matching ``condition``."""
    questions = _question_facts(condition)
    if not questions:
        return {}
    answers = _answer_facts(list(questions))
    scores = sheet_scores({question.sheet_id for question in questions.values()})
    return {
        question_id: analyse_item(
            question, answers.get(question_id, []), scores.get(question.sheet_id, {})
        )
        for question_id, question in questions.items()
    }


def _question_facts(condition: ColumnElement[bool]) -> dict[int, QuestionFacts]:
    """The questions matching ``condition``, with their sheet, in the queue's order (query 1)."""
    rows = db.session.execute(
        select(Question.id, Question.type, Question.choices, Question.answer, Revision.sheet_id)
        .join(Revision, Question.revision_id == Revision.id)
        .join(Sheet, Revision.sheet_id == Sheet.id)
        .where(condition)
        .order_by(Sheet.slug, Revision.position, Question.id)
    ).tuples()
    return {
        question_id: QuestionFacts(question_id, kind, list(choices or ()), answer, sheet_id)
        for question_id, kind, choices, answer, sheet_id in rows
    }


def _answer_facts(question_ids: Sequence[int]) -> dict[int, list[AnswerFact]]:
    """The answers to these questions with who gave them, by question (query 2)."""
    rows = db.session.execute(
        select(
            Answer.question_id, Answer.given, Answer.correct, Attempt.user_id, Attempt.visitor_id
        )
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .where(Answer.question_id.in_(question_ids))
        .order_by(Answer.id)
    ).tuples()
    facts: dict[int, list[AnswerFact]] = defaultdict(list)
    for question_id, given, correct, user_id, visitor_id in rows:
        facts[question_id].append(AnswerFact(learner(user_id, visitor_id), given, bool(correct)))
    return facts


def sheet_scores(sheet_ids: Iterable[int]) -> dict[int, dict[Learner, Fraction]]:
    """``{sheet id: {learner: share of right answers on the sheet's questions}}`` (query 3)."""
    ids = sorted(set(sheet_ids))
    if not ids:
        return {}
    # Grouping by (user, visitor-if-no-user) keeps a user's attempts together
    # whatever visitor id they were started under.
    visitor = case((Attempt.user_id.is_(None), Attempt.visitor_id), else_=None)
    rows = db.session.execute(
        select(
            Revision.sheet_id,
            Attempt.user_id,
            visitor,
            func.count(Answer.id),
            func.sum(case((Answer.correct, 1), else_=0)),
        )
        .select_from(Answer)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(Question, Answer.question_id == Question.id)
        .join(Revision, Question.revision_id == Revision.id)
        .where(Revision.sheet_id.in_(ids))
        .group_by(Revision.sheet_id, Attempt.user_id, visitor)
    ).tuples()
    scores: dict[int, dict[Learner, Fraction]] = defaultdict(dict)
    for sheet_id, user_id, visitor_id, answered, right in rows:
        scores[sheet_id][learner(user_id, visitor_id)] = Fraction(int(right or 0), int(answered))
    return scores
