"""Errors raised by the services, each carrying a message fit to show the user.

Views map them to responses: ``NotFound`` → 404, ``Invalid`` → 400 (or the form
shown again with the message), ``AlreadyAnswered`` → 409 (or the existing
feedback), ``Unauthenticated`` → 401, ``Closed`` → 409. Messages are in French,
the app's default language.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the service errors; ``message`` is the user-facing text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The sheet, revision, attempt or question does not exist, or is not the caller's."""


class Invalid(ServiceError):
    """The request cannot be honoured as made (bad settings, malformed answer, taken name)."""


class AlreadyAnswered(ServiceError):
    """The question already has an answer in this attempt; the first one stands.

    ``feedback``, when the raiser has it, is the verdict on that first answer: a
    client whose response was lost reads it from the 409.
    """

    def __init__(self, message: str, feedback: object | None = None) -> None:
        super().__init__(message)
        self.feedback = feedback


class Unauthenticated(ServiceError):
    """The credentials presented (an API token) no longer hold: the client must renew them."""


class Closed(ServiceError):
    """An assignment refuses the request by its own rules: not open yet, closed, time
    up, no attempt left, or the student is no longer on the class's roster (→ 409).

    ``reason`` names which (``quiz.services.study.deadlines``), so a page can
    say it in the reader's language; ``when`` is the time that decided, if any.
    """

    def __init__(self, message: str, reason: str, when: object | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.when = when
