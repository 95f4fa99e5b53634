"""The session of the web pages, kept off the API.

API clients authenticate with a bearer token on every request; a cookie
session would only cost them the signing work (0.03 ms of the 0.4 ms an
answer takes) and risk a cookie leaking into a JSON client. Under ``/api/``
the session is Flask's null session: readable, empty, never saved.

A login starts a new session (``renew_session``); a logout ends every
session of the account (``User.session_epoch``).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Request, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

API_PREFIX = "/api/"


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except under ``/api/``."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The cookie session of a page request; the null session for the API."""
        if request.path.startswith(API_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """``Secure`` when configured, and on every request that came over HTTPS.

        Behind a TLS proxy gunicorn reads ``X-Forwarded-Proto`` from the proxy
        (``--forwarded-allow-ips``), so the request knows it was HTTPS.
        """
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def renew_session(keep: Iterable[str] = ()) -> None:
    """Start a new session at login, keeping only the ``keep`` keys.

    A session planted before login (a shared computer, a forged link) then
    carries nothing into the account; the CSRF token is renewed with it,
    since Flask-WTF keeps the raw token in the session and the signed one in ``g``.
    """
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
