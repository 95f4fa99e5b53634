"""Error pages: a clear page (or JSON under ``/api/``), never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from ..sessions import API_PREFIX

# French titles and explanations for the errors a visitor can meet.
MESSAGES = {
    400: ("Requête invalide", "La requête envoyée est incomplète ou mal formée."),
    403: ("Accès refusé", "Vous n’avez pas le droit d’accéder à cette page."),
    404: ("Page introuvable", "Cette page n’existe pas ou a été déplacée."),
    405: ("Méthode non autorisée", "Cette adresse n’accepte pas ce type de requête."),
    429: ("Trop de tentatives", "Trop de tentatives depuis votre adresse : patientez une minute."),
    500: ("Erreur interne", "Une erreur inattendue s’est produite. Réessayez plus tard."),
}


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error, and any unexpected exception, as a clear page."""
    app.register_error_handler(HTTPException, handle_http_error)
    # Only reached when exceptions do not propagate (not in debug or tests):
    # Flask wraps the original exception in a 500 InternalServerError.
    app.register_error_handler(InternalServerError, handle_http_error)


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    """An HTML error page, or ``{"error": {...}}`` for API paths."""
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or error.name))
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)  # required on a 405
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": code, "title": title, "message": message}}
        return jsonify(body), code, headers
    page = render_template("error.html", code=code, title=title, message=message)
    return page, code, headers
