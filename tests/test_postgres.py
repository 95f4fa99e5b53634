"""The same schema and import on a real, throwaway PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from browser_helpers import ROLE_PASSWORD, csrf_token, log_in_as, token_for
from conftest import Snapshot
from flask import Flask
from postgres_cluster import ThrowawayCluster, find_postgres_bin

from quiz import create_app
from quiz.extensions import db
from quiz.models import MAX_ROW_ID
from quiz.services.accounts import users

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    """A database on a fresh cluster; the cluster is stopped and deleted afterwards."""
    bindir = find_postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = ThrowawayCluster(bindir)
    request.addfinalizer(cluster.stop)
    return cluster.start("quiz_test")


@pytest.fixture
def postgres_app(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app configured the way production is: through DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    app = create_app({"TESTING": True})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_init_db_and_import_are_idempotent_on_postgres(
    postgres_app: Flask,
    row_counts: Callable[[Flask], dict[str, int]],
    snapshot: Callable[[Flask], Snapshot],
) -> None:
    assert postgres_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    runner = postgres_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    counts = row_counts(postgres_app)
    assert counts["sheets"] == 1 and counts["revisions"] == 2
    assert counts["paragraphs"] > 0 and counts["questions"] > 0
    before = snapshot(postgres_app)

    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    assert "Up to date" in result.output
    assert row_counts(postgres_app) == counts
    assert snapshot(postgres_app) == before
    assert "Les relations OTAN-Russie" in postgres_app.test_client().get("/").get_data(as_text=True)


def test_rate_limit_counters_and_logout_work_on_postgres(postgres_app: Flask) -> None:
    assert postgres_app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with postgres_app.app_context():
        users.register("alice", ROLE_PASSWORD)
        db.session.commit()
    client = postgres_app.test_client()

    def log_in(password: str) -> int:
        data = {"csrf_token": token_for(client), "username": "alice", "password": password}
        return client.post("/login", data=data).status_code

    assert log_in(ROLE_PASSWORD) == 302
    copied = client.get_cookie("session")
    assert copied is not None
    assert client.post("/logout", data={"csrf_token": token_for(client, "/")}).status_code == 302
    thief = postgres_app.test_client()
    thief.set_cookie("session", copied.value)
    assert "Se connecter" in thief.get("/").get_data(as_text=True)
    assert [log_in("guess 1234") for _ in range(9)] == [400] * 9  # 10 logins to alice so far
    assert log_in(ROLE_PASSWORD) == 429


# Past PostgreSQL's integer column (2^31) and SQLite's (2^63): the driver cannot bind them.
PAST_THE_RANGE = [MAX_ROW_ID + 1, 2**63]
# Pages and an API route with ids in their path, for a student or an instructor.
ID_PAGES = [
    ("GET", "/quiz/{id}"),
    ("GET", "/quiz/{id}/answers/{id}"),
    ("POST", "/quiz/{id}/retry"),
    ("GET", "/author/questions/{id}"),
]
ANSWERS_API = "/api/v1/attempts/{id}/answers"


def test_ids_past_the_integer_range_are_refused_on_postgres(postgres_app: Flask) -> None:
    """A 404 (a 400 for an id in a JSON body), as on SQLite: never a driver error (500)."""
    assert postgres_app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    client = postgres_app.test_client()
    log_in_as(client, postgres_app, "instructor")
    with postgres_app.app_context():
        user = users.find_user("instructor-one")
        assert user is not None
        headers = {"Authorization": f"Bearer {users.issue_token(user)}"}
    token = csrf_token(client.get("/quiz/new").get_data(as_text=True))
    # The largest id does reach PostgreSQL, and names no row; the next ones never get there.
    for number in [MAX_ROW_ID, *PAST_THE_RANGE]:
        for method, path in ID_PAGES:
            response = client.open(
                path.format(id=number), method=method, data={"csrf_token": token}
            )
            assert response.status_code == 404, (method, path, number)
        answer = {"question_id": 1, "answer": "x"}
        response = client.post(ANSWERS_API.format(id=number), json=answer, headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == 404
    for number in PAST_THE_RANGE:
        answer = {"question_id": number, "answer": "x"}
        response = client.post(ANSWERS_API.format(id=1), json=answer, headers=headers)
        assert response.status_code == 400, response.get_data(as_text=True)
        error = response.get_json()["error"]
        assert error["field"] == "question_id" and str(MAX_ROW_ID) in error["message"]
