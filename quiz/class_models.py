"""Database models of the classroom's homework: classes, their rosters, assignments.

An instructor owns a class; students join it with its class code and form its
roster. An assignment gives the class one fixed list of approved questions of
one revision, the same for everyone (each student's order shuffled if asked),
between an opening and a closing time, with a number of attempts allowed and an
optional time limit.

A student's attempt at an assignment is an ordinary ``Attempt`` whose
``question_ids`` are the assignment's list: its answers are ordinary ``Answer``
rows, so scores, feedback, review and item analysis keep working unchanged.
``AssignmentAttempt`` links the two and numbers the student's attempts; the
unique ``(assignment, student, number)`` is what stops two simultaneous starts
from using one attempt twice.

Times are stored in UTC; the server's clock alone decides what is open.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import Attempt, Revision, User, utcnow

CLASS_NAME_MAX_LENGTH = 200
ASSIGNMENT_TITLE_MAX_LENGTH = 200
# Class codes: letters and digits a student cannot confuse (no 0/O, 1/I/L).
CLASS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLASS_CODE_LENGTH = 8
MAX_ATTEMPTS_ALLOWED = 20
# A week: a longer "time limit" is no limit, and the form says so.
MAX_TIME_LIMIT_MINUTES = 7 * 24 * 60
MAX_ASSIGNMENT_QUESTIONS = 100


class Classroom(db.Model):  # type: ignore[name-defined,misc]
    """A class: an instructor's group of students, joined with its code."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(CLASS_NAME_MAX_LENGTH))
    code: Mapped[str] = mapped_column(String(CLASS_CODE_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", passive_deletes=True
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom", order_by="Assignment.closes_at"
    )

    def __repr__(self) -> str:
        return f"<Classroom {self.id} {self.code}>"


class Membership(db.Model):  # type: ignore[name-defined,misc]
    """A student on a class's roster: one row per (class, student), so joining twice is once."""

    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="memberships")
    student: Mapped[User] = relationship()


class Assignment(db.Model):  # type: ignore[name-defined,misc]
    """Homework: a fixed list of questions of one revision, open between two times."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint(
            f"attempts_allowed BETWEEN 1 AND {MAX_ATTEMPTS_ALLOWED}", name="attempts_allowed"
        ),
        CheckConstraint(
            f"time_limit_minutes IS NULL OR time_limit_minutes BETWEEN 1 AND"
            f" {MAX_TIME_LIMIT_MINUTES}",
            name="time_limit",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(ASSIGNMENT_TITLE_MAX_LENGTH))
    # No cascade: a revision an assignment asks cannot be deleted (attempts point at it too).
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    # ``Question.id`` values: the set every student gets, in the instructor's order.
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    # How the set was chosen: {"count", "types", "tags"} for a draw, {"picked": true} by hand.
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Each student's attempts ask the set in their own order (seeded by the attempt).
    shuffle: Mapped[bool] = mapped_column(default=False, server_default=false())
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # From the start of an attempt; None: until the closing time.
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
    revision: Mapped[Revision] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment {self.id} of class {self.class_id}>"


class AssignmentAttempt(db.Model):  # type: ignore[name-defined,misc]
    """An attempt made at an assignment: the student's ``number``-th (from 1)."""

    __tablename__ = "assignment_attempts"
    __table_args__ = (
        # Two starts racing each other cannot both become attempt n: one insert wins.
        UniqueConstraint("assignment_id", "student_id", "number"),
        CheckConstraint("number >= 1", name="number"),
    )

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    # No cascade: an assignment with attempts stays (its answers are grades).
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    student_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)

    attempt: Mapped[Attempt] = relationship()
    assignment: Mapped[Assignment] = relationship()
    student: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<AssignmentAttempt {self.number} of assignment {self.assignment_id}>"
