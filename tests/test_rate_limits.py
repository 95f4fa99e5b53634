"""Rate limits counted in the database: shared by the workers, per account as well as
per address, and on quiz starts too."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import ROLE_PASSWORD, SHEET_SLUG, start_quiz, token_for
from conftest import copy_database, make_app
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Attempt, RateLimitCounter
from quiz.services.accounts import users


@pytest.fixture
def database(imported_database: Path, tmp_path: Path) -> Path:
    """The test's own copy of the imported database, with two accounts."""
    path = copy_database(imported_database, tmp_path / "quiz.sqlite")
    app = make_app(path)
    with app.app_context():
        for name in ("alice", "bob"):
            users.register(name, ROLE_PASSWORD)
        db.session.commit()
        db.engine.dispose()
    return path


def worker(database: Path, **config: object) -> Iterator[Flask]:
    """An app on ``database``, as one gunicorn worker has it; closes its connections after."""
    app = make_app(database, **config)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def first_worker(database: Path) -> Iterator[Flask]:
    """One worker of the site."""
    yield from worker(database)


@pytest.fixture
def second_worker(database: Path) -> Iterator[Flask]:
    """Another worker of the same site: its own process memory, the same database."""
    yield from worker(database)


def log_in(client: FlaskClient, username: str, password: str = "guess 1234") -> int:
    """The status of a login attempt."""
    data = {"csrf_token": token_for(client, "/login"), "username": username, "password": password}
    return client.post("/login", data=data).status_code


def test_the_workers_share_the_login_counters(first_worker: Flask, second_worker: Flask) -> None:
    first, second = first_worker.test_client(), second_worker.test_client()
    statuses = [log_in(client, "alice") for client in (first, second) * 5]
    assert statuses == [400] * 10
    assert log_in(first, "alice", ROLE_PASSWORD) == 429  # 11th for alice, on either worker
    assert log_in(second, "alice", ROLE_PASSWORD) == 429


def test_a_classmate_guessing_does_not_lock_a_student_out(first_worker: Flask) -> None:
    client = first_worker.test_client()  # the whole class comes from 127.0.0.1
    assert [log_in(client, "bob") for _ in range(10)] == [400] * 10
    assert log_in(client, "bob", ROLE_PASSWORD) == 429  # bob's own account waits
    assert log_in(client, " ALICE ", ROLE_PASSWORD) == 302  # alice is not bob
    # The API counts logins to one account together with the pages.
    body = {"username": "Bob", "password": "guess 1234"}
    assert client.post("/api/v1/auth/token", json=body).status_code == 429


def test_the_address_limit_still_stops_a_guesser_of_many_accounts(database: Path) -> None:
    for app in worker(database, LOGIN_ADDRESS_RATE_LIMIT="5/minute"):
        client = app.test_client()
        assert [log_in(client, f"name{number}") for number in range(5)] == [400] * 5
        assert log_in(client, "alice", ROLE_PASSWORD) == 429
        with app.app_context():  # counters name neither the address nor the accounts
            keys = db.session.scalars(select(RateLimitCounter.key)).all()
        assert keys and not [key for key in keys if "127.0.0.1" in key or "name" in key]


def attempt_count(app: Flask) -> int:
    """How many attempts the database holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attempt)) or 0


def start_quiz_status(client: FlaskClient) -> int:
    """The status of a quiz start through the setup form."""
    data = {
        "csrf_token": token_for(client, "/quiz/new"),
        "sheet": SHEET_SLUG,
        "revision": "2022-01",
        "count": "5",
        "types": ["mcq"],
    }
    return client.post("/quiz/new", data=data).status_code


def test_anonymous_quiz_starts_are_limited(first_worker: Flask) -> None:
    before = attempt_count(first_worker)
    visitor = first_worker.test_client()
    started = time.perf_counter()
    statuses = [start_quiz_status(visitor) for _ in range(100)]
    elapsed = time.perf_counter() - started
    # The first start makes the visitor known (by address only); ten more, then 429.
    assert statuses == [302] * 11 + [429] * 89, f"{elapsed:.1f} s"
    assert attempt_count(first_worker) == before + 11
    data = {"csrf_token": token_for(visitor, "/quiz/new"), "sheet": SHEET_SLUG}
    refused = visitor.post("/quiz/new", data=data).get_data(as_text=True)
    assert "Trop de tentatives" in refused and "Traceback" not in refused
    # Visitors who drop their cookie are counted by address: 60 a minute in all.
    # (The window slides: when a minute turns on a slow machine, the previous minute's
    # hits weigh a little less, and one or two more may pass.)
    statuses = [start_quiz_status(first_worker.test_client()) for _ in range(55)]
    allowed = statuses.count(302)
    assert 49 <= allowed <= 51 and statuses == [302] * allowed + [429] * (55 - allowed)
    assert attempt_count(first_worker) == before + 11 + allowed


def test_a_configured_store_is_used_instead_of_the_database(database: Path) -> None:
    for app in worker(database, RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="2/minute"):
        client = app.test_client()
        assert [log_in(client, "alice") for _ in range(3)] == [400, 400, 429]
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0


def test_quiz_starts_through_the_helper_still_work(first_worker: Flask) -> None:
    location = start_quiz(first_worker.test_client())
    assert location.startswith("/quiz/")
