"""Database models: sheets and their questions, users and their answers.

A sheet (one public fact sheet) has revisions (successive versions of its
text); each revision has the paragraphs the pipeline read and the questions it
generated, every question pointing at the paragraph and span that prove its
answer. A learner's attempt asks some questions of one revision; each answer
is an immutable row pointing at ``Question.id``, which is why questions are
updated in place (or retired), never recreated, when a revision is re-imported.
Scores, streaks and review schedules are derived from answer rows, never stored.

Only portable column types are used so that the same models run on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

STATUS_DRAFT = "draft"
STATUS_APPROVED = "approved"
# No longer produced by the pipeline but answered: kept so answers keep their question.
STATUS_RETIRED = "retired"
# An approved question an instructor edited: the edit is a new row (``version`` + 1,
# ``replaces_id`` pointing here) and this one stays, never served again, so the
# answers given to it keep the question they answered.
STATUS_SUPERSEDED = "superseded"
QUESTION_STATUSES = (STATUS_DRAFT, STATUS_APPROVED, STATUS_RETIRED, STATUS_SUPERSEDED)
QUESTION_TYPES = ("mcq", "cloze", "true_false", "short", "numeric", "order")

ROLE_STUDENT = "student"
ROLE_INSTRUCTOR = "instructor"
USER_ROLES = (ROLE_STUDENT, ROLE_INSTRUCTOR)
USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 40
# Between the user id and the session epoch in a session's user id.
SESSION_ID_SEPARATOR = ":"
# A random visitor id kept in the Flask session (``secrets.token_urlsafe``).
VISITOR_ID_LENGTH = 64

# sha256 hex digests.
HASH_LENGTH = 64
# The largest row id: ids are ``Integer`` columns, 32-bit signed in PostgreSQL (64 in
# SQLite). An id from outside (URL, form, JSON) above it names no row on either
# database, and binding it would fail in the driver instead.
MAX_ROW_ID = 2**31 - 1


def utcnow() -> datetime:
    """The current time, timezone-aware, for ``created_at`` style columns."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime.

    SQLite hands back naive datetimes (stored as UTC) and PostgreSQL aware
    ones in the connection's zone; comparisons and fsrs need aware UTC.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL text of ``column IN ('a', 'b')`` for a check constraint."""
    return f"{column} IN ('" + "', '".join(values) + "')"


class Sheet(db.Model):  # type: ignore[name-defined,misc]
    """A public fact sheet, identified by its slug across revisions."""

    __tablename__ = "sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str | None] = mapped_column(String(2000))

    revisions: Mapped[list[Revision]] = relationship(
        back_populates="sheet",
        cascade="all, delete-orphan",
        order_by="Revision.position",
    )

    def __repr__(self) -> str:
        return f"<Sheet {self.slug}>"


class Revision(db.Model):  # type: ignore[name-defined,misc]
    """One version of a sheet's text, as imported from one file."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("sheet_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    # Oldest first, as listed in sheet.toml.
    position: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(500))
    # Hash of the file's bytes: did the teacher's text change?
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    # Hash of what the pipeline made of it: did the paragraphs or questions change?
    generated_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    # ``generated_hash`` of the revision before it when its questions were carried
    # over from that one: when it differs, the carry-over is redone.
    previous_generated_hash: Mapped[str | None] = mapped_column(String(HASH_LENGTH))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sheet: Mapped[Sheet] = relationship(back_populates="revisions")
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="revision",
        cascade="all, delete-orphan",
        order_by="Paragraph.index",
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="revision",
        cascade="all, delete-orphan",
        order_by="Question.id",
    )

    def __repr__(self) -> str:
        return f"<Revision {self.label} of sheet {self.sheet_id}>"


class Paragraph(db.Model):  # type: ignore[name-defined,misc]
    """A unit of a revision's text; its anchor is stable across revisions."""

    __tablename__ = "paragraphs"
    __table_args__ = (UniqueConstraint("revision_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    anchor: Mapped[str] = mapped_column(String(200))
    index: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32), default="paragraph")
    quizzable: Mapped[bool] = mapped_column(default=True)
    # Anchor of the paragraph this one translates, in the same revision.
    translation_of: Mapped[str | None] = mapped_column(String(200))
    skip_reason: Mapped[str | None] = mapped_column(Text)
    # No longer in the revision's text but kept: questions (answered, retired) point at it.
    retired: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What the pipeline found here: [{"kind", "text", "start", "end"}], spans in ``text``.
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    revision: Mapped[Revision] = relationship(back_populates="paragraphs")
    questions: Mapped[list[Question]] = relationship(back_populates="paragraph")

    def __repr__(self) -> str:
        return f"<Paragraph {self.anchor} of revision {self.revision_id}>"


class Question(db.Model):  # type: ignore[name-defined,misc]
    """A question whose answer is proven by a span of one paragraph."""

    __tablename__ = "questions"
    __table_args__ = (
        # One row per version of a question in a revision (see STATUS_SUPERSEDED).
        UniqueConstraint("revision_id", "uid", "version"),
        CheckConstraint(_in("status", QUESTION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pipeline's stable id: the same question keeps it across imports.
    uid: Mapped[str] = mapped_column(String(200))
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("paragraphs.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(32))
    prompt: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A string, or the items in order for ``order`` questions.
    answer: Mapped[Any] = mapped_column(JSON)
    accepted: Mapped[list[str]] = mapped_column(JSON, default=list)
    lang: Mapped[str] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty: Mapped[float] = mapped_column(Float, default=0.5)
    explanation: Mapped[str] = mapped_column(Text, default="")
    # Half-open character span [start, end) of the evidence in the paragraph.
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    # ``order`` questions: where each item's date is stated (source objects).
    item_sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_DRAFT)
    # A copy carried into a later revision whose text left its evidence unchanged:
    # the row the question was first stored as. Answers given before stay there.
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), index=True
    )
    # The next revision changed or removed its evidence: true of this revision's
    # text only, so it is never carried into the later ones (see services.library.revisions).
    stale: Mapped[bool] = mapped_column(default=False, server_default=false())
    # 1 for a question as generated, written or imported; + 1 at each edit of an
    # approved question, whose new row ``replaces`` the previous version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), index=True
    )
    # Set when an instructor wrote or edited the question: a later import of the
    # sheet never overwrites or removes it.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    revision: Mapped[Revision] = relationship(back_populates="questions")
    paragraph: Mapped[Paragraph] = relationship(back_populates="questions")
    carried_from: Mapped[Question | None] = relationship(
        remote_side=[id], foreign_keys=[carried_from_id]
    )
    replaces: Mapped[Question | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])

    def __repr__(self) -> str:
        return f"<Question {self.uid} of revision {self.revision_id}>"


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A learner or an instructor with a password (hashed by werkzeug)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", USER_ROLES), name="role"),
        CheckConstraint(
            f"length(username) BETWEEN {USERNAME_MIN_LENGTH} AND {USERNAME_MAX_LENGTH}",
            name="username_length",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=ROLE_STUDENT)
    locale: Mapped[str | None] = mapped_column(String(16))
    # Part of the id every session cookie carries (``get_id``): logging out adds one,
    # so a copy of a cookie taken before no longer names a logged-in user.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_instructor(self) -> bool:
        """Whether the user may manage classes and questions."""
        return self.role == ROLE_INSTRUCTOR

    def get_id(self) -> str:
        """What the session cookie stores: ``<id>:<session epoch>`` (see ``session_epoch``)."""
        return f"{self.id}{SESSION_ID_SEPARATOR}{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


# "Alice" and "alice" are one account (log-in is case-insensitive): an
# expression index, which SQLite and PostgreSQL both enforce.
Index("uq_users_username_lower", func.lower(User.username), unique=True)


class Attempt(db.Model):  # type: ignore[name-defined,misc]
    """Some questions of one revision, asked in a fixed order to one user or visitor."""

    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR visitor_id IS NOT NULL", name="owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    visitor_id: Mapped[str | None] = mapped_column(String(VISITOR_ID_LENGTH), index=True)
    # No cascade: a revision with attempts cannot be deleted (their answers would go).
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    # ``Question.id`` values, in the order asked.
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    # What was asked for: ``count``, ``types`` and ``tags`` (null: any).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Seeds the random draw, so the order can be reproduced from the attempt alone.
    seed: Mapped[int] = mapped_column(Integer, default=0)
    retry_of_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User | None] = relationship()
    revision: Mapped[Revision] = relationship()
    retry_of: Mapped[Attempt | None] = relationship(remote_side=[id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Answer.id",
    )

    @property
    def questions(self) -> list[Question]:
        """The attempt's questions, in the order asked (one query)."""
        rows = db.session.scalars(select(Question).where(Question.id.in_(self.question_ids)))
        by_id = {question.id: question for question in rows}
        return [by_id[question_id] for question_id in self.question_ids]

    @property
    def answered_ids(self) -> set[int]:
        """Ids of the questions answered so far."""
        return {answer.question_id for answer in self.answers}

    @property
    def finished(self) -> bool:
        """Whether every question of the attempt has an answer."""
        return self.answered_ids >= set(self.question_ids)

    @property
    def time_taken(self) -> timedelta | None:
        """From the start to the last answer; None before the first answer."""
        if not self.answers:
            return None
        last = max(as_utc(answer.created_at) for answer in self.answers)
        return last - as_utc(self.created_at)

    def __repr__(self) -> str:
        return f"<Attempt {self.id} of revision {self.revision_id}>"


class Answer(db.Model):  # type: ignore[name-defined,misc]
    """One answer to one question of an attempt: inserted once, never updated."""

    __tablename__ = "answers"
    __table_args__ = (
        # The database, not the code, guarantees a double submit is scored once.
        UniqueConstraint("attempt_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique constraint, whose first column it is.
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    # No cascade: the import retires answered questions instead of deleting them.
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    # As submitted: a string, or a list of strings for ``order`` questions.
    given: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<Answer to question {self.question_id} in attempt {self.attempt_id}>"


class RateLimitCounter(db.Model):  # type: ignore[name-defined,misc]
    """Requests counted against one rate limit in one time window, shared by every worker.

    ``key`` is a digest of the limit and of what it counts (an address, an account
    name), so no address or name is stored; times are Unix seconds.
    """

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(HASH_LENGTH), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    # Two windows on: the sliding window still reads a counter for one window more.
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)
