"""Security headers on every response, and the session cookie's SameSite and Secure flags."""

from __future__ import annotations

import pytest
from browser_helpers import ROLE_PASSWORD, token_for
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.services.accounts import users


@pytest.mark.parametrize(
    "url", ["/", "/login", "/quiz/new", "/nowhere", "/static/style.css", "/api/v1/openapi.json"]
)
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def log_in(app: Flask, base_url: str) -> str:
    """Log a new account in over ``base_url``; the Set-Cookie header of the login."""
    with app.app_context():
        users.register("alice", ROLE_PASSWORD)
        db.session.commit()
    client = app.test_client()
    token = token_for(client, f"{base_url}/login")
    data = {"csrf_token": token, "username": "alice", "password": ROLE_PASSWORD}
    # Over HTTPS Flask-WTF also wants the form to come from this site.
    headers = {"Referer": f"{base_url}/login"}
    response = client.post(f"{base_url}/login", data=data, headers=headers)
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def test_the_session_cookie_is_same_site_lax_and_http_only(app: Flask) -> None:
    cookie = log_in(app, "http://localhost")
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain HTTP (development): a Secure cookie would not come back


def test_the_session_cookie_is_secure_over_https(app: Flask) -> None:
    cookie = log_in(app, "https://localhost")
    assert "Secure" in cookie and "SameSite=Lax" in cookie
