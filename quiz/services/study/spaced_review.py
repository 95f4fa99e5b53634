"""The review queue: which answered questions are due again, by spaced repetition.

Nothing is stored: each question's answers are replayed, oldest first, through
the FSRS scheduler (right → Good, wrong → Again) to find when it is due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from ...extensions import db
from ...models import (
    STATUS_APPROVED,
    STATUS_SUPERSEDED,
    Answer,
    Attempt,
    Question,
    Revision,
    as_utc,
    utcnow,
)
from ..errors import Invalid, NotFound
from .attempts import MAX_COUNT, Owner, create_attempt, owned_by
from .drawing import pool_of

DESIRED_RETENTION = 0.9
# A quiz is not a flashcard session: there are no minute-long learning steps.
# A wrong answer is due again at once; a right one goes on to days-long intervals.
SCHEDULER = Scheduler(
    desired_retention=DESIRED_RETENTION,
    learning_steps=(timedelta(0),),
    relearning_steps=(timedelta(0),),
    enable_fuzzing=False,  # the same answers always give the same schedule
)


def due_for_review(owner: Owner, now: datetime | None = None, limit: int = 20) -> list[Question]:
    """The owner's answered questions due at ``now``, most overdue first (approved ones only)."""
    moment = as_utc(now) if now else utcnow()
    due = sorted(
        (when, question_id)
        for question_id, when in schedule(answer_history(owner, moment)).items()
        if when <= moment
    )
    ids = [question_id for _, question_id in due]
    rows = db.session.scalars(
        select(Question).where(Question.id.in_(ids), Question.status == STATUS_APPROVED)
    )
    questions = {question.id: question for question in rows}
    return [questions[question_id] for question_id in ids if question_id in questions][:limit]


def start_review_attempt(owner: Owner, revision_id: int, now: datetime | None = None) -> Attempt:
    """A new attempt on the owner's due questions of one revision (an attempt has one).

    ``NotFound`` for an unknown revision, ``Invalid`` when none of its questions is due.
    """
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        raise NotFound("Cette version de la fiche n'existe pas.")
    due = due_for_review(owner, now, limit=2**31)
    due_here = [question.id for question in due if question.revision_id == revision_id]
    if not due_here:
        raise Invalid("Aucune question de cette fiche n'est à revoir pour l'instant.")
    # The most overdue first: the draw keeps, of these, the ones that give nothing away.
    pool = pool_of(due_here[:MAX_COUNT])
    settings = {"count": len(pool), "types": None, "tags": None, "review": True}
    return create_attempt(owner, revision, pool, settings)


def answer_history(owner: Owner, until: datetime) -> dict[int, list[tuple[datetime, bool]]]:
    """Per question, the owner's answers up to ``until``: ``(when, correct)``, oldest first."""
    query = (
        select(Answer.question_id, Answer.created_at, Answer.correct)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .where(owned_by(owner))
        .order_by(Answer.created_at, Answer.id)
    )
    rows = [
        (question_id, as_utc(created_at), correct)
        for question_id, created_at, correct in db.session.execute(query).tuples()
    ]
    served = served_versions({question_id for question_id, _, _ in rows})
    history: dict[int, list[tuple[datetime, bool]]] = defaultdict(list)
    for question_id, when, correct in rows:  # oldest first, whatever the version
        if when <= until:
            history[served[question_id]].append((when, correct))
    return history


def served_versions(question_ids: Iterable[int]) -> dict[int, int]:
    """Each question id mapped to the version learners are served now.

    An edited question keeps the learner's history: answers to a version an
    approved edit superseded count for the version that replaced it.
    """
    served = {question_id: question_id for question_id in question_ids}
    superseded = set(
        db.session.scalars(
            select(Question.id).where(Question.id.in_(served), Question.status == STATUS_SUPERSEDED)
        )
    )
    while superseded:
        successors = db.session.execute(
            select(Question.replaces_id, Question.id, Question.status).where(
                Question.replaces_id.in_(superseded)
            )
        ).tuples()
        moved = {old: (new, status) for old, new, status in successors}
        for question_id, version in served.items():
            if version in moved:
                served[question_id] = moved[version][0]
        superseded = {new for new, status in moved.values() if status == STATUS_SUPERSEDED}
    return served


def schedule(history: dict[int, list[tuple[datetime, bool]]]) -> dict[int, datetime]:
    """When each question is due next, from its answers."""
    return {
        question_id: replay(question_id, answers).due for question_id, answers in history.items()
    }


def replay(question_id: int, answers: Iterable[tuple[datetime, bool]]) -> Card:
    """The FSRS card after reviewing it once per answer, at the answer's time."""
    card = Card(card_id=question_id)  # an explicit id: Card() would sleep 1 ms for a unique one
    for when, correct in answers:
        rating = Rating.Good if correct else Rating.Again
        card, _log = SCHEDULER.review_card(card, rating, when)
    return card
