"""Error pages: a clear page (or JSON under ``/api/``), never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from ..extensions import db
from ..services.database import is_lock_timeout
from ..sessions import API_PREFIX

# French titles and explanations for the errors a visitor can meet.
MESSAGES = {
    400: ("Requête invalide", "La requête envoyée est incomplète ou mal formée."),
    403: ("Accès refusé", "Vous n’avez pas le droit d’accéder à cette page."),
    404: ("Page introuvable", "Cette page n’existe pas ou a été déplacée."),
    405: ("Méthode non autorisée", "Cette adresse n’accepte pas ce type de requête."),
    429: ("Trop de tentatives", "Trop de tentatives depuis votre adresse : patientez une minute."),
    500: ("Erreur interne", "Une erreur inattendue s’est produite. Réessayez plus tard."),
    503: (
        "Service occupé",
        "La base de données est occupée par une autre tâche : rien n’a été enregistré. "
        "Réessayez dans quelques secondes.",
    ),
}

# What a 503 asks the client to wait before sending its write again: about the
# busy timeout, the time a write already waited for the lock in vain.
BUSY_RETRY_AFTER_S = 5


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error, and any unexpected exception, as a clear page."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_error)
    # Only reached when exceptions do not propagate (not in debug or tests):
    # Flask wraps the original exception in a 500 InternalServerError.
    app.register_error_handler(InternalServerError, handle_http_error)


def handle_database_error(error: OperationalError) -> ResponseReturnValue:
    """A write that waited in vain for the database's lock: 503 with ``Retry-After``.

    Any other database fault is not the client's to retry: it stays a 500.
    """
    if not is_lock_timeout(error):
        raise error
    db.session.rollback()  # the request wrote nothing; the connection goes back clean
    current_app.logger.warning("Database locked past the busy timeout: %s", error.orig)
    title, message = MESSAGES[503]
    return error_response(503, title, message, {"Retry-After": str(BUSY_RETRY_AFTER_S)})


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    """An HTML error page, or ``{"error": {...}}`` for API paths."""
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or error.name))
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)  # required on a 405
    return error_response(code, title, message, headers)


def error_response(
    code: int, title: str, message: str, headers: dict[str, str]
) -> ResponseReturnValue:
    """The error page, or its JSON envelope under ``/api/``."""
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": code, "title": title, "message": message}}
        return jsonify(body), code, headers
    page = render_template("error.html", code=code, title=title, message=message)
    return page, code, headers
