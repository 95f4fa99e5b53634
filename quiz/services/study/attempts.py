"""Attempts: draw questions of a revision, take answers, give feedback and a summary.

An attempt belongs to a user, or to a visitor id kept in the Flask session
(``Owner``); another owner's attempt is reported as missing, never as
forbidden. Answers are immutable rows; a double submit is refused by the
database's unique ``(attempt_id, question_id)``, not by the code. Services
flush, the caller commits.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import (
    QUESTION_TYPES,
    STATUS_APPROVED,
    Answer,
    Attempt,
    Paragraph,
    Question,
    Revision,
)
from ..database import insert_unless_duplicate
from ..errors import AlreadyAnswered, Invalid, NotFound
from ..library.sheet_pages import find_revision
from .checking import check
from .deadlines import refuse_closed_answer
from .drawing import Candidate, draw_from, pool_of, revision_pool
from .feedback import Feedback, cite, order_events

MIN_COUNT, MAX_COUNT = 1, 50
# Seeds fit a 32-bit signed INTEGER column on every database.
SEED_LIMIT = 2**31


@dataclass(frozen=True)
class Owner:
    """Who acts: a user (by id) or, without an account, a visitor id from the session."""

    user_id: int | None = None
    visitor_id: str | None = None

    def owns(self, attempt: Attempt) -> bool:
        """Whether ``attempt`` is this owner's (a user's, else this visitor's unclaimed one)."""
        if self.user_id is not None:
            return attempt.user_id == self.user_id
        return bool(self.visitor_id) and (
            attempt.user_id is None and attempt.visitor_id == self.visitor_id
        )


def owned_by(owner: Owner) -> ColumnElement[bool]:
    """SQL condition on ``Attempt``: the attempts of ``owner`` (none for nobody)."""
    if owner.user_id is not None:
        return Attempt.user_id == owner.user_id
    if owner.visitor_id:
        return and_(Attempt.user_id.is_(None), Attempt.visitor_id == owner.visitor_id)
    return false()


@dataclass(frozen=True)
class SummaryItem:
    """One question of a summary; ``given``, ``correct`` and ``feedback`` are None if unanswered."""

    question: Question
    given: Any
    correct: bool | None
    feedback: Feedback | None


@dataclass(frozen=True)
class Summary:
    """The result of an attempt, derived from its answer rows."""

    score: int
    total: int
    answered: int
    seconds: int | None  # from the start to the last answer; None before the first answer
    items: list[SummaryItem]
    mistakes: list[int]  # ids of the questions answered wrong, in the attempt's order

    @property
    def finished(self) -> bool:
        """Whether every question has an answer."""
        return self.answered == self.total


def start_attempt(
    owner: Owner,
    sheet_slug: str,
    revision_label: str | None = None,
    count: int = 10,
    types: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    retry_of: Attempt | None = None,
) -> Attempt:
    """A new attempt on up to ``count`` approved questions of the revision, in random order.

    The latest revision unless ``revision_label`` names one; ``types`` and
    ``tags`` filter (a question matches with any of the tags). No question of
    the attempt gives another away (``drawing``), so it may hold fewer than
    ``count``. ``NotFound`` for an unknown sheet or revision, ``Invalid`` for
    bad settings or when no question matches.
    """
    _require_identity(owner)
    count = _valid_count(count)
    type_list, tag_list = _valid_types(types), _clean_tags(tags)
    revision = find_revision(sheet_slug, revision_label)
    pool = revision_pool(revision.id, type_list, tag_list)
    if not pool:
        raise Invalid("Aucune question ne correspond à ces critères.")
    if retry_of is not None and not owner.owns(retry_of):
        raise NotFound("Ce quiz n'existe pas.")
    settings = {"count": count, "types": type_list, "tags": tag_list}
    return create_attempt(owner, revision, pool, settings, retry_of)


def candidate_questions(
    revision: Revision, types: list[str] | None, tags: list[str] | None
) -> list[Question]:
    """Approved questions of ``revision`` of any of ``types`` with any of ``tags``, by id."""
    query = select(Question).where(
        Question.revision_id == revision.id, Question.status == STATUS_APPROVED
    )
    if types:
        query = query.where(Question.type.in_(types))
    questions = db.session.scalars(query.order_by(Question.id)).all()
    # Tags are a JSON list: filtered here, as JSON containment is not portable.
    return [q for q in questions if not tags or set(q.tags) & set(tags)]


def get_attempt(owner: Owner, attempt_id: int) -> Attempt:
    """The owner's attempt; ``NotFound`` if it does not exist or is someone else's."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not owner.owns(attempt):
        raise NotFound("Ce quiz n'existe pas.")
    return attempt


def next_question(attempt: Attempt) -> Question | None:
    """The first question of the attempt not answered yet; None when it is finished."""
    answered = attempt.answered_ids
    for question_id in attempt.question_ids:
        if question_id not in answered:
            return db.session.get(Question, question_id)
    return None


def submit_answer(attempt: Attempt, question_id: int, given: Any) -> Feedback:
    """Check and store the answer to one question of the attempt; return its feedback.

    ``NotFound`` if the question is not in the attempt, ``Invalid`` if ``given``
    is malformed (nothing stored), ``AlreadyAnswered`` if it has an answer:
    the first answer stands, even when two arrive at the same time. ``Closed``
    (nothing stored) if the attempt is an assignment's that takes no answer now.
    """
    position = _position(attempt, question_id)
    # The question with what its feedback cites, in one query: this is the hot path.
    question = db.session.get(Question, question_id, options=_WITH_SOURCE)
    if question is None:
        raise NotFound("Cette question n'existe pas.")
    try:
        correct = check(question, given)
    except Invalid:
        if _has_answer(attempt.id, question_id):
            raise AlreadyAnswered("Vous avez déjà répondu à cette question.") from None
        raise
    values = {
        "attempt_id": attempt.id,
        "question_id": question_id,
        "given": given,
        "correct": correct,
    }
    refuse_closed_answer(db.session, attempt.id)
    # No look-up first: the unique (attempt, question) constraint decides, even for two
    # requests racing each other.
    answer = insert_unless_duplicate(Answer, values)
    # The collection may have been loaded before: reload it with the new row.
    db.session.expire(attempt, ["answers"])
    if answer is None:
        raise AlreadyAnswered("Vous avez déjà répondu à cette question.")
    return _feedback(attempt, question, answer, position)


def feedback_for(attempt: Attempt, question_id: int) -> Feedback:
    """The feedback of the existing answer; ``NotFound`` if the question has none here."""
    position = _position(attempt, question_id)
    for answer in attempt.answers:
        if answer.question_id == question_id:
            return _feedback(attempt, answer.question, answer, position)
    raise NotFound("Cette question n'a pas encore de réponse.")


def summary(attempt: Attempt) -> Summary:
    """Score, time and per-question results of the attempt, from its answers."""
    answers = {answer.question_id: answer for answer in attempt.answers}
    questions = _load_questions(attempt.question_ids)
    items = []
    for position, question_id in enumerate(attempt.question_ids, start=1):
        question, answer = questions[question_id], answers.get(question_id)
        feedback = _feedback(attempt, question, answer, position) if answer else None
        given, correct = (answer.given, answer.correct) if answer else (None, None)
        items.append(SummaryItem(question, given, correct, feedback))
    taken = attempt.time_taken
    return Summary(
        score=sum(answer.correct for answer in answers.values()),
        total=len(attempt.question_ids),
        answered=len(answers),
        seconds=None if taken is None else int(taken.total_seconds()),
        items=items,
        mistakes=[item.question.id for item in items if item.correct is False],
    )


def retry_mistakes(owner: Owner, attempt: Attempt) -> Attempt:
    """A new attempt on the questions answered wrong (still approved), in a new order."""
    if not owner.owns(attempt):
        raise NotFound("Ce quiz n'existe pas.")
    wrong = {answer.question_id for answer in attempt.answers if not answer.correct}
    questions = _load_questions([qid for qid in attempt.question_ids if qid in wrong])
    approved = [qid for qid, question in questions.items() if question.status == STATUS_APPROVED]
    if not approved:
        raise Invalid("Aucune erreur à retravailler dans ce quiz.")
    pool = pool_of(approved)
    settings = {**attempt.settings, "count": len(pool)}
    return create_attempt(owner, attempt.revision, pool, settings, retry_of=attempt)


def public_view(question: Question) -> dict[str, Any]:
    """The question as shown before it is answered: nothing that gives the answer away."""
    choices = list(question.choices)
    if question.type == "order":
        choices = shuffled_items(question)
    return {
        "id": question.id,
        "type": question.type,
        "prompt": question.prompt,
        "choices": choices,
        "tags": list(question.tags),
        "lang": question.lang,
    }


def shuffled_items(question: Question) -> list[str]:
    """The items of an ``order`` question, shuffled the same way on every view, never solved."""
    items = list(question.choices or question.answer)
    random.Random(f"order:{question.id}:{question.uid}").shuffle(items)
    if items == list(question.answer) and len(set(items)) > 1:
        items = items[1:] + items[:1]  # a rotation of distinct items is never the answer
    return items


def create_attempt(
    owner: Owner,
    revision: Revision,
    pool: Sequence[Candidate],
    settings: dict[str, Any],
    retry_of: Attempt | None = None,
) -> Attempt:
    """Store a new attempt drawing up to ``settings["count"]`` questions of ``pool``."""
    seed = secrets.randbelow(SEED_LIMIT)
    attempt = Attempt(
        user_id=owner.user_id,
        visitor_id=None if owner.user_id is not None else owner.visitor_id,
        revision=revision,
        question_ids=draw_from(pool, settings["count"], seed),
        settings=settings,
        seed=seed,
        retry_of=retry_of,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _feedback(attempt: Attempt, question: Question, answer: Answer, position: int) -> Feedback:
    """The feedback of ``answer``, with where the sheet proves the expected answer."""
    paragraph = question.paragraph
    revision = paragraph.revision  # the revision cited, earlier than the question's own if kept
    source = cite(
        (revision.sheet.slug, revision.sheet.title, revision.label),
        (paragraph.anchor, paragraph.text, paragraph.lang),
        (question.evidence_start, question.evidence_end),
    )
    return Feedback(
        correct=answer.correct,
        given=answer.given,
        expected=question.answer,
        explanation=question.explanation,
        source=source,
        question=question,
        position=position,
        total=len(attempt.question_ids),
        events=order_events(question.type, question.answer, question.item_sources, source),
    )


def _load_questions(question_ids: Sequence[int]) -> dict[int, Question]:
    """The questions of ``question_ids`` by id, with paragraph and sheet, in one query."""
    query = (
        select(Question)
        .where(Question.id.in_(question_ids))
        .options(joinedload(Question.paragraph), joinedload(Question.revision))
    )
    return {question.id: question for question in db.session.scalars(query)}


# A question carried forward still citing an earlier revision's paragraph cites
# that revision: the source always comes from the paragraph's own revision.
_WITH_SOURCE = [
    joinedload(Question.paragraph).joinedload(Paragraph.revision).joinedload(Revision.sheet),
]


def _has_answer(attempt_id: int, question_id: int) -> bool:
    """Whether the attempt already holds an answer to the question."""
    query = select(Answer.id).where(
        Answer.attempt_id == attempt_id, Answer.question_id == question_id
    )
    return db.session.scalar(query) is not None


def _position(attempt: Attempt, question_id: int) -> int:
    """1-based position of the question in the attempt; ``NotFound`` if it is not there."""
    try:
        return attempt.question_ids.index(question_id) + 1
    except ValueError:
        raise NotFound("Cette question ne fait pas partie de ce quiz.") from None


def _require_identity(owner: Owner) -> None:
    """``Invalid`` for an owner with neither user nor visitor id."""
    if owner.user_id is None and not owner.visitor_id:
        raise Invalid("Impossible d'identifier qui répond : activez les cookies.")


def _valid_count(count: object) -> int:
    """``count`` if it is a whole number of questions from 1 to 50."""
    if isinstance(count, bool) or not isinstance(count, int) or not MIN_COUNT <= count <= MAX_COUNT:
        raise Invalid(f"Choisissez entre {MIN_COUNT} et {MAX_COUNT} questions.")
    return count


def _valid_types(types: Iterable[str] | None) -> list[str] | None:
    """The requested question types, sorted; None for any; ``Invalid`` for an unknown one."""
    chosen = sorted(set(types or ()))
    unknown = [kind for kind in chosen if kind not in QUESTION_TYPES]
    if unknown:
        raise Invalid(f"Type de question inconnu : {', '.join(map(str, unknown))}.")
    return chosen or None


def _clean_tags(tags: Iterable[str] | None) -> list[str] | None:
    """The requested tags, trimmed and sorted; None for any."""
    chosen = sorted({tag.strip() for tag in tags or () if tag and tag.strip()})
    return chosen or None
