"""Bad input never makes a 500: ids past the database's range, deep JSON, lone surrogates.

Every route with an integer in its path is found in the app's URL map, so a
route added later is covered too. The database is a real SQLite file with
no sheet in it: each request is refused before any row would matter.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import bearer, csrf_token, log_in_as, url_of
from conftest import Snapshot, keep_developer_settings_out
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from quiz import create_app
from quiz.extensions import db
from quiz.models import MAX_ROW_ID
from quiz.services import accounts

API = "/api/v1"
# Past PostgreSQL's integer (2^31) and SQLite's (2^63): neither may reach a query.
OUT_OF_RANGE = [MAX_ROW_ID + 1, 2**63, 2**64]
# Far deeper than Python's recursion limit (1,000), yet under the API's 64 KiB.
DEEP_JSON = "[" * 30_000 + "]" * 30_000
ANSWER = {"question_id": 1, "answer": "x"}


def routes_with_an_integer() -> list[tuple[str, str]]:
    """``(method, rule)`` for every route with an ``<int:…>`` variable, from the URL map."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as env:
        keep_developer_settings_out(env, Path(folder))
        database = f"sqlite:///{folder}/quiz.sqlite"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database})
        return sorted(
            (method, rule.rule)
            for rule in app.url_map.iter_rules()
            if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        )


def api_posts() -> list[str]:
    """Every API route that takes a JSON body."""
    return sorted({rule for method, rule in ROUTES if rule.startswith(API) and method == "POST"})


ROUTES = routes_with_an_integer()


def rule_named(app: Flask, path: str) -> Rule:
    """The app's rule written ``path``."""
    return next(rule for rule in app.url_map.iter_rules() if rule.rule == path)


@pytest.fixture
def instructor(app: Flask) -> FlaskClient:
    """A client logged in as an instructor (the role that reaches every page)."""
    client = app.test_client()
    log_in_as(client, app, "instructor")
    return client


def test_the_integer_routes_are_all_found() -> None:
    paths = {rule for _, rule in ROUTES}
    assert {"/quiz/<int:attempt_id>", "/author/questions/<int:question_id>"} <= paths
    assert f"{API}/attempts/<int:attempt_id>/answers" in paths


@pytest.mark.parametrize("number", OUT_OF_RANGE)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_an_id_past_the_database_range_is_a_404(
    app: Flask, instructor: FlaskClient, method: str, path: str, number: int
) -> None:
    url = url_of(rule_named(app, path), number, "nothing-here")
    if path.startswith(API):
        response = instructor.open(
            url, method=method, json=ANSWER, headers=bearer(app, "instructor-one")
        )
        assert response.get_json()["error"]["code"] == 404
    else:
        token = csrf_token(instructor.get("/quiz/new").get_data(as_text=True))
        response = instructor.open(url, method=method, data={"csrf_token": token})
    assert response.status_code == 404


@pytest.mark.parametrize("revision", [str(2**63), "²", "-1", "0"])
def test_a_review_of_an_impossible_revision_is_a_400(
    instructor: FlaskClient, revision: str
) -> None:
    token = csrf_token(instructor.get("/review").get_data(as_text=True))
    response = instructor.post("/review", data={"csrf_token": token, "revision": revision})
    assert response.status_code == 400


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_a_bulk_review_of_impossible_ids_is_a_400(
    app: Flask,
    instructor: FlaskClient,
    snapshot: Callable[[Flask], Snapshot],
    number: int,
) -> None:
    before = snapshot(app)
    token = csrf_token(instructor.get("/author/questions").get_data(as_text=True))
    data = {"csrf_token": token, "action": "approve", "question_ids": [str(number)]}
    assert instructor.post("/author/questions", data=data).status_code == 400
    assert snapshot(app) == before


# The API ----------------------------------------------------------------------------


@pytest.fixture
def student(app: Flask) -> dict[str, str]:
    """A student account's Authorization header."""
    with app.app_context():
        accounts.register("student", "correct horse")
        db.session.commit()
    return bearer(app, "student")


def assert_json_error(response: Any, status: int, field: str | None = None) -> str:
    """The API's error envelope with ``status`` (and ``field``); its message."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == status
    assert error.get("field") == field
    return str(error["message"])


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_a_question_id_past_the_range_is_a_400(
    client: FlaskClient, student: dict[str, str], number: int
) -> None:
    body = {"question_id": number, "answer": "x"}
    response = client.post(f"{API}/attempts/1/answers", json=body, headers=student)
    assert str(MAX_ROW_ID) in assert_json_error(response, 400, "question_id")


def test_the_api_schema_states_the_id_range(client: FlaskClient) -> None:
    document = client.get(f"{API}/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert schemas["AnswerSubmission"]["properties"]["question_id"]["maximum"] == MAX_ROW_ID
    answer = document["paths"]["/attempts/{attempt_id}/answers"]["post"]
    [attempt_id] = [p for p in answer["parameters"] if p["name"] == "attempt_id"]
    assert attempt_id["schema"]["maximum"] == MAX_ROW_ID


@pytest.mark.parametrize(
    "path", ["/auth/register", "/auth/token", "/attempts", "/attempts/1/answers"]
)
def test_deeply_nested_json_is_a_400(
    client: FlaskClient, student: dict[str, str], path: str
) -> None:
    headers = {"Content-Type": "application/json", **student}
    response = client.post(f"{API}{path}", data=DEEP_JSON, headers=headers)
    assert "JSON" in assert_json_error(response, 400)


def test_every_api_post_is_in_the_deep_json_test() -> None:
    """A JSON route added later must join the list above (or find its own test)."""
    tested = {"/auth/register", "/auth/token", "/attempts", "/attempts/<int:attempt_id>/answers"}
    # The live sessions' controls: tests/test_live.py sends them deep JSON.
    tested |= {
        f"/live/<int:session_id>/{action}"
        for action in ("start", "next", "reveal", "leaderboard", "pause", "resume", "skip", "end")
    }
    assert {path.removeprefix(API) for path in api_posts()} <= tested


@pytest.mark.parametrize("path", ["/auth/register", "/auth/token"])
def test_a_lone_surrogate_in_a_username_is_a_400(
    client: FlaskClient, snapshot: Callable[[Flask], Snapshot], app: Flask, path: str
) -> None:
    before = snapshot(app)
    # Written by hand: json.dumps would refuse the lone surrogate a client can send.
    body = '{"username": "bob\\ud800", "password": "correct horse"}'
    headers = {"Content-Type": "application/json"}
    response = client.post(f"{API}{path}", data=body, headers=headers)
    assert_json_error(response, 400, "username")
    assert snapshot(app) == before


# Question files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        # The page is in French, the default: so are its error messages.
        (DEEP_JSON, "JSON non valide : imbrication trop profonde"),
        ('{"sheets": [], "questions": [{"prompt": "\\udc80"}]}', "moitié de caractère"),
    ],
    ids=["deep", "lone surrogate"],
)
def test_an_unusable_json_file_is_refused_on_the_import_page(
    app: Flask,
    instructor: FlaskClient,
    snapshot: Callable[[Flask], Snapshot],
    content: str,
    reason: str,
) -> None:
    before = snapshot(app)
    token = csrf_token(instructor.get("/author/import").get_data(as_text=True))
    data = {"csrf_token": token, "format": "", "file": (io.BytesIO(content.encode()), "q.json")}
    response = instructor.post("/author/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)
    assert snapshot(app) == before
