"""When an assignment takes answers: its window, the time limit, the roster, the server's clock.

An answer to an assignment's attempt is taken only while the assignment is
open, the attempt's time limit has not run out and the student is still on the
class's roster. Each check reads the server's clock when the request arrives
(never a time the client sends) and runs before anything is written, so a
refused answer leaves no row behind. ``attempts.submit_answer`` and the API's
answer path both call ``refuse_closed_answer``: no way round it.

This module imports no other service, so ``attempts`` may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, select

from ...class_models import Assignment, AssignmentAttempt, Membership
from ...models import Attempt, as_utc, utcnow
from ..errors import Closed

# An answer sent just before the deadline arrives a moment after it: the network,
# a slow phone. This much past the deadline still counts; the pages show the deadline.
GRACE = timedelta(seconds=5)

NOT_OPEN = "not_open"
CLOSED = "closed"
TIME_UP = "time_up"
NOT_MEMBER = "not_member"
NO_ATTEMPTS_LEFT = "no_attempts_left"

_MESSAGES = {
    NOT_OPEN: "Ce devoir n'est pas encore ouvert.",
    CLOSED: "Ce devoir est fermé : votre réponse n'a pas été enregistrée.",
    TIME_UP: "Le temps de cette tentative est écoulé : votre réponse n'a pas été enregistrée.",
    NOT_MEMBER: "Vous ne faites plus partie de cette classe.",
    NO_ATTEMPTS_LEFT: "Vous avez utilisé toutes les tentatives permises pour ce devoir.",
}


def refusal(reason: str, when: datetime | None = None) -> Closed:
    """The ``Closed`` error for ``reason`` (one of the constants above)."""
    return Closed(_MESSAGES[reason], reason, when)


def now() -> datetime:
    """The server's clock, in UTC: the only one that decides."""
    return utcnow()


@dataclass(frozen=True)
class AttemptWindow:
    """What decides whether an assignment's attempt still takes answers."""

    assignment_id: int
    title: str
    opens_at: datetime
    closes_at: datetime
    started_at: datetime
    time_limit_minutes: int | None
    on_roster: bool

    @property
    def time_up_at(self) -> datetime | None:
        """When the attempt's time limit runs out; None without a limit."""
        if self.time_limit_minutes is None:
            return None
        return self.started_at + timedelta(minutes=self.time_limit_minutes)

    @property
    def deadline(self) -> datetime:
        """The earlier of the closing time and the end of the time limit."""
        limit = self.time_up_at
        return self.closes_at if limit is None else min(self.closes_at, limit)

    def refusal_at(self, moment: datetime) -> Closed | None:
        """Why an answer arriving at ``moment`` is refused; None if it is taken."""
        if not self.on_roster:
            return refusal(NOT_MEMBER)
        if moment < self.opens_at:
            return refusal(NOT_OPEN, self.opens_at)
        limit = self.time_up_at
        if limit is not None and limit <= self.closes_at and moment > limit + GRACE:
            return refusal(TIME_UP, limit)
        if moment > self.closes_at + GRACE:
            return refusal(CLOSED, self.closes_at)
        return None

    def is_open_at(self, moment: datetime) -> bool:
        """Whether an answer arriving at ``moment`` (without the grace) is taken."""
        return self.on_roster and self.opens_at <= moment < self.deadline


def window_of(executor: Any, attempt_id: int) -> AttemptWindow | None:
    """The window of the attempt if it was made at an assignment, else None.

    ``executor`` is the ORM session or a Core connection (the API's hot path):
    one query either way, on the link's primary key.
    """
    row = executor.execute(_WINDOW, {"attempt_id": attempt_id}).first()
    if row is None:
        return None
    return AttemptWindow(
        assignment_id=row.assignment_id,
        title=row.title,
        opens_at=as_utc(row.opens_at),
        closes_at=as_utc(row.closes_at),
        started_at=as_utc(row.started_at),
        time_limit_minutes=row.time_limit_minutes,
        on_roster=row.member is not None,
    )


def refuse_closed_answer(executor: Any, attempt_id: int) -> None:
    """Raise ``Closed`` if the attempt belongs to an assignment that takes no answer now."""
    window = window_of(executor, attempt_id)
    if window is None:
        return
    refused = window.refusal_at(now())
    if refused is not None:
        raise refused


_WINDOW = (
    select(
        Assignment.id.label("assignment_id"),
        Assignment.title,
        Assignment.opens_at,
        Assignment.closes_at,
        Assignment.time_limit_minutes,
        Attempt.created_at.label("started_at"),
        Membership.student_id.label("member"),
    )
    .select_from(AssignmentAttempt)
    .join(Assignment, Assignment.id == AssignmentAttempt.assignment_id)
    .join(Attempt, Attempt.id == AssignmentAttempt.attempt_id)
    .outerjoin(
        Membership,
        and_(
            Membership.class_id == Assignment.class_id,
            Membership.student_id == AssignmentAttempt.student_id,
        ),
    )
    .where(AssignmentAttempt.attempt_id == bindparam("attempt_id"))
)
