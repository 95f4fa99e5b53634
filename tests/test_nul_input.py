"""A NUL character from outside never makes a 500: PostgreSQL cannot even compare one.

SQLite looks a NUL up like any character and finds nothing; PostgreSQL's driver
refuses to send it and the request failed with a 500. Under ``make test-postgres``
these tests fail on the code before ``quiz.views.text_input``. Every route with a
text variable in its path is found in the app's URL map, so later routes are covered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import ROLE_PASSWORD, csrf_token, log_in_as, token_for, url_of
from conftest import Snapshot
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter

from quiz import create_app
from quiz.extensions import db
from quiz.services.accounts import users

API = "/api/v1"
WITH_NUL = "x\x00y"


def text_routes() -> list[tuple[str, str]]:
    """``(method, rule)`` for every route with a text variable in its path."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if any(not isinstance(c, IntegerConverter) for c in rule._converters.values())
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    )


ROUTES = text_routes()


def url_with_nul(app: Flask, path: str) -> str:
    """The rule ``path`` with a NUL in each text variable (and id 1 for the others)."""
    return url_of(next(r for r in app.url_map.iter_rules() if r.rule == path), 1, WITH_NUL)


@pytest.fixture
def instructor(app: Flask) -> FlaskClient:
    """A client logged in as an instructor (the role that reaches every page)."""
    client = app.test_client()
    log_in_as(client, app, "instructor")
    return client


def test_the_text_routes_are_found() -> None:
    paths = {rule for _, rule in ROUTES}
    assert {"/sheets/<slug>", "/author/sheets/<slug>/stale"} <= paths


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_nul_in_a_path_is_a_404(
    app: Flask, instructor: FlaskClient, method: str, path: str
) -> None:
    token = csrf_token(instructor.get("/quiz/new").get_data(as_text=True))
    response = instructor.open(url_with_nul(app, path), method=method, data={"csrf_token": token})
    assert response.status_code == 404


def test_a_nul_in_a_form_or_query_value_is_a_400(
    app: Flask, client: FlaskClient, snapshot: Callable[[Flask], Snapshot]
) -> None:
    with app.app_context():
        users.register("alice", ROLE_PASSWORD)
        db.session.commit()
    before = snapshot(app)
    data = {"csrf_token": token_for(client), "username": "ali\x00ce", "password": ROLE_PASSWORD}
    assert client.post("/login", data=data).status_code == 400
    data = {"csrf_token": token_for(client, "/register"), "username": WITH_NUL}
    data |= {"password": ROLE_PASSWORD, "confirm": ROLE_PASSWORD}
    assert client.post("/register", data=data).status_code == 400
    assert client.get("/quiz/new?sheet=x%00y").status_code == 400
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/auth/register", {"username": WITH_NUL, "password": ROLE_PASSWORD}, "username"),
        ("/auth/token", {"username": WITH_NUL, "password": ROLE_PASSWORD}, "username"),
        ("/attempts", {"sheet": WITH_NUL, "count": 3}, "sheet"),
        ("/attempts", {"sheet": "suez", "revision": WITH_NUL, "count": 3}, "revision"),
    ],
)
def test_a_nul_in_an_api_string_is_a_400_naming_the_field(
    app: Flask, client: FlaskClient, path: str, body: dict[str, Any], field: str
) -> None:
    with app.app_context():
        user = users.register("bob", ROLE_PASSWORD)
        headers = {"Authorization": f"Bearer {users.issue_token(user)}"}
        db.session.commit()
    response = client.post(f"{API}{path}", json=body, headers=headers)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["field"] == field and "U+0000" in error["message"]
