"""Helpers of the live session page tests: accounts, the forms as their pages offer them.

The database: the built-in sheets imported, two instructors (teacher, tutor) and a
student (alice), made once per test module (``seed_accounts``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from browser_helpers import csrf_token, log_in_with
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.live_models import LiveSession
from quiz.models import ROLE_INSTRUCTOR, Question
from quiz.services.accounts import users as accounts

SLUG = "relations-otan-russie"
PASSWORD = "correct horse"


def seed_accounts() -> None:
    """Two instructors and a student (in an app context; the caller commits)."""
    accounts.register("teacher", PASSWORD, role=ROLE_INSTRUCTOR)
    accounts.register("tutor", PASSWORD, role=ROLE_INSTRUCTOR)
    accounts.register("alice", PASSWORD)


def client_of(app: Flask, username: str | None, language: str = "en") -> FlaskClient:
    """A client logged in as ``username`` (a visitor if None), reading ``language``."""
    client = app.test_client()
    if username:
        log_in_with(client, username, PASSWORD)
    client.get(f"/lang/{language}")
    return client


def session_form(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    """The new session form's fields, as the page offers them, changed by ``fields``."""
    page = client.get(f"/teach/live/new?sheet={SLUG}").get_data(as_text=True)
    revision = re.search(r'<input checked[^>]*name="revision"[^>]*value="([^"]+)"', page)
    assert revision, "no revision checked"
    data: dict[str, Any] = {
        "csrf_token": csrf_token(page),
        "sheet": SLUG,
        "revision": revision.group(1),
        "count": "3",
        "seconds": "30",
        "scoring": "correct",
        "types": ["mcq", "true_false"],
        "tags": [],
        "picked": "",
    }
    data.update(fields)
    return data


def new_session(client: FlaskClient, **fields: Any) -> int:
    """Make a session through the form (303 to its projector page); its id."""
    response = client.post("/teach/live/new", data=session_form(client, **fields))
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def session_row(app: Flask, session_id: int) -> LiveSession:
    """The session's row, detached."""
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        assert session is not None
        db.session.expunge(session)
        return session


def press(client: FlaskClient, session_id: int, action: str, version: int) -> Any:
    """Post one of the projector's buttons with the version the page showed."""
    page = client.get(f"/teach/live/{session_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "action": action, "version": str(version)}
    return client.post(f"/teach/live/{session_id}/control", data=data)


def join(client: FlaskClient, code: str, nickname: str, token: str = "") -> Any:
    """Post the join form from the page of ``code``."""
    page = client.get(f"/live/{code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": code, "nickname": nickname, "token": token}
    return client.post("/live", data=data)


def seat_of(play_page: str) -> dict[str, str]:
    """The seat the play page hands its script."""
    match = re.search(r'<script type="application/json" id="live-seat">(.*?)</script>', play_page)
    assert match, "no seat in the page"
    return dict(json.loads(match.group(1)))


def send_answer(app: Flask, client: FlaskClient, code: str, token: str, right: bool) -> Any:
    """Answer the current question through the JSON API, right or wrong; the response."""
    state = client.get(
        f"/api/v1/live/{code}/state", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    question = state["question"]
    with app.app_context():
        expected = db.session.get(Question, question["id"]).answer
    given = expected
    if not right:
        given = next((choice for choice in question["choices"] if choice != expected), "zzzz")
    return client.post(
        f"/api/v1/live/{code}/answers",
        json={"question_id": question["id"], "answer": given},
        headers={"Authorization": f"Bearer {token}"},
    )
