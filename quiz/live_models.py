"""Live sessions in the room: an instructor's fixed question list played to joined phones.

The whole state of a session is in these rows, never in a worker's memory:
what is asked (``phase``, ``current_index``), when it opened and closes (by the
server's clock), whether it is paused, and a ``version`` that every change of
what the players see increments (the ``/state`` ETag and the events carry it).
Every worker, on every machine, reads the same state.

Scores and ranks are not stored: they derive from ``LiveAnswer`` rows (their
``points``, then the total of their ``elapsed_ms`` to break ties).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import HASH_LENGTH, Question, Revision, User, utcnow

PHASE_LOBBY = "lobby"
PHASE_QUESTION = "question"
PHASE_REVEAL = "reveal"
PHASE_LEADERBOARD = "leaderboard"
PHASE_ENDED = "ended"
LIVE_PHASES = (PHASE_LOBBY, PHASE_QUESTION, PHASE_REVEAL, PHASE_LEADERBOARD, PHASE_ENDED)

SCORING_CORRECT = "correct"  # 1,000 points a right answer
SCORING_SPEED = "speed"  # from 1,000 down to 500 over the timer
SCORING_MODES = (SCORING_CORRECT, SCORING_SPEED)

JOIN_CODE_LENGTH = 8
NICKNAME_MAX_LENGTH = 30


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL text of ``column IN ('a', 'b')`` for a check constraint."""
    return f"{column} IN ('" + "', '".join(values) + "')"


class LiveSession(db.Model):  # type: ignore[name-defined,misc]
    """One game in the room: an owner, a fixed ordered question list, a join code, a phase."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        CheckConstraint(_in("phase", LIVE_PHASES), name="phase"),
        CheckConstraint(_in("scoring", SCORING_MODES), name="scoring"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # No cascade: a revision whose questions were played cannot be deleted.
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    # Unique among every session ever made, so an old link never opens a new game.
    code: Mapped[str] = mapped_column(String(JOIN_CODE_LENGTH), unique=True)
    # ``Question.id`` values, in the order asked (fixed when the session is made).
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    seconds_per_question: Mapped[int] = mapped_column(Integer)
    scoring: Mapped[str] = mapped_column(String(16), default=SCORING_CORRECT)
    # What was asked for: ``count``, ``types``, ``tags`` or a hand-picked list.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    phase: Mapped[str] = mapped_column(String(16), default=PHASE_LOBBY)
    # Index in ``question_ids`` of the question asked or last asked; -1 in the lobby.
    current_index: Mapped[int] = mapped_column(Integer, default=-1)
    # Question ids skipped by the instructor: their answers score nothing.
    skipped_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # By the server's clock. A pause moves both forward by its length on resume.
    question_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # + 1 at every change the players see; starts at 1.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    owner: Mapped[User] = relationship()
    revision: Mapped[Revision] = relationship()
    participants: Mapped[list[LiveParticipant]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="LiveParticipant.id",
    )

    @property
    def current_question_id(self) -> int | None:
        """The id of the question asked or last asked; None in the lobby."""
        if 0 <= self.current_index < len(self.question_ids):
            return int(self.question_ids[self.current_index])
        return None

    def __repr__(self) -> str:
        return f"<LiveSession {self.code} {self.phase}>"


class LiveParticipant(db.Model):  # type: ignore[name-defined,misc]
    """A nickname in one session; rejoins with its secret token (stored hashed) or account."""

    __tablename__ = "live_participants"
    __table_args__ = (
        # "Léa" and "léa " are one nickname: ``nickname_key`` is its folded form.
        UniqueConstraint("session_id", "nickname_key"),
        CheckConstraint(
            f"length(nickname) BETWEEN 1 AND {NICKNAME_MAX_LENGTH}", name="nickname_length"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    nickname: Mapped[str] = mapped_column(String(NICKNAME_MAX_LENGTH))
    nickname_key: Mapped[str] = mapped_column(String(4 * NICKNAME_MAX_LENGTH))
    # Set when a student joined with their account: they rejoin with it from any device.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # sha256 of the rejoin token: a copy of the database gives nobody's seat away.
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    # Removed by the instructor: the nickname stays taken, the token opens nothing.
    removed: Mapped[bool] = mapped_column(default=False, server_default=false())
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session: Mapped[LiveSession] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<LiveParticipant {self.nickname} in session {self.session_id}>"


class LiveAnswer(db.Model):  # type: ignore[name-defined,misc]
    """One participant's answer to one question: inserted once, never updated."""

    __tablename__ = "live_answers"
    __table_args__ = (
        # The database, not the code, keeps a retried or doubled POST to one row.
        UniqueConstraint("participant_id", "question_id"),
        Index("ix_live_answers_session_question", "session_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalized from the participant: counts and results read one session's rows.
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("live_participants.id", ondelete="CASCADE")
    )
    # No cascade: the import retires answered questions instead of deleting them.
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    # As submitted: a string, or a list of strings for ``order`` questions.
    given: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column()
    points: Mapped[int] = mapped_column(Integer)
    # By the server's clock, and since the question opened (pauses left out).
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    elapsed_ms: Mapped[int] = mapped_column(Integer)

    participant: Mapped[LiveParticipant] = relationship()
    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<LiveAnswer of participant {self.participant_id} to {self.question_id}>"


def questions_in_use(question_ids: Collection[int]) -> set[int]:
    """Those of ``question_ids`` a live session answered or still has to ask.

    A re-import must retire them rather than delete them: live answers point
    at them, and a session in progress asks them by id.
    """
    wanted = set(question_ids)
    if not wanted:
        return set()
    used = set(
        db.session.scalars(
            select(LiveAnswer.question_id).where(LiveAnswer.question_id.in_(wanted)).distinct()
        )
    )
    running = db.session.scalars(
        select(LiveSession.question_ids).where(LiveSession.phase != PHASE_ENDED)
    )
    for asked in running:
        used |= wanted & set(asked)
    return used
