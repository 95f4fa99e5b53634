"""Item analysis: how each question behaves once learners have answered it.

Everything is derived from the immutable answer rows (never stored counters),
per question **row**: a superseded version keeps the figures of the answers it
received, its successor starts from its own. No Flask here.

Definitions, for one question:

- **answers**: its answer rows; **right**: those checked right.
- **learners**: who gave them. An attempt's owner is a learner: an account
  (``Attempt.user_id``) or, without one, a visitor (``Attempt.visitor_id``).
- **p** (difficulty index): ``right / answers``, the share of right answers.
- **D** (discrimination index): ``p(top third) − p(bottom third)``. Learners
  who answered the question are ranked by their *sheet score*: the share of
  right answers among all their answers to questions of the same sheet (any
  revision, this question included). Each group weighs exactly ``n / 3`` of
  the ``n`` learners: when ``n`` is not a multiple of 3, or learners with
  equal sheet scores straddle the cut, the learners at the cut count with a
  fraction of their weight, the same fraction for equal scores. So ties never
  depend on an arbitrary order, and when every learner has the same sheet
  score both groups are everyone and D is 0. Within a group each learner
  counts once, by their own share of right answers to the question (1 or 0
  after a single answer): ``p(group) = Σ weight × share / (n / 3)``.
- **Choices** (``mcq`` and ``true_false``): how many answers gave each choice,
  compared as the checker compares them (Unicode NFC, outer spaces trimmed);
  an answer matching no current choice counts as ``unmatched``. For the other
  types, the wrong answers given most often (same comparison, case folded).
- **Flags**, only with at least ``MIN_LEARNERS`` learners (below that a third
  is one learner, and one lucky guess moves D by 0.5 or more): *too easy*
  when ``p ≥ 0.9``, *too hard* when ``p ≤ 0.2``, *poor discrimination* when
  ``D < 0.2``. D itself is None below ``MIN_LEARNERS``: "not enough answers".

``analyse(ids)`` answers for many questions in three queries, whatever their
number (the review queue asks for a page at a time); ``question_report`` and
``overview`` serve the analysis pages.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import STATUS_SUPERSEDED, Answer, Attempt, Question, Revision, Sheet
from .errors import NotFound

# Fewer learners than this give no discrimination index and no flag.
MIN_LEARNERS = 6
EASY_FROM = Fraction(9, 10)
HARD_UP_TO = Fraction(1, 5)
POOR_DISCRIMINATION_BELOW = Fraction(1, 5)
CHOICE_TYPES = ("mcq", "true_false")
# How many of the most frequent wrong free answers are kept.
WRONG_ANSWERS_SHOWN = 5
OVERVIEW_PAGE_SIZE = 50

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
POOR_DISCRIMINATION = "poor_discrimination"
FLAGS = (TOO_EASY, TOO_HARD, POOR_DISCRIMINATION)

# ("user", id) or ("visitor", visitor id): one learner.
Learner = tuple[str, Any]


@dataclass(frozen=True)
class AnswerFact:
    """One answer row as the analysis reads it."""

    learner: Learner
    given: Any
    correct: bool


@dataclass(frozen=True)
class ChoiceCount:
    """How many answers gave one choice; ``right`` marks the question's answer."""

    choice: str
    count: int
    right: bool

    def share(self, total: int) -> float:
        """This choice's part of ``total`` answers (0 when there are none)."""
        return self.count / total if total else 0.0


@dataclass(frozen=True)
class ItemAnalysis:
    """The figures of one question row (see the module docstring for the definitions)."""

    question_id: int
    answers: int = 0
    right: int = 0
    learners: int = 0
    p: float | None = None
    discrimination: float | None = None
    upper_p: float | None = None
    lower_p: float | None = None
    choices: tuple[ChoiceCount, ...] = ()
    unmatched: int = 0
    wrong_answers: tuple[tuple[str, int], ...] = ()
    flags: tuple[str, ...] = field(default=())

    @property
    def enough(self) -> bool:
        """Whether enough learners answered for D and the flags to mean something."""
        return self.learners >= MIN_LEARNERS

    @property
    def group_size(self) -> float:
        """How many learners each third weighs."""
        return self.learners / 3


@dataclass(frozen=True)
class QuestionFacts:
    """What the analysis reads of a question row."""

    id: int
    type: str
    choices: list[str]
    answer: Any
    sheet_id: int


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


def learner(user_id: int | None, visitor_id: str | None) -> Learner:
    """The learner an attempt belongs to: its account, else its visitor."""
    return ("user", user_id) if user_id is not None else ("visitor", visitor_id)


# Pure computations -------------------------------------------------------------


def analyse_item(
    question: QuestionFacts, answers: Sequence[AnswerFact], scores: Mapping[Learner, Fraction]
) -> ItemAnalysis:
    """The figures of one question from its answers and its learners' sheet scores (pure)."""
    if not answers:
        return ItemAnalysis(question.id)
    right = sum(answer.correct for answer in answers)
    p = Fraction(right, len(answers))
    shares = learner_shares(answers)
    enough = len(shares) >= MIN_LEARNERS
    upper, lower = third_scores(shares, scores) if enough else (None, None)
    discrimination = upper - lower if upper is not None and lower is not None else None
    choices, unmatched, wrong = _choice_figures(question, answers)
    return ItemAnalysis(
        question_id=question.id,
        answers=len(answers),
        right=right,
        learners=len(shares),
        p=float(p),
        discrimination=None if discrimination is None else float(discrimination),
        upper_p=None if upper is None else float(upper),
        lower_p=None if lower is None else float(lower),
        choices=choices,
        unmatched=unmatched,
        wrong_answers=wrong,
        flags=flags_for(p, discrimination) if enough else (),
    )


def learner_shares(answers: Iterable[AnswerFact]) -> dict[Learner, Fraction]:
    """Each learner's share of right answers to the question (several attempts may answer it)."""
    given: Counter[Learner] = Counter()
    right: Counter[Learner] = Counter()
    for answer in answers:
        given[answer.learner] += 1
        right[answer.learner] += answer.correct
    return {who: Fraction(right[who], count) for who, count in given.items()}


def third_scores(
    shares: Mapping[Learner, Fraction], scores: Mapping[Learner, Fraction]
) -> tuple[Fraction, Fraction]:
    """``(p of the top third, p of the bottom third)``, learners ranked by sheet score."""
    mass = Fraction(len(shares), 3)
    # A learner without a sheet score cannot be (they answered this question), but 0 is safe.
    ranked = sorted(shares, key=lambda who: scores.get(who, Fraction(0)), reverse=True)
    by_score = [scores.get(who, Fraction(0)) for who in ranked]
    top = _group_weights(by_score, mass)
    bottom = list(reversed(_group_weights(list(reversed(by_score)), mass)))
    upper = sum((w * shares[who] for w, who in zip(top, ranked, strict=True)), Fraction(0))
    lower = sum((w * shares[who] for w, who in zip(bottom, ranked, strict=True)), Fraction(0))
    return upper / mass, lower / mass


def _group_weights(ordered_scores: Sequence[Fraction], mass: Fraction) -> list[Fraction]:
    """Weights filling ``mass`` from the start of ``ordered_scores``; equal scores share alike."""
    weights = [Fraction(0)] * len(ordered_scores)
    remaining, start = mass, 0
    while remaining > 0 and start < len(ordered_scores):
        end = start
        while end < len(ordered_scores) and ordered_scores[end] == ordered_scores[start]:
            end += 1
        size = end - start
        taken = min(Fraction(size), remaining)
        for index in range(start, end):
            weights[index] = taken / size
        remaining -= taken
        start = end
    return weights


def flags_for(p: Fraction, discrimination: Fraction | None) -> tuple[str, ...]:
    """The flags of a question with enough learners."""
    flags = []
    if p >= EASY_FROM:
        flags.append(TOO_EASY)
    if p <= HARD_UP_TO:
        flags.append(TOO_HARD)
    if discrimination is not None and discrimination < POOR_DISCRIMINATION_BELOW:
        flags.append(POOR_DISCRIMINATION)
    return tuple(flags)


def _choice_figures(
    question: QuestionFacts, answers: Sequence[AnswerFact]
) -> tuple[tuple[ChoiceCount, ...], int, tuple[tuple[str, int], ...]]:
    """``(choice counts, answers matching no choice, frequent wrong free answers)``."""
    if question.type not in CHOICE_TYPES:
        return (), 0, frequent_wrong_answers(answers)
    counts = Counter(_as_choice(answer.given) for answer in answers)
    right = _as_choice(question.answer)
    choices = tuple(
        ChoiceCount(choice, counts.pop(_as_choice(choice), 0), _as_choice(choice) == right)
        for choice in question.choices
    )
    return choices, sum(counts.values()), ()


def frequent_wrong_answers(answers: Iterable[AnswerFact]) -> tuple[tuple[str, int], ...]:
    """The wrong answers given most often, as first typed, with their counts."""
    counts: Counter[str] = Counter()
    first_form: dict[str, str] = {}
    for answer in answers:
        if answer.correct:
            continue
        text = _display(answer.given)
        key = text.casefold()
        first_form.setdefault(key, text)
        counts[key] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple((first_form[key], count) for key, count in ranked[:WRONG_ANSWERS_SHOWN])


def _as_choice(value: Any) -> str:
    """A given answer or a choice as the checker compares them."""
    return unicodedata.normalize("NFC", str(value)).strip()


def _display(given: Any) -> str:
    """A given answer as one line: an order answer's items joined by arrows."""
    if isinstance(given, list):
        return " → ".join(_as_choice(item) for item in given)
    return " ".join(_as_choice(given).split())
