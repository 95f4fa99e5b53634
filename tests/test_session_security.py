"""Sessions end where they should: at logout (copies included), renewed at login; the
language switch writes the account only on a POST; API tokens dated in the future fail."""

from __future__ import annotations

import time

from browser_helpers import ROLE_PASSWORD, csrf_token, log_in_with, token_for
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import User
from quiz.services.accounts import users

INSTRUCTOR_PAGE = "/author/questions"
A_YEAR = 365 * 24 * 3600


def make_account(app: Flask, username: str = "teacher", role: str = "instructor") -> int:
    """A new account with ``ROLE_PASSWORD``; its id."""
    with app.app_context():
        user = users.register(username, ROLE_PASSWORD, role=role)
        db.session.commit()
        return int(user.id)


def session_cookie(client: FlaskClient) -> str:
    """The value of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_copied_cookie_stops_working_at_logout(site: Flask) -> None:
    make_account(site)
    browser = site.test_client()
    log_in_with(browser, "teacher")
    copied = session_cookie(browser)
    assert browser.get(INSTRUCTOR_PAGE).status_code == 200
    response = browser.post("/logout", data={"csrf_token": token_for(browser, "/")})
    assert response.status_code == 302
    thief = site.test_client()
    thief.set_cookie("session", copied)
    response = thief.get(INSTRUCTOR_PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    log_in_with(browser, "teacher")  # logging in again works, on a new cookie
    assert browser.get(INSTRUCTOR_PAGE).status_code == 200


def test_login_renews_the_session_and_its_csrf_token(site: Flask) -> None:
    make_account(site)
    browser = site.test_client()
    login_page = browser.get("/login").get_data(as_text=True)
    planted_token, planted_cookie = csrf_token(login_page), session_cookie(browser)
    data = {"csrf_token": planted_token, "username": "teacher", "password": ROLE_PASSWORD}
    assert browser.post("/login", data=data).status_code == 302
    assert session_cookie(browser) != planted_cookie
    # The token of the page read before logging in no longer passes.
    assert browser.post("/logout", data={"csrf_token": planted_token}).status_code == 400
    assert browser.get(INSTRUCTOR_PAGE).status_code == 200
    fresh = token_for(browser, "/")
    assert fresh != planted_token
    assert browser.post("/logout", data={"csrf_token": fresh}).status_code == 302


def account_locale(app: Flask, username: str) -> str | None:
    """The language stored on the account."""
    with app.app_context():
        return db.session.scalar(select(User.locale).filter_by(username=username))


def test_a_get_on_the_language_switch_stores_nothing_on_the_account(site: Flask) -> None:
    make_account(site, "alice", role="student")
    browser = site.test_client()
    log_in_with(browser, "alice")
    assert account_locale(site, "alice") is None
    response = browser.get("/lang/en")
    assert response.status_code == 302
    assert '<html lang="en">' in browser.get("/").get_data(as_text=True)  # this browser only
    assert account_locale(site, "alice") is None
    assert browser.post("/lang/en").status_code == 400  # no CSRF token: not a form of ours
    assert account_locale(site, "alice") is None
    page = browser.get("/").get_data(as_text=True)
    assert 'action="/lang/fr?next=/' in page  # the switch itself posts
    assert browser.post("/lang/fr", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert account_locale(site, "alice") == "fr"


def token_signed_at(app: Flask, user_id: int, moment: float) -> str:
    """An API token for ``user_id`` signed with the app's key, dated ``moment``."""

    class DatedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(moment)

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        genuine = users.issue_token(user)
        claim = URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt=users.TOKEN_SALT
        ).loads(genuine)
        serializer = URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt=users.TOKEN_SALT, signer=DatedSigner
        )
        return str(serializer.dumps(claim))


def test_an_api_token_dated_in_the_future_is_refused(app: Flask, client: FlaskClient) -> None:
    user_id = make_account(app, "alice", role="student")
    for moment, status in ((time.time() - 60, 200), (time.time() + A_YEAR, 401)):
        headers = {"Authorization": f"Bearer {token_signed_at(app, user_id, moment)}"}
        response = client.get("/api/v1/me/stats", headers=headers)
        assert response.status_code == status, response.get_data(as_text=True)
    future = token_signed_at(app, user_id, time.time() + A_YEAR)
    with app.test_request_context():
        assert users.read_token(future) is None
