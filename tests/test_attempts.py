"""Attempts: drawing questions, ownership, answers scored once, feedback and summary."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from study_data import (
    ORDER_ITEMS,
    PARAGRAPH,
    SPANS,
    add_question,
    answer_count,
    make_sheet,
    right_answer,
    wrong_answer,
)

from quiz.extensions import db
from quiz.models import STATUS_DRAFT, STATUS_RETIRED, Attempt, Question, utcnow
from quiz.services.accounts.users import register
from quiz.services.errors import AlreadyAnswered, Invalid, NotFound
from quiz.services.study import attempts, drawing
from quiz.services.study.attempts import Owner

VISITOR = Owner(visitor_id="visitor-a")
ALL_TYPES = {"cloze", "mcq", "true_false", "short", "numeric", "order"}


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context with a sheet of two revisions, each with one question per type."""
    with app.app_context():
        make_sheet("otan", ("2021", "2022"))
        db.session.commit()
        yield


def questions_of(attempt: Attempt) -> list[Question]:
    return [db.session.get(Question, question_id) for question_id in attempt.question_ids]


def test_start_defaults_to_the_latest_revision(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan")
    assert attempt.revision.label == "2022"
    assert {q.revision.label for q in questions_of(attempt)} == {"2022"}
    assert {q.type for q in questions_of(attempt)} == ALL_TYPES
    assert attempt.visitor_id == "visitor-a" and attempt.user_id is None
    older = attempts.start_attempt(VISITOR, "otan", revision_label="2021")
    assert {q.revision.label for q in questions_of(older)} == {"2021"}


def test_start_filters_by_type_tag_and_count(ctx: None) -> None:
    by_type = attempts.start_attempt(VISITOR, "otan", types=["mcq", "order"])
    assert sorted(q.type for q in questions_of(by_type)) == ["mcq", "order"]
    by_tag = attempts.start_attempt(VISITOR, "otan", tags=["number", "acronym"])
    assert sorted(q.type for q in questions_of(by_tag)) == ["numeric", "short"]
    both = attempts.start_attempt(VISITOR, "otan", types=["cloze", "short"], tags=["date"])
    assert [q.type for q in questions_of(both)] == ["cloze"]
    few = attempts.start_attempt(VISITOR, "otan", count=2)
    assert len(few.question_ids) == 2 and len(set(few.question_ids)) == 2
    assert few.settings == {"count": 2, "types": None, "tags": None}
    assert both.settings == {"count": 10, "types": ["cloze", "short"], "tags": ["date"]}


def test_only_approved_questions_are_drawn(ctx: None) -> None:
    revision = attempts.start_attempt(VISITOR, "otan").revision
    paragraph = revision.paragraphs[0]
    draft = add_question(revision, paragraph, "cloze", status=STATUS_DRAFT, answer="x")
    retired = add_question(revision, paragraph, "cloze", status=STATUS_RETIRED, answer="y")
    db.session.flush()
    for _ in range(5):
        drawn = attempts.start_attempt(VISITOR, "otan", count=50).question_ids
        assert draft.id not in drawn and retired.id not in drawn
        assert len(drawn) == len(ALL_TYPES)


def test_the_order_is_reproducible_from_the_attempt(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", count=4)
    pool = [q.id for q in attempt.revision.questions]
    assert drawing.draw(pool, 4, attempt.seed) == attempt.question_ids
    orders = {tuple(attempts.start_attempt(VISITOR, "otan").question_ids) for _ in range(8)}
    assert len(orders) > 1  # drawn at random, not in id order every time


@pytest.mark.parametrize(
    ("settings", "error"),
    [
        ({"types": ["order"], "tags": ["person"]}, Invalid),  # no question matches
        ({"count": 0}, Invalid),
        ({"count": 51}, Invalid),
        ({"count": "5"}, Invalid),
        ({"types": ["essay"]}, Invalid),
        ({"revision_label": "1999"}, NotFound),
    ],
)
def test_start_refuses_bad_settings(ctx: None, settings: dict, error: type) -> None:
    with pytest.raises(error):
        attempts.start_attempt(VISITOR, "otan", **settings)


def test_start_needs_a_known_sheet_and_an_owner(ctx: None) -> None:
    with pytest.raises(NotFound):
        attempts.start_attempt(VISITOR, "inconnue")
    with pytest.raises(Invalid):
        attempts.start_attempt(Owner(), "otan")


def test_an_attempt_is_found_only_by_its_owner(ctx: None) -> None:
    alice = Owner(user_id=register("alice", "password1").id)
    bob = Owner(user_id=register("bob", "password2").id)
    visitor_attempt = attempts.start_attempt(VISITOR, "otan")
    user_attempt = attempts.start_attempt(alice, "otan")
    assert attempts.get_attempt(VISITOR, visitor_attempt.id) is visitor_attempt
    assert attempts.get_attempt(alice, user_attempt.id) is user_attempt
    strangers = [
        (Owner(visitor_id="visitor-b"), visitor_attempt.id),
        (alice, visitor_attempt.id),  # a user is not the visitor, unless the attempt was claimed
        (VISITOR, user_attempt.id),
        (bob, user_attempt.id),
        (Owner(), visitor_attempt.id),
        (Owner(), user_attempt.id),
        (alice, 10_000),  # no such attempt
    ]
    for owner, attempt_id in strangers:
        with pytest.raises(NotFound):
            attempts.get_attempt(owner, attempt_id)
    with pytest.raises(NotFound):
        attempts.retry_mistakes(bob, user_attempt)


def test_next_question_follows_the_attempt_order(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan")
    asked = []
    while (question := attempts.next_question(attempt)) is not None:
        asked.append(question.id)
        attempts.submit_answer(attempt, question.id, right_answer(question))
    assert asked == attempt.question_ids
    assert attempt.finished


def test_submit_a_right_and_a_wrong_answer(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", types=["numeric", "mcq"])
    first, second = questions_of(attempt)
    right = attempts.submit_answer(attempt, first.id, right_answer(first))
    assert right.correct is True
    assert (right.position, right.total) == (1, 2)
    assert right.question is first
    assert right.expected == first.answer and right.explanation == first.explanation
    wrong = attempts.submit_answer(attempt, second.id, wrong_answer(second))
    assert wrong.correct is False and wrong.given == wrong_answer(second)
    assert wrong.position == 2
    source = wrong.source
    assert (source.sheet, source.sheet_title, source.revision) == ("otan", "Fiche otan", "2022")
    assert source.paragraph == second.paragraph.text and source.anchor == "p-0000000001"
    start, end = SPANS[second.type]
    assert (source.evidence_start, source.evidence_end) == (start, end)
    assert source.url == f"/sheets/otan/revisions/2022?hl=p-0000000001:{start}-{end}#p-0000000001"
    assert answer_count(attempt_id=attempt.id) == 2
    assert attempts.feedback_for(attempt, second.id) == wrong


def test_submit_refuses_questions_outside_the_attempt_and_malformed_answers(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", types=["mcq"])
    other = attempts.start_attempt(VISITOR, "otan", types=["cloze"])
    with pytest.raises(NotFound):
        attempts.submit_answer(attempt, other.question_ids[0], "1994")
    with pytest.raises(Invalid):
        attempts.submit_answer(attempt, attempt.question_ids[0], "Allemagne")
    with pytest.raises(NotFound):
        attempts.feedback_for(attempt, attempt.question_ids[0])  # nothing stored
    assert answer_count() == 0


def test_a_double_submit_is_scored_once(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", types=["mcq"])
    question = questions_of(attempt)[0]
    attempts.submit_answer(attempt, question.id, wrong_answer(question))
    with pytest.raises(AlreadyAnswered):
        attempts.submit_answer(attempt, question.id, right_answer(question))
    db.session.commit()
    assert answer_count(attempt_id=attempt.id) == 1
    assert attempts.feedback_for(attempt, question.id).correct is False  # the first stands


def test_the_database_refuses_a_second_answer_from_a_stale_session(app: Flask) -> None:
    # Session A has loaded the attempt with no answer; B answers and commits;
    # A's check in memory passes, so only the unique constraint can stop it.
    with app.app_context():
        make_sheet()
        attempt_id = attempts.start_attempt(VISITOR, "otan", types=["mcq"]).id
        db.session.commit()
    with app.app_context():
        stale = attempts.get_attempt(VISITOR, attempt_id)
        question_id = stale.question_ids[0]
        assert stale.answered_ids == set()
        with app.app_context():
            fresh = attempts.get_attempt(VISITOR, attempt_id)
            attempts.submit_answer(fresh, question_id, "Russie")
            db.session.commit()
        with pytest.raises(AlreadyAnswered):
            attempts.submit_answer(stale, question_id, "France")
        db.session.commit()  # the transaction is still usable
        assert answer_count(attempt_id=attempt_id) == 1
        assert attempts.feedback_for(stale, question_id).correct is True


def test_two_threads_submitting_at_once_store_one_answer(app: Flask) -> None:
    with app.app_context():
        make_sheet()
        attempt_id = attempts.start_attempt(VISITOR, "otan", types=["mcq"]).id
        db.session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(given: str) -> None:
        with app.app_context():
            attempt = attempts.get_attempt(VISITOR, attempt_id)
            question_id = attempt.question_ids[0]
            assert attempt.answered_ids == set()  # both pass the check in memory
            barrier.wait()
            try:
                attempts.submit_answer(attempt, question_id, given)
                db.session.commit()
                outcomes.append("stored")
            except AlreadyAnswered:
                db.session.rollback()
                outcomes.append("already answered")

    threads = [threading.Thread(target=submit, args=(given,)) for given in ("Russie", "France")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already answered", "stored"]
    with app.app_context():
        assert answer_count(attempt_id=attempt_id) == 1


def test_summary_scores_and_times_the_attempt(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", types=["mcq", "cloze", "short"])
    start = utcnow() - timedelta(hours=1)
    attempt.created_at = start
    first, second, third = questions_of(attempt)
    empty = attempts.summary(attempt)
    assert (empty.score, empty.answered, empty.seconds, empty.finished) == (0, 0, None, False)
    attempts.submit_answer(attempt, first.id, right_answer(first))
    attempts.submit_answer(attempt, second.id, wrong_answer(second))
    for answer, delay in zip(attempt.answers, (30, 95), strict=True):
        answer.created_at = start + timedelta(seconds=delay)
    db.session.flush()
    result = attempts.summary(attempt)
    assert (result.score, result.total, result.answered) == (1, 3, 2)
    assert result.seconds == 95
    assert result.mistakes == [second.id]
    assert [item.question.id for item in result.items] == attempt.question_ids
    assert [item.correct for item in result.items] == [True, False, None]
    assert result.items[1].given == wrong_answer(second)
    assert result.items[1].feedback.expected == second.answer
    assert result.items[2].feedback is None and not result.finished


def test_retry_mistakes_asks_the_wrong_ones_again(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan")
    wrong_ids = set()
    for index, question in enumerate(questions_of(attempt)):
        if index % 2:
            attempts.submit_answer(attempt, question.id, wrong_answer(question))
            wrong_ids.add(question.id)
        else:
            attempts.submit_answer(attempt, question.id, right_answer(question))
    retry = attempts.retry_mistakes(VISITOR, attempt)
    assert set(retry.question_ids) == wrong_ids and len(retry.question_ids) == len(wrong_ids)
    assert retry.retry_of_id == attempt.id and retry.id != attempt.id
    assert retry.revision_id == attempt.revision_id and retry.visitor_id == VISITOR.visitor_id
    for question in questions_of(retry):
        attempts.submit_answer(retry, question.id, right_answer(question))
    with pytest.raises(Invalid):
        attempts.retry_mistakes(VISITOR, retry)


def item_source(kind: str, **changes: Any) -> dict[str, Any]:
    """An item source citing the sentence of ``kind`` in the sheet's paragraph."""
    start, end = SPANS[kind]
    source = {"sheet": "otan", "revision": "2022", "anchor": "p-0000000001",
              "paragraph": PARAGRAPH, "evidence": {"start": start, "end": end}}  # fmt: skip
    return source | changes


def test_order_feedback_gives_each_event_its_date_and_source(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", types=["order"])
    [question] = questions_of(attempt)
    question.item_sources = [
        item_source("order", date="1991"),
        item_source("cloze", date="1994"),
        item_source("mcq"),  # no date known
        item_source("short", date="2002", evidence={"start": 0, "end": 10_000}),  # broken
    ]
    feedback = attempts.submit_answer(attempt, question.id, right_answer(question))
    assert [event.text for event in feedback.events] == ORDER_ITEMS
    assert [event.date for event in feedback.events] == ["1991", "1994", None, "2002"]
    sources = [event.source for event in feedback.events]
    assert [(s.evidence_start, s.evidence_end) for s in sources[:3]] == [
        SPANS[kind] for kind in ("order", "cloze", "mcq")
    ]
    assert sources[3] is None  # a span outside its paragraph is not quoted
    start, end = SPANS["cloze"]
    assert sources[1].url == f"/sheets/otan/revisions/2022?hl=p-0000000001:{start}-{end}#p-0000000001"
    assert (sources[1].sheet_title, sources[1].paragraph) == ("Fiche otan", PARAGRAPH)
    # The question's own source is its first event's: the page quotes it once.
    assert feedback.source_among_events and feedback.events_cited
    assert attempts.feedback_for(attempt, question.id).events == feedback.events


@pytest.mark.parametrize(
    ("kind", "item_sources", "dated", "cited"),
    [
        ("order", [], False, False),  # an instructor's events: no sources
        ("order", [item_source("order", date="1991")], False, False),  # not one per event
        ("order", ["p-1", None, 3, {"date": "1994"}], True, False),  # malformed, dates kept
        ("mcq", [item_source("mcq", date="1991")], False, False),  # only order has events
    ],
)
def test_order_feedback_survives_what_item_sources_lack(
    ctx: None, kind: str, item_sources: list[Any], dated: bool, cited: bool
) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan", types=[kind])
    [question] = questions_of(attempt)
    question.item_sources = item_sources
    feedback = attempts.submit_answer(attempt, question.id, right_answer(question))
    if kind != "order":
        assert feedback.events == ()
        return
    assert [event.text for event in feedback.events] == ORDER_ITEMS
    assert any(event.date for event in feedback.events) is dated
    assert any(event.source for event in feedback.events) is cited
    assert not feedback.source_among_events  # then the question's own source is quoted


def test_public_view_gives_nothing_away(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan")
    for question in questions_of(attempt):
        view = attempts.public_view(question)
        assert set(view) == {"id", "type", "prompt", "choices", "tags", "lang"}
        assert view["id"] == question.id and view["prompt"] == question.prompt
        if question.type == "order":
            assert sorted(view["choices"]) == sorted(ORDER_ITEMS)
            assert view["choices"] != question.answer
            assert attempts.public_view(question) == view  # the same on every view
        elif question.type in ("cloze", "short", "numeric"):
            assert view["choices"] == []
            assert question.answer not in repr(view)
        else:
            assert view["choices"] == question.choices


def test_attempt_questions_are_in_the_order_asked(ctx: None) -> None:
    attempt = attempts.start_attempt(VISITOR, "otan")
    assert [q.id for q in attempt.questions] == attempt.question_ids
    stored = db.session.scalars(select(Attempt)).one()
    assert stored.question_ids == attempt.question_ids
