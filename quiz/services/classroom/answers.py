"""The live answer hot path: judged by the server's clock, stored once, safe to retry.

``POST /api/v1/live/<code>/answers`` arrives from a whole class within seconds.
``submit_answer`` works on one connection of its own (the request opens no
other): one query reads the participant, their session and the question; the
answer is checked by the checkers every quiz uses (``services.checking``);
one ``INSERT … ON CONFLICT DO NOTHING`` stores it; one commit.

The rules, in order:
- only the question being asked takes answers, and not while paused;
- an answer received after the deadline plus a small grace
  (``LIVE_ANSWER_GRACE_SECONDS``, default 1 s, for the network) is "too late";
  the deadline is the server's, whatever the phone's clock says;
- the unique (participant, question) row decides: the same answer sent again
  (a retried POST) gets the stored receipt back, a different one a ``Conflict``;
  a retry of an answer stored in time is accepted even after the deadline.
The receipt says nothing of correctness: that waits for the reveal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Connection, Row, bindparam, select, text, true

from ...extensions import db
from ...live_models import (
    PHASE_QUESTION,
    SCORING_CORRECT,
    LiveAnswer,
    LiveParticipant,
    LiveSession,
)
from ...models import Question, as_utc, utcnow
from ..errors import Invalid, Unauthenticated
from ..study.checking import check, tidy
from ..study.feedback import QuestionFacts
from .errors import ALREADY_ANSWERED, NOT_CURRENT, PAUSED, TOO_LATE, Conflict, Forbidden
from .participants import token_digest

FULL_POINTS = 1000
SLOWEST_POINTS = 500
DEFAULT_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class Receipt:
    """An answer the server holds: ``repeated`` when it was already stored by an earlier send."""

    question_id: int
    given: Any
    repeated: bool


def points_for(correct: bool, scoring: str, elapsed_ms: int, seconds: int) -> int:
    """Points of an answer: 0 if wrong; else 1,000, or with speed scoring from 1,000 at once
    down to 500 at the end of the timer (and after it, within the grace)."""
    if not correct:
        return 0
    if scoring == SCORING_CORRECT:
        return FULL_POINTS
    fraction = min(max(elapsed_ms / (seconds * 1000), 0.0), 1.0)
    return round(FULL_POINTS - (FULL_POINTS - SLOWEST_POINTS) * fraction)


def submit_answer(code: str, token: str, question_id: int, given: Any) -> Receipt:
    """Store the token holder's answer to the question being asked in the session of ``code``.

    ``Unauthenticated`` for a token the session never gave, ``Forbidden`` once
    removed, ``Conflict`` (``not_current``, ``paused``, ``too_late``,
    ``already_answered``) as the rules above say, ``Invalid`` for a malformed answer.
    """
    received_at = utcnow()
    with db.engine.connect() as connection:
        row = connection.execute(
            _SEAT_SESSION_QUESTION, {"token_hash": token_digest(token), "question_id": question_id}
        ).first()
        if row is None or row.code != code:
            raise Unauthenticated(_("Unknown participant token: join the session again."))
        if row.removed:
            raise Forbidden(_("The instructor removed you from this session."))
        refusal = _refusal(row, question_id, received_at)
        if refusal is not None:
            return _stored_receipt(connection, row, question_id, given, refusal)
        try:
            correct = check(_facts(row), given)
        except Invalid:
            if _stored_answer(connection, row.participant_id, question_id) is not None:
                raise _already_answered() from None
            raise
        elapsed_ms = _elapsed_ms(row, received_at)
        values = {
            "session_id": row.session_id,
            "participant_id": row.participant_id,
            "question_id": question_id,
            "given": given,
            "correct": correct,
            "points": points_for(correct, row.scoring, elapsed_ms, row.seconds_per_question),
            "received_at": received_at,
            "elapsed_ms": elapsed_ms,
        }
        if connection.execute(_INSERT_ANSWER, values).first() is None:
            return _stored_receipt(connection, row, question_id, given, _already_answered())
        connection.commit()
    return Receipt(question_id, given, repeated=False)


def same_answer(first: Any, second: Any) -> bool:
    """Whether two sends are one answer (a retry), as the checkers read texts."""
    if isinstance(first, str) and isinstance(second, str):
        return tidy(first) == tidy(second)
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        return all(same_answer(a, b) for a, b in zip(first, second, strict=True))
    return bool(first == second)


def grace_seconds() -> float:
    """How long after the deadline an answer still counts (network time)."""
    return float(current_app.config.get("LIVE_ANSWER_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))


def _refusal(row: Row[Any], question_id: int, now: datetime) -> Conflict | None:
    """Why the session takes no answer to ``question_id`` now; None if it does."""
    index, question_ids = row.current_index, row.question_ids
    asked = question_ids[index] if 0 <= index < len(question_ids) else None
    if question_id != asked:
        return Conflict(_("This question is not the one being asked."), NOT_CURRENT)
    if row.phase != PHASE_QUESTION:
        return Conflict(_("Too late: the time for this question is over."), TOO_LATE)
    if row.paused_at is not None:
        return Conflict(_("The session is paused: answer once it resumes."), PAUSED)
    deadline = as_utc(row.deadline_at).timestamp() + grace_seconds()
    if now.timestamp() > deadline:
        return Conflict(_("Too late: the time for this question is over."), TOO_LATE)
    return None


def _stored_receipt(
    connection: Connection, row: Row[Any], question_id: int, given: Any, refusal: Conflict
) -> Receipt:
    """The receipt of the same answer stored before (a retry); else the refusal stands.

    A different answer already stored is ``already_answered``, whatever the refusal.
    """
    stored = _stored_answer(connection, row.participant_id, question_id)
    if stored is None:
        raise refusal
    if same_answer(stored.given, given):
        return Receipt(question_id, stored.given, repeated=True)
    raise _already_answered()


def _already_answered() -> Conflict:
    """The refusal of a second, different answer."""
    return Conflict(_("You have already answered this question."), ALREADY_ANSWERED)


def _stored_answer(connection: Connection, participant_id: int, question_id: int) -> Any:
    """The participant's stored answer to the question (``given``), or None."""
    return connection.execute(_STORED, {"p": participant_id, "q": question_id}).first()


def _facts(row: Row[Any]) -> QuestionFacts:
    """What the checkers read of the question."""
    return QuestionFacts(
        id=row.question_id,
        type=row.type,
        answer=row.answer,
        accepted=row.accepted,
        choices=row.choices,
        lang=row.lang,
        explanation="",
    )


def _elapsed_ms(row: Row[Any], received_at: datetime) -> int:
    """Milliseconds since the question opened, by the server's clock (pauses left out)."""
    started = as_utc(row.question_started_at)
    return max(int((received_at - started).total_seconds() * 1000), 0)


_PARTICIPANTS, _SESSIONS = LiveParticipant.__table__, LiveSession.__table__
_QUESTIONS, _ANSWERS = Question.__table__, LiveAnswer.__table__
_QUESTION = (
    select(
        _QUESTIONS.c.id.label("question_id"),
        _QUESTIONS.c.type,
        _QUESTIONS.c.answer,
        _QUESTIONS.c.accepted,
        _QUESTIONS.c.choices,
        _QUESTIONS.c.lang,
    )
    .where(_QUESTIONS.c.id == bindparam("question_id"))
    .subquery()
)
_SEAT_SESSION_QUESTION = (
    select(
        _PARTICIPANTS.c.id.label("participant_id"),
        _PARTICIPANTS.c.removed,
        _SESSIONS.c.id.label("session_id"),
        _SESSIONS.c.code,
        _SESSIONS.c.phase,
        _SESSIONS.c.current_index,
        _SESSIONS.c.question_ids,
        _SESSIONS.c.question_started_at,
        _SESSIONS.c.deadline_at,
        _SESSIONS.c.paused_at,
        _SESSIONS.c.seconds_per_question,
        _SESSIONS.c.scoring,
        *_QUESTION.c,
    )
    .join(_SESSIONS, _SESSIONS.c.id == _PARTICIPANTS.c.session_id)
    .outerjoin(_QUESTION, true())
    .where(_PARTICIPANTS.c.token_hash == bindparam("token_hash"))
)
_STORED = select(_ANSWERS.c.given).where(
    _ANSWERS.c.participant_id == bindparam("p"), _ANSWERS.c.question_id == bindparam("q")
)
# Text, as in ``api_answers``: the dialects' on_conflict inserts are never cached.
_INSERT_ANSWER = text(
    "INSERT INTO live_answers (session_id, participant_id, question_id, given, correct,"
    " points, received_at, elapsed_ms) VALUES (:session_id, :participant_id, :question_id,"
    " :given, :correct, :points, :received_at, :elapsed_ms) ON CONFLICT DO NOTHING RETURNING id"
).bindparams(
    *(
        bindparam(name, type_=_ANSWERS.c[name].type)
        for name in (
            "session_id",
            "participant_id",
            "question_id",
            "given",
            "correct",
            "points",
            "received_at",
            "elapsed_ms",
        )
    ),
)
