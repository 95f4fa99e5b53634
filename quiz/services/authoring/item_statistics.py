"""Item analysis, the arithmetic: the figures of one question from its answers.

Pure: no database, no Flask. ``quiz.services.item_analysis`` reads the answer
rows and the learners' sheet scores, and hands them to ``analyse_item``.

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
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# Fewer learners than this give no discrimination index and no flag.
MIN_LEARNERS = 6
EASY_FROM = Fraction(9, 10)
HARD_UP_TO = Fraction(1, 5)
POOR_DISCRIMINATION_BELOW = Fraction(1, 5)
CHOICE_TYPES = ("mcq", "true_false")
# How many of the most frequent wrong free answers are kept.
WRONG_ANSWERS_SHOWN = 5

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


def learner(user_id: int | None, visitor_id: str | None) -> Learner:
    """The learner an attempt belongs to: its account, else its visitor."""
    return ("user", user_id) if user_id is not None else ("visitor", visitor_id)


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
