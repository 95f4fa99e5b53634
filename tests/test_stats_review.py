"""Progress statistics and the review queue, both derived from answer rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from study_data import add_question, answer_row, make_sheet

from quiz.extensions import db
from quiz.models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Attempt,
    Question,
)
from quiz.services.errors import Invalid, NotFound
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner
from quiz.services.study.spaced_review import due_for_review, start_review_attempt
from quiz.services.study.stats import CHART_DAYS, learner_stats

ME = Owner(visitor_id="me")
SOMEONE_ELSE = Owner(visitor_id="someone-else")
NOW = datetime(2024, 3, 15, 18, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        make_sheet("otan", ("2022",))
        make_sheet("ukraine", ("1",))
        yield


def new_attempt(owner: Owner, slug: str, types: list[str]) -> tuple[Attempt, list[Question]]:
    """An attempt on one question of each of ``types``, returned in that order."""
    attempt = attempts.start_attempt(owner, slug, types=types)
    by_type = {q.type: q for q in (db.session.get(Question, i) for i in attempt.question_ids)}
    return attempt, [by_type[kind] for kind in types]


def days_ago(days: int, hour: int = 12) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), UTC).replace(
        hour=hour
    )


def test_nothing_answered(ctx: None) -> None:
    stats = learner_stats(ME, now=NOW)
    assert (stats.answered, stats.correct, stats.accuracy) == (0, 0, 0)
    assert (stats.streak, stats.attempts) == (0, 0)
    assert stats.by_sheet == {} and stats.by_tag == {}
    assert len(stats.by_day) == CHART_DAYS
    assert stats.by_day[-1] == (TODAY, 0, 0)
    assert stats.by_day[0].date == TODAY - timedelta(days=CHART_DAYS - 1)
    assert all(day.answered == 0 for day in stats.by_day)


def test_stats_are_derived_from_answers(ctx: None) -> None:
    otan, (numeric, short) = new_attempt(ME, "otan", ["numeric", "short"])
    ukraine, (mcq,) = new_attempt(ME, "ukraine", ["mcq"])
    answer_row(otan, numeric, True, days_ago(0))
    answer_row(otan, short, False, days_ago(1))
    answer_row(ukraine, mcq, True, days_ago(40))  # counted, but outside the chart
    other, (cloze,) = new_attempt(SOMEONE_ELSE, "otan", ["cloze"])
    answer_row(other, cloze, True, days_ago(0))  # someone else's: never counted

    stats = learner_stats(ME, now=NOW)
    assert (stats.answered, stats.correct, stats.attempts) == (3, 2, 2)
    assert stats.accuracy == pytest.approx(2 / 3)
    assert stats.by_sheet == {
        "otan": {"title": "Fiche otan", "answered": 2, "correct": 1, "accuracy": 0.5},
        "ukraine": {"title": "Fiche ukraine", "answered": 1, "correct": 1, "accuracy": 1.0},
    }
    assert stats.by_tag == {
        "acronym": {"answered": 1, "correct": 0, "accuracy": 0.0},
        "institution": {"answered": 1, "correct": 0, "accuracy": 0.0},
        "number": {"answered": 1, "correct": 1, "accuracy": 1.0},
        "place": {"answered": 1, "correct": 1, "accuracy": 1.0},
    }
    assert stats.by_day[-1] == (TODAY, 1, 1)
    assert stats.by_day[-2] == (TODAY - timedelta(days=1), 1, 0)
    assert sum(day.answered for day in stats.by_day) == 2


def test_streak_counts_consecutive_days(ctx: None) -> None:
    attempt, questions = new_attempt(ME, "otan", ["cloze", "mcq", "short", "numeric", "order"])
    for question, days in zip(questions, (0, 1, 2, 4, 5), strict=True):
        answer_row(attempt, question, True, days_ago(days))
    assert learner_stats(ME, now=NOW).streak == 3  # today, yesterday, the day before
    # Tomorrow, before answering anything: today's answers keep the streak alive.
    assert learner_stats(ME, now=NOW + timedelta(days=1)).streak == 3
    # Two days later the streak is broken.
    assert learner_stats(ME, now=NOW + timedelta(days=2)).streak == 0


def test_a_wrong_answer_is_due_for_review_a_right_one_is_not(ctx: None) -> None:
    attempt, (right, wrong) = new_attempt(ME, "otan", ["cloze", "mcq"])
    answered_at = NOW - timedelta(minutes=5)
    answer_row(attempt, right, True, answered_at)
    answer_row(attempt, wrong, False, answered_at)
    assert due_for_review(ME, now=NOW) == [wrong]
    assert due_for_review(ME, now=NOW) == [wrong]  # deterministic
    assert due_for_review(SOMEONE_ELSE, now=NOW) == []
    # Much later, the right one is due too, after the more overdue wrong one.
    assert due_for_review(ME, now=NOW + timedelta(days=60)) == [wrong, right]
    # Before the answers, nothing was due.
    assert due_for_review(ME, now=answered_at - timedelta(seconds=1)) == []


def test_review_replays_every_answer(ctx: None) -> None:
    first, (question,) = new_attempt(ME, "otan", ["mcq"])
    second = attempts.start_attempt(ME, "otan", types=["mcq"])
    answer_row(first, question, False, NOW - timedelta(days=1))
    answer_row(second, question, True, NOW - timedelta(hours=1))  # relearned since
    assert due_for_review(ME, now=NOW) == []


def test_review_is_most_overdue_first_limited_and_approved_only(ctx: None) -> None:
    attempt, questions = new_attempt(ME, "otan", ["cloze", "mcq", "short", "numeric"])
    for index, question in enumerate(questions):
        answer_row(attempt, question, False, NOW - timedelta(hours=4 - index))
    assert due_for_review(ME, now=NOW) == questions
    assert due_for_review(ME, now=NOW, limit=2) == questions[:2]
    questions[0].status = STATUS_RETIRED
    db.session.flush()
    assert due_for_review(ME, now=NOW) == questions[1:]


def test_review_defaults_to_the_current_time(ctx: None) -> None:
    attempt, (question,) = new_attempt(ME, "otan", ["mcq"])
    answer_row(attempt, question, False, datetime.now(UTC) - timedelta(minutes=1))
    assert due_for_review(ME) == [question]
    assert learner_stats(ME).by_day[-1].date == datetime.now(UTC).date()


def test_a_new_question_without_answers_is_not_due(ctx: None) -> None:
    attempt, (question,) = new_attempt(ME, "otan", ["mcq"])
    revision = question.revision
    add_question(revision, revision.paragraphs[0], "cloze", answer="1994")
    db.session.flush()
    assert due_for_review(ME, now=NOW) == []


def test_a_review_attempt_asks_the_due_questions_of_one_revision(ctx: None) -> None:
    otan, (cloze, mcq, short) = new_attempt(ME, "otan", ["cloze", "mcq", "short"])
    ukraine, (other,) = new_attempt(ME, "ukraine", ["mcq"])
    for question in (cloze, mcq, other):
        answer_row(otan if question is not other else ukraine, question, False, NOW)
    answer_row(otan, short, True, NOW)  # right: not due
    review = start_review_attempt(ME, otan.revision_id, now=NOW)
    assert sorted(review.question_ids) == sorted([cloze.id, mcq.id])
    assert review.revision_id == otan.revision_id and review.visitor_id == ME.visitor_id
    assert review.settings["review"] is True
    with pytest.raises(Invalid):
        start_review_attempt(SOMEONE_ELSE, otan.revision_id, now=NOW)
    with pytest.raises(NotFound):
        start_review_attempt(ME, 10_000, now=NOW)


def test_an_edited_question_keeps_its_review_history(ctx: None) -> None:
    """Answers to a version an approved edit superseded count for the new version."""
    attempt, (question,) = new_attempt(ME, "otan", ["cloze"])
    answer_row(attempt, question, False, NOW - timedelta(minutes=5))
    same = {"uid": question.uid, "answer": question.answer, "accepted": question.accepted}
    second = add_question(
        question.revision, question.paragraph, "cloze", version=2, replaces_id=question.id, **same
    )
    question.status = STATUS_SUPERSEDED
    db.session.flush()
    assert due_for_review(ME, now=NOW) == [second]
    third = add_question(
        question.revision, question.paragraph, "cloze", STATUS_DRAFT, version=3,
        replaces_id=second.id, **same,
    )  # fmt: skip
    db.session.flush()
    assert due_for_review(ME, now=NOW) == [second]  # a pending edit is not served yet
    second.status, third.status = STATUS_SUPERSEDED, STATUS_APPROVED
    db.session.flush()
    assert due_for_review(ME, now=NOW) == [third]
