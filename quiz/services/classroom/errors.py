"""The live sessions' own refusals, beside ``quiz.services.errors``.

``Conflict`` (409) carries a ``reason`` a client can act on without reading
the message: ``too_late``, ``already_answered``, ``not_current``, ``paused``,
``stale_version``, ``nickname_taken``, ``ended``. ``Forbidden`` (403) is an
action the caller may not take (a removed participant, a student driving a
session). Messages are translated where they are raised.
"""

from __future__ import annotations

from ..errors import ServiceError

TOO_LATE = "too_late"
ALREADY_ANSWERED = "already_answered"
NOT_CURRENT = "not_current"
PAUSED = "paused"
STALE_VERSION = "stale_version"
NICKNAME_TAKEN = "nickname_taken"
ENDED = "ended"
WRONG_PHASE = "wrong_phase"


class Conflict(ServiceError):
    """The request clashes with the session's state; ``reason`` names how."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class Forbidden(ServiceError):
    """The caller may not do this (removed from the session, not an instructor)."""
