"""A learner's progress, derived from their answer rows (never stored counters).

``learner_stats`` reads one flat row per answer and hands them to the pure
``compute_stats``. Days are UTC days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select

from ...extensions import db
from ...models import Answer, Attempt, Question, Revision, Sheet, as_utc, utcnow
from .attempts import Owner, owned_by

# The activity chart covers this many days, today included.
CHART_DAYS = 30


class DayCount(NamedTuple):
    """Answers of one day: ``(date, answered, correct)``."""

    date: date
    answered: int
    correct: int


@dataclass(frozen=True)
class AnswerFact:
    """One answer row, flattened with what the statistics group it by."""

    correct: bool
    answered_at: datetime
    sheet: str
    sheet_title: str
    tags: list[str]


@dataclass(frozen=True)
class Stats:
    """Totals and breakdowns of a learner's answers.

    ``by_sheet``: {slug: {title, answered, correct, accuracy}}; ``by_tag``:
    {tag: {answered, correct, accuracy}}; ``by_day``: the last 30 days, oldest
    first, days without answers included; ``streak``: consecutive days with an
    answer, ending today (or yesterday, since today is not over).
    """

    answered: int
    correct: int
    accuracy: float
    by_sheet: dict[str, dict[str, Any]]
    by_tag: dict[str, dict[str, Any]]
    by_day: list[DayCount]
    streak: int
    attempts: int


def learner_stats(owner: Owner, now: datetime | None = None) -> Stats:
    """The owner's statistics as of ``now`` (default: the current time)."""
    query = (
        select(Answer.correct, Answer.created_at, Sheet.slug, Sheet.title, Question.tags)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(Question, Answer.question_id == Question.id)
        .join(Revision, Question.revision_id == Revision.id)
        .join(Sheet, Revision.sheet_id == Sheet.id)
        .where(owned_by(owner))
    )
    facts = [
        AnswerFact(bool(correct), as_utc(created_at), slug, title, list(tags or ()))
        for correct, created_at, slug, title, tags in db.session.execute(query).tuples()
    ]
    attempts = db.session.scalar(select(func.count()).select_from(Attempt).where(owned_by(owner)))
    today = as_utc(now or utcnow()).date()
    return compute_stats(facts, attempts or 0, today)


def compute_stats(facts: list[AnswerFact], attempts: int, today: date) -> Stats:
    """The statistics of ``facts`` as seen on ``today`` (pure)."""
    correct = sum(fact.correct for fact in facts)
    titles = {fact.sheet: fact.sheet_title for fact in facts}
    by_sheet = _score_by(facts, lambda fact: [fact.sheet])
    for slug, score in by_sheet.items():
        score["title"] = titles[slug]
    days = {fact.answered_at.date() for fact in facts}
    return Stats(
        answered=len(facts),
        correct=correct,
        accuracy=accuracy(correct, len(facts)),
        by_sheet=dict(sorted(by_sheet.items(), key=lambda item: (item[1]["title"], item[0]))),
        by_tag=dict(sorted(_score_by(facts, lambda fact: fact.tags).items())),
        by_day=daily_counts(facts, today),
        streak=streak(days, today),
        attempts=attempts,
    )


def accuracy(correct: int, answered: int) -> float:
    """``correct / answered``, 0 when nothing was answered."""
    return correct / answered if answered else 0.0


def daily_counts(facts: Iterable[AnswerFact], today: date) -> list[DayCount]:
    """Answers per day over the last ``CHART_DAYS`` days, oldest first, zeros included."""
    answered: dict[date, int] = defaultdict(int)
    right: dict[date, int] = defaultdict(int)
    for fact in facts:
        day = fact.answered_at.date()
        answered[day] += 1
        right[day] += fact.correct
    first = today - timedelta(days=CHART_DAYS - 1)
    days = [first + timedelta(days=offset) for offset in range(CHART_DAYS)]
    return [DayCount(day, answered[day], right[day]) for day in days]


def streak(days: set[date], today: date) -> int:
    """Consecutive days with an answer ending today, or yesterday if today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _score_by(facts: Iterable[AnswerFact], keys_of: Any) -> dict[str, dict[str, Any]]:
    """``{key: {answered, correct, accuracy}}``, each fact counted under each of its keys."""
    scores: dict[str, dict[str, Any]] = {}
    for fact in facts:
        for key in keys_of(fact):
            score = scores.setdefault(key, {"answered": 0, "correct": 0})
            score["answered"] += 1
            score["correct"] += int(fact.correct)
    for score in scores.values():
        score["accuracy"] = accuracy(score["correct"], score["answered"])
    return scores
