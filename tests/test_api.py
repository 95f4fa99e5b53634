"""The JSON API (``/api/v1``) over HTTP: auth, attempts, answers, stats, errors, OpenAPI.

Every test runs on its own copy of one SQLite file made once per module: the
built-in sheets imported through ``quiz import-sheets`` (spaCy runs once) and
two accounts, alice and bob. Requests carry no CSRF token: the API is exempt.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import bearer, date_order_events
from browser_helpers import live_server as serve
from conftest import copy_database, database_url, make_imported_database
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from quiz import create_app
from quiz.extensions import db
from quiz.models import Answer, Question, Revision
from quiz.services.accounts import users

SLUG = "relations-otan-russie"
FIRST_REVISION, LATEST_REVISION = "2022-01", "2022-later"
PASSWORD = "correct horse"
PUBLIC_QUESTION_KEYS = {"id", "type", "prompt", "choices", "tags", "lang"}
API = "/api/v1"


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the built-in sheets imported and the accounts alice and bob."""

    def add_accounts() -> None:
        for name in ("alice", "bob"):
            users.register(name, PASSWORD)

    return make_imported_database(tmp_path_factory, seed=add_accounts)


@pytest.fixture
def database_path(seeded_database: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeded database (overrides conftest's empty one)."""
    return copy_database(seeded_database, tmp_path / "quiz.sqlite")


@pytest.fixture
def alice(app: Flask) -> dict[str, str]:
    """alice's Authorization header."""
    return bearer(app, "alice")


@pytest.fixture
def bob(app: Flask) -> dict[str, str]:
    """bob's Authorization header."""
    return bearer(app, "bob")


def assert_error(response: Any, status: int, field: str | None = None) -> str:
    """The response is a JSON error envelope with ``status`` (and ``field``); return its message."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == status
    assert error["title"] and error["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    if field is not None:
        assert error.get("field") == field, error
    return str(error["message"])


def start(client: FlaskClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """Start an attempt on the built-in sheet (10 questions unless told); return its body."""
    body = {"sheet": SLUG, "count": 10, **fields}
    response = client.post(f"{API}/attempts", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return dict(response.get_json())


def answer(
    client: FlaskClient, headers: dict[str, str], attempt_id: int, question_id: int, given: Any
) -> Any:
    """POST one answer; return the response."""
    body = {"question_id": question_id, "answer": given}
    return client.post(f"{API}/attempts/{attempt_id}/answers", json=body, headers=headers)


def right_answer(app: Flask, question_id: int) -> Any:
    """The expected answer of a question, read from the database."""
    with app.app_context():
        return db.session.get(Question, question_id).answer


def wrong_answer(question: dict[str, Any], expected: Any) -> Any:
    """A well-formed answer that is not ``expected``."""
    if question["type"] == "order":
        return list(reversed(expected))
    others = [choice for choice in question["choices"] if choice != expected]
    return others[0] if others else "zzzz"


def answer_rows(app: Flask) -> int:
    """How many answers the database holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer)) or 0


def my_stats(client: FlaskClient, headers: dict[str, str]) -> dict[str, Any]:
    """GET /me/stats."""
    response = client.get(f"{API}/me/stats", headers=headers)
    assert response.status_code == 200
    return dict(response.get_json())


# --- auth ---------------------------------------------------------------------------------


def test_register_returns_a_working_token_and_sets_no_cookie(client: FlaskClient) -> None:
    response = client.post(f"{API}/auth/register", json={"username": "carol", "password": PASSWORD})
    assert response.status_code == 201
    assert set(response.get_json()) == {"token"}
    assert "Set-Cookie" not in response.headers
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    assert my_stats(client, headers)["answered"] == 0


def test_register_refuses_a_taken_name_whatever_its_case(client: FlaskClient) -> None:
    response = client.post(f"{API}/auth/register", json={"username": "Alice", "password": PASSWORD})
    assert "déjà pris" in assert_error(response, 400)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "carol"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "ca", "password": PASSWORD}, "username"),
        ({"username": "c" * 41, "password": PASSWORD}, "username"),
        ({"username": "carol", "password": "short"}, "password"),
        ({"username": "carol", "password": "x" * 1001}, "password"),
        ({"username": 42, "password": PASSWORD}, "username"),
        ({"username": "carol", "password": ["p", "w"]}, "password"),
        ({"username": "carol", "password": PASSWORD, "role": "instructor"}, "role"),
    ],
)
def test_register_validates_each_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    assert_error(client.post(f"{API}/auth/register", json=body), 400, field)


def test_token_for_good_credentials(client: FlaskClient) -> None:
    response = client.post(f"{API}/auth/token", json={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    assert my_stats(client, headers)["answered"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"username": "alice", "password": "wrong password"},
        {"username": "alice", "password": "x"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_token_refuses_bad_credentials_with_401(client: FlaskClient, body: dict[str, str]) -> None:
    assert_error(client.post(f"{API}/auth/token", json=body), 401)


def test_token_requests_are_rate_limited(database_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url(database_path),
            "API_AUTH_RATE_LIMIT": "3 per minute",
        }
    )
    client = app.test_client()
    body = {"username": "alice", "password": "wrong password"}
    statuses = [client.post(f"{API}/auth/token", json=body).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    assert_error(client.post(f"{API}/auth/token", json=body), 429)
    with app.app_context():
        db.engine.dispose()


PROTECTED = [
    ("GET", "/sheets"),
    ("POST", "/attempts"),
    ("POST", "/attempts/1/answers"),
    ("GET", "/me/stats"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-token", "Basic YWxpY2U6cGFzc3dvcmQ=", "Token abc"],
)
def test_protected_endpoints_need_a_valid_bearer_token(
    client: FlaskClient, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.open(f"{API}{path}", method=method, json={}, headers=headers)
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_tampered_token_is_refused(client: FlaskClient, alice: dict[str, str]) -> None:
    token = alice["Authorization"].removeprefix("Bearer ")
    payload, signature = token.rsplit(".", 1)
    forged = {"Authorization": f"Bearer {payload}.{signature[::-1]}"}
    assert_error(client.get(f"{API}/me/stats", headers=forged), 401)


# --- sheets --------------------------------------------------------------------------------


def test_sheets_lists_the_builtin_sheet(client: FlaskClient, alice: dict[str, str]) -> None:
    response = client.get(f"{API}/sheets", headers=alice)
    assert response.status_code == 200
    [sheet] = response.get_json()
    assert sheet["slug"] == SLUG
    assert sheet["title"] == "Les relations OTAN-Russie"
    assert sheet["lang"] == "fr"
    labels = [revision["label"] for revision in sheet["revisions"]]
    assert labels == [FIRST_REVISION, LATEST_REVISION]
    assert all(revision["question_count"] > 0 for revision in sheet["revisions"])
    assert sheet["question_count"] == sheet["revisions"][-1]["question_count"]


# --- attempts ------------------------------------------------------------------------------


def test_attempt_shows_questions_without_giving_answers_away(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, count=50, revision=FIRST_REVISION)
    assert isinstance(attempt["id"], int)
    # Up to 50: the draw leaves out questions that would give another away.
    assert 0 < len(attempt["questions"]) <= 50
    with app.app_context():
        for shown in attempt["questions"]:
            assert set(shown) == PUBLIC_QUESTION_KEYS
            question = db.session.get(Question, shown["id"])
            assert question.prompt == shown["prompt"]
            if question.type == "order":
                assert shown["choices"] != question.answer
            elif question.type not in {"mcq", "true_false"}:
                assert shown["choices"] == []
            # The explanation names the answer and quotes the evidence.
            assert question.explanation not in json.dumps(attempt, ensure_ascii=False)


def test_attempt_on_the_latest_revision_by_default(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, count=50)
    with app.app_context():
        latest = db.session.scalar(select(Revision).filter_by(label=LATEST_REVISION))
        ids = [question["id"] for question in attempt["questions"]]
        revisions = {db.session.get(Question, qid).revision_id for qid in ids}
    assert revisions == {latest.id}


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"types": ["order"]}, lambda q: q["type"] == "order"),
        ({"types": ["mcq", "true_false"]}, lambda q: q["type"] in {"mcq", "true_false"}),
        ({"tags": ["person"]}, lambda q: "person" in q["tags"]),
        (
            {"types": ["mcq"], "tags": ["date"]},
            lambda q: q["type"] == "mcq" and "date" in q["tags"],
        ),
    ],
)
def test_attempt_filters_by_types_and_tags(
    client: FlaskClient, alice: dict[str, str], filters: dict[str, Any], check: Any
) -> None:
    attempt = start(client, alice, revision=FIRST_REVISION, count=50, **filters)
    assert attempt["questions"]
    assert all(check(question) for question in attempt["questions"])


def test_attempt_with_no_matching_question_is_a_400(
    client: FlaskClient, alice: dict[str, str]
) -> None:
    body = {"sheet": SLUG, "count": 5, "revision": LATEST_REVISION, "types": ["order"]}
    message = assert_error(client.post(f"{API}/attempts", json=body, headers=alice), 400)
    assert "Aucune question" in message


@pytest.mark.parametrize(
    "body",
    [
        {"sheet": "no-such-sheet", "count": 5},
        {"sheet": SLUG, "count": 5, "revision": "1999"},
    ],
)
def test_attempt_on_unknown_sheet_or_revision_is_a_404(
    client: FlaskClient, alice: dict[str, str], body: dict[str, Any]
) -> None:
    assert_error(client.post(f"{API}/attempts", json=body, headers=alice), 404)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sheet": None}, "sheet"),
        ({"sheet": 12}, "sheet"),
        ({"sheet": ""}, "sheet"),
        ({"sheet": "s" * 201}, "sheet"),
        ({"count": None}, "count"),
        ({"count": 0}, "count"),
        ({"count": 51}, "count"),
        ({"count": "5"}, "count"),
        ({"count": 5.0}, "count"),
        ({"count": True}, "count"),
        ({"revision": 2022}, "revision"),
        ({"types": "mcq"}, "types"),
        ({"types": []}, "types"),
        ({"types": ["essay"]}, "types"),
        ({"types": [1]}, "types"),
        ({"tags": ["colour"]}, "tags"),
        ({"tags": {"date": True}}, "tags"),
        ({"tag": ["date"]}, "tag"),
    ],
)
def test_attempt_validates_each_field(
    client: FlaskClient, alice: dict[str, str], fields: dict[str, Any], field: str
) -> None:
    body = {"sheet": SLUG, "count": 5, **fields}
    body = {name: value for name, value in body.items() if value is not None}
    assert_error(client.post(f"{API}/attempts", json=body, headers=alice), 400, field)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"sheet": "relations-otan-russie", "count": 5', "application/json"),
        ("{'sheet': 'x'}", "application/json"),
        ("", "application/json"),
        ("[1, 2]", "application/json"),
        ('"sheet"', "application/json"),
        ("null", "application/json"),
        ("sheet=relations-otan-russie&count=5", "application/x-www-form-urlencoded"),
        ('{"sheet": "relations-otan-russie", "count": 5}', "text/plain"),
    ],
)
def test_malformed_bodies_are_a_400(
    client: FlaskClient, alice: dict[str, str], data: str, content_type: str
) -> None:
    response = client.post(f"{API}/attempts", data=data, content_type=content_type, headers=alice)
    assert_error(response, 400)


def test_an_oversized_body_is_a_413(client: FlaskClient, alice: dict[str, str]) -> None:
    body = {"sheet": SLUG, "count": 5, "revision": "x" * 70_000}
    assert_error(client.post(f"{API}/attempts", json=body, headers=alice), 413)


# --- answers -------------------------------------------------------------------------------


def test_a_right_answer_is_scored_with_its_source(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, revision=FIRST_REVISION, types=["mcq"], count=1)
    [question] = attempt["questions"]
    expected = right_answer(app, question["id"])
    response = answer(client, alice, attempt["id"], question["id"], expected)
    assert response.status_code == 200
    feedback = response.get_json()
    assert set(feedback) == {"correct", "expected", "explanation", "source", "events"}
    assert feedback["correct"] is True
    assert feedback["events"] == []  # only order questions have events
    assert feedback["expected"] == expected
    assert expected in feedback["explanation"]
    source = feedback["source"]
    assert source["sheet"] == SLUG and source["revision"] == FIRST_REVISION
    assert expected in source["paragraph"][source["evidence"]["start"] : source["evidence"]["end"]]
    pattern = rf"^http://localhost/sheets/{SLUG}/revisions/{FIRST_REVISION}\?hl={source['anchor']}:\d+-\d+#{source['anchor']}$"
    assert re.match(pattern, source["url"]), source["url"]


def test_a_wrong_answer_is_scored_wrong(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, revision=FIRST_REVISION, types=["order"], count=1)
    [question] = attempt["questions"]
    expected = right_answer(app, question["id"])
    response = answer(client, alice, attempt["id"], question["id"], list(reversed(expected)))
    assert response.status_code == 200
    assert response.get_json()["correct"] is False
    assert response.get_json()["expected"] == expected
    stats = my_stats(client, alice)
    assert (stats["answered"], stats["correct"], stats["accuracy"]) == (1, 0, 0.0)


def test_an_order_answer_cites_each_event_with_its_date_and_source(
    app: Flask, client: FlaskClient, alice: dict[str, str], openapi: dict[str, Any]
) -> None:
    dates = date_order_events(app)
    attempt = start(client, alice, revision=FIRST_REVISION, types=["order"], count=1)
    [question] = attempt["questions"]
    with app.app_context():
        item_sources = db.session.get(Question, question["id"]).item_sources
    expected = right_answer(app, question["id"])
    feedback = answer(client, alice, attempt["id"], question["id"], expected).get_json()
    schemas = openapi["components"]["schemas"]
    assert set(feedback) == set(schemas["Feedback"]["required"])
    assert [event["event"] for event in feedback["events"]] == expected
    for event, stored in zip(feedback["events"], item_sources, strict=True):
        assert set(event) == set(schemas["Event"]["required"])
        source = event["source"]
        evidence = source["evidence"]
        assert (source["anchor"], evidence) == (stored["anchor"], stored["evidence"])
        assert (source["sheet"], source["revision"]) == (SLUG, FIRST_REVISION)
        assert event["date"] == stored["date"]
        assert event["date"] in source["paragraph"][evidence["start"] : evidence["end"]]
        anchor, span = source["anchor"], f"{evidence['start']}-{evidence['end']}"
        assert source["url"] == (
            f"http://localhost/sheets/{SLUG}/revisions/{FIRST_REVISION}?hl={anchor}:{span}#{anchor}"
        )
    assert [event["date"] for event in feedback["events"]] == dates[question["id"]]


def test_a_second_answer_is_a_409_and_changes_no_score(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, revision=FIRST_REVISION, types=["mcq"], count=1)
    [question] = attempt["questions"]
    expected = right_answer(app, question["id"])
    assert answer(client, alice, attempt["id"], question["id"], expected).status_code == 200
    before = my_stats(client, alice)
    second = answer(client, alice, attempt["id"], question["id"], wrong_answer(question, expected))
    assert_error(second, 409)
    again = answer(client, alice, attempt["id"], question["id"], expected)
    assert_error(again, 409)
    assert my_stats(client, alice) == before
    assert before["answered"] == 1 and before["correct"] == 1
    assert answer_rows(app) == 1


def test_a_client_that_lost_its_response_reads_the_verdict_from_the_409(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    """The first answer was stored but its response never arrived: sent again, it gets
    a 409 carrying the verdict on the stored answer, whatever the second one says."""
    attempt = start(client, alice, revision=FIRST_REVISION, types=["mcq"], count=1)
    [question] = attempt["questions"]
    wrong = wrong_answer(question, right_answer(app, question["id"]))
    first = answer(client, alice, attempt["id"], question["id"], wrong)
    assert first.status_code == 200  # the response a flaky network loses
    for given in (wrong, right_answer(app, question["id"]), "no such choice"):
        again = answer(client, alice, attempt["id"], question["id"], given)
        assert_error(again, 409)
        assert again.get_json()["feedback"] == first.get_json()
    assert answer_rows(app) == 1


def test_another_users_attempt_is_a_404(
    app: Flask, client: FlaskClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    attempt = start(client, alice, count=1)
    [question] = attempt["questions"]
    response = answer(client, bob, attempt["id"], question["id"], "x")
    assert_error(response, 404)
    assert answer_rows(app) == 0
    assert my_stats(client, bob)["answered"] == 0


def test_unknown_attempt_and_questions_are_404s(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, revision=LATEST_REVISION, count=1)
    [question] = attempt["questions"]
    with app.app_context():
        first = db.session.scalar(select(Revision).filter_by(label=FIRST_REVISION))
        elsewhere = first.questions[0].id  # a real question, not in this attempt
    assert_error(answer(client, alice, attempt["id"] + 1000, question["id"], "x"), 404)
    assert_error(answer(client, alice, attempt["id"], elsewhere, "x"), 404)
    assert_error(answer(client, alice, attempt["id"], 10**9, "x"), 404)
    assert_error(client.post(f"{API}/attempts/abc/answers", json={}, headers=alice), 404)
    assert answer_rows(app) == 0


def change_password(app: Flask, username: str) -> None:
    """Give ``username`` a new password, which revokes the tokens issued before."""
    with app.app_context():
        user = users.find_user(username)
        assert user is not None
        user.password_hash = generate_password_hash("a brand new password")
        db.session.commit()


@pytest.mark.parametrize("whose", ["own", "another's", "missing"])
def test_a_revoked_token_cannot_answer_whatever_the_attempt(
    app: Flask, client: FlaskClient, alice: dict[str, str], bob: dict[str, str], whose: str
) -> None:
    """The answer path reads the token's validity with the attempt: a revoked token
    is a 401 on its own attempt, on someone else's and on none, never a 404."""
    mine, theirs = start(client, alice, count=1), start(client, bob, count=1)
    attempt = {"own": mine, "another's": theirs, "missing": {**mine, "id": mine["id"] + 999}}
    target = attempt[whose]
    change_password(app, "alice")
    response = answer(client, alice, target["id"], target["questions"][0]["id"], "x")
    assert "nouveau" in assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer_rows(app) == 0


def test_a_token_of_a_deleted_user_cannot_answer(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, count=1)
    with app.app_context():
        db.session.execute(db.text("UPDATE attempts SET user_id = NULL, visitor_id = 'gone'"))
        db.session.execute(db.text("DELETE FROM users WHERE username = 'alice'"))
        db.session.commit()
    response = answer(client, alice, attempt["id"], attempt["questions"][0]["id"], "x")
    assert_error(response, 401)
    assert answer_rows(app) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answer": "x"}, "question_id"),
        ({"question_id": "1", "answer": "x"}, "question_id"),
        ({"question_id": 0, "answer": "x"}, "question_id"),
        ({"question_id": True, "answer": "x"}, "question_id"),
        ({"question_id": 1}, "answer"),
        ({"question_id": 1, "answer": 1994}, "answer"),
        ({"question_id": 1, "answer": "   "}, "answer"),
        ({"question_id": 1, "answer": "x" * 501}, "answer"),
        ({"question_id": 1, "answer": []}, "answer"),
        ({"question_id": 1, "answer": ["a", 2]}, "answer"),
        ({"question_id": 1, "answer": ["a"] * 21}, "answer"),
        ({"question_id": 1, "answer": {"text": "x"}}, "answer"),
        ({"question_id": 1, "answer": "x", "correct": True}, "correct"),
    ],
)
def test_answer_validates_each_field(
    app: Flask, client: FlaskClient, alice: dict[str, str], body: dict[str, Any], field: str
) -> None:
    attempt = start(client, alice, count=1)
    response = client.post(f"{API}/attempts/{attempt['id']}/answers", json=body, headers=alice)
    assert_error(response, 400, field)
    assert answer_rows(app) == 0


def test_an_answer_of_the_wrong_shape_for_its_question_is_a_400(
    app: Flask, client: FlaskClient, alice: dict[str, str]
) -> None:
    attempt = start(client, alice, revision=FIRST_REVISION, types=["order"], count=1)
    [question] = attempt["questions"]
    assert_error(answer(client, alice, attempt["id"], question["id"], "a single string"), 400)
    assert answer_rows(app) == 0


# --- stats ---------------------------------------------------------------------------------


def test_stats_count_answers_by_sheet_and_tag(
    app: Flask, client: FlaskClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    assert my_stats(client, alice) == {
        "answered": 0,
        "correct": 0,
        "accuracy": 0,
        "by_sheet": {},
        "by_tag": {},
    }
    attempt = start(client, alice, revision=FIRST_REVISION, types=["mcq"], count=4)
    for index, question in enumerate(attempt["questions"]):
        expected = right_answer(app, question["id"])
        given = expected if index < 3 else wrong_answer(question, expected)
        assert answer(client, alice, attempt["id"], question["id"], given).status_code == 200
    stats = my_stats(client, alice)
    assert set(stats) == {"answered", "correct", "accuracy", "by_sheet", "by_tag"}
    assert (stats["answered"], stats["correct"], stats["accuracy"]) == (4, 3, 0.75)
    sheet = stats["by_sheet"][SLUG]
    assert sheet["title"] == "Les relations OTAN-Russie"
    assert (sheet["answered"], sheet["correct"], sheet["accuracy"]) == (4, 3, 0.75)
    tags = [tag for question in attempt["questions"] for tag in question["tags"]]
    assert {tag: score["answered"] for tag, score in stats["by_tag"].items()} == {
        tag: tags.count(tag) for tag in set(tags)
    }
    assert my_stats(client, bob)["answered"] == 0


# --- routing errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/me/stats", "GET"),
        ("POST", "/sheets", "GET"),
        ("GET", "/attempts", "POST"),
        ("PUT", "/attempts/1/answers", "POST"),
        ("GET", "/auth/token", "POST"),
    ],
)
def test_a_wrong_method_is_a_json_405(
    client: FlaskClient, alice: dict[str, str], method: str, path: str, allowed: str
) -> None:
    response = client.open(f"{API}{path}", method=method, headers=alice)
    assert_error(response, 405)
    assert allowed in response.headers["Allow"]


def test_an_unknown_api_url_is_a_json_404(client: FlaskClient, alice: dict[str, str]) -> None:
    assert_error(client.get(f"{API}/questions", headers=alice), 404)


# --- OpenAPI -------------------------------------------------------------------------------


@pytest.fixture
def openapi(client: FlaskClient) -> dict[str, Any]:
    """The served OpenAPI document."""
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return dict(json.loads(response.get_data(as_text=True)))


def blueprint_routes(app: Flask) -> set[tuple[str, str]]:
    """``(method, path)`` of every route of the api blueprint, in OpenAPI path syntax."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule).removeprefix(API)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((method.lower(), path))
    return routes


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(method, path, operation)`` of every operation of the document."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                yield method, path, operation


def test_openapi_documents_exactly_the_blueprint_routes(
    app: Flask, openapi: dict[str, Any]
) -> None:
    assert openapi["openapi"].startswith("3.1.")
    assert openapi["servers"] == [{"url": API}]
    documented = {(method, path) for method, path, _ in operations(openapi)}
    assert documented == blueprint_routes(app)


def test_openapi_references_all_resolve(openapi: dict[str, Any]) -> None:
    text = json.dumps(openapi)
    references = set(re.findall(r'"\$ref": "#/([^"]+)"', text))
    assert references
    for reference in references:
        node: Any = openapi
        for part in reference.split("/"):
            node = node[part]
        assert node, reference


def test_openapi_security_matches_the_server(client: FlaskClient, openapi: dict[str, Any]) -> None:
    """An operation documented with the bearer scheme answers 401 without a token, others not."""
    scheme = openapi["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert openapi["security"] == [{"bearerAuth": []}]
    for method, path, operation in operations(openapi):
        secured = operation.get("security", openapi["security"]) != []
        url = API + path.replace("{attempt_id}", "1").replace("{session_id}", "1")
        url = url.replace("{participant_id}", "1").replace("{code}", "ABCDEFGH")
        response = client.open(url, method=method.upper(), json={})
        assert (response.status_code == 401) == secured, (method, path, response.status_code)
        responses = operation["responses"]
        assert "401" in responses or not secured, (method, path)
        for status, documented in responses.items():
            if status.startswith("4"):
                ref = (
                    documented.get("$ref")
                    or documented["content"]["application/json"]["schema"]["$ref"]
                )
                assert ref.startswith("#/components/"), (path, status)


# --- a truly concurrent double submit ---------------------------------------------------------


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served by a threaded werkzeug server on 127.0.0.1; yields its base URL."""
    with serve(app) as url:
        yield url


def post_json(url: str, body: dict[str, Any], headers: dict[str, str]) -> int:
    """POST ``body`` as JSON; return the status code."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def race(url: str, body: dict[str, Any], headers: dict[str, str]) -> list[int]:
    """POST the same body from two threads released at the same instant; return the statuses."""
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit() -> None:
        barrier.wait(timeout=10)
        statuses.append(post_json(url, body, headers))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


@pytest.mark.slow
def test_a_concurrent_double_submit_is_scored_once(
    app: Flask, client: FlaskClient, alice: dict[str, str], live_server: str
) -> None:
    """Ten races, one per question: each time one 200, one 409, one row."""
    attempt = start(client, alice, revision=FIRST_REVISION, count=10)
    url = f"{live_server}{API}/attempts/{attempt['id']}/answers"
    for question in attempt["questions"]:
        body = {"question_id": question["id"], "answer": right_answer(app, question["id"])}
        assert race(url, body, alice) == [200, 409], question
    assert answer_rows(app) == len(attempt["questions"])
    stats = my_stats(client, alice)
    assert stats["answered"] == stats["correct"] == len(attempt["questions"])


def test_an_unexpected_fault_is_a_json_500_without_detail(
    database_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside TESTING, exceptions do not propagate: the client gets the JSON envelope."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(database_path)})

    def broken(owner: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("quiz.services.study.stats.learner_stats", broken)
    response = app.test_client().get(f"{API}/me/stats", headers=bearer(app, "alice"))
    assert_error(response, 500)
    assert "secret internal detail" not in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
