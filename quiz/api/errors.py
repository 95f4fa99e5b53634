"""API errors: one JSON envelope for every failure, never HTML, never a traceback.

The envelope is the one ``quiz.views.errors`` already sends for ``/api/`` paths
(routing 404s and 405s, 429s, 500s never reach the blueprint), so a client
reads every error the same way::

    {"error": {"code": 400, "title": "...", "message": "...", "field": "count"}}

``field`` names the offending request field when there is one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..extensions import db
from ..services.errors import AlreadyAnswered, Closed, Invalid, NotFound, Unauthenticated
from ..services.study.feedback import Feedback
from ..views.errors import MESSAGES
from .bodies import feedback_body

# Titles for the codes only the API produces (the web pages never show them).
API_TITLES = {
    401: "Authentification requise",
    409: "Conflit",
    413: "Requête trop volumineuse",
}


class ApiError(Exception):
    """A failure to report as ``status`` with a message for the client developer."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def error_body(status: int, message: str, field: str | None = None) -> dict[str, Any]:
    """The JSON envelope of an error."""
    title = API_TITLES.get(status) or MESSAGES.get(status, ("Erreur", ""))[0]
    error: dict[str, Any] = {"code": status, "title": title, "message": message}
    if field is not None:
        error["field"] = field
    return {"error": error}


def error_response(status: int, message: str, field: str | None = None) -> ResponseReturnValue:
    """``error_body`` as a response; a 401 says which scheme to use (RFC 6750)."""
    headers = {"WWW-Authenticate": 'Bearer realm="quiz"'} if status == 401 else {}
    return jsonify(error_body(status, message, field)), status, headers


def register_error_handlers(bp: Blueprint) -> None:
    """Map API and service exceptions raised by the blueprint's views onto JSON errors."""
    bp.register_error_handler(ApiError, _api_error)
    bp.register_error_handler(NotFound, _service_error(404))
    bp.register_error_handler(Invalid, _service_error(400))
    bp.register_error_handler(AlreadyAnswered, _already_answered)
    bp.register_error_handler(Unauthenticated, _service_error(401))
    bp.register_error_handler(Closed, _service_error(409))


def _api_error(error: ApiError) -> ResponseReturnValue:
    """An ``ApiError`` as raised."""
    db.session.rollback()
    return error_response(error.status, error.message, error.field)


def _already_answered(error: AlreadyAnswered) -> ResponseReturnValue:
    """A 409 with, besides the error, the verdict on the first answer (``feedback``).

    A client that lost the response to its first answer can only send it again:
    the 409 tells it what it missed instead of hiding it forever.
    """
    db.session.rollback()
    body = error_body(409, str(error))
    if isinstance(error.feedback, Feedback):
        body["feedback"] = feedback_body(error.feedback)
    return jsonify(body), 409


def _service_error(status: int) -> Any:
    """A handler answering ``status`` with the service's user-facing message."""

    def handle(error: Exception) -> ResponseReturnValue:
        # Nothing a failed request did may reach the database (one commit per request).
        db.session.rollback()
        return error_response(status, str(error) or MESSAGES.get(status, ("", ""))[1])

    return handle
