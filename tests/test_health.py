"""``/healthz``: JSON for load balancers, 200 while the database answers, 503 otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import free_port
from conftest import make_app
from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app
from quiz.extensions import db
from quiz.services import health
from quiz.services.health import CheckResult


def test_a_reachable_database_is_healthy(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # a probe every few seconds gets no session


def test_a_head_request_answers_too(client: FlaskClient) -> None:
    assert client.head("/healthz").status_code == 200


def unreachable_sqlite(tmp_path: Path) -> str:
    """A SQLite file in a folder that does not exist: it cannot be opened."""
    return f"sqlite:///{tmp_path / 'missing' / 'quiz.sqlite'}"


def unreachable_postgres(tmp_path: Path) -> str:
    """A PostgreSQL server on a port nobody listens on."""
    return f"postgresql://quiz@127.0.0.1:{free_port()}/quiz"


@pytest.mark.parametrize("database_url", [unreachable_sqlite, unreachable_postgres])
def test_an_unreachable_database_is_a_503(
    tmp_path: Path, database_url: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url(tmp_path))  # type: ignore[operator]
    app = create_app({"TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing"
    database = body["checks"]["database"]
    assert database["ok"] is False
    # The exception's class, never its message (hosts, ports, paths).
    assert "127.0.0.1" not in database["detail"] and "missing" not in database["detail"]
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def probed_app(app: Flask) -> Flask:
    """An app on a fresh database the migrations built."""
    return app


def test_checks_registered_later_are_run_in_order(probed_app: Flask) -> None:
    health.register_check(probed_app, "cache", lambda: CheckResult(True, "2 keys"))
    health.register_check(probed_app, "mail", lambda: CheckResult(False, "relay down"))
    response = probed_app.test_client().get("/healthz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert list(checks) == ["database", "migrations", "queue", "cache", "mail"]
    assert checks["cache"] == {"ok": True, "detail": "2 keys", "ms": checks["cache"]["ms"]}
    assert checks["mail"]["ok"] is False and checks["mail"]["detail"] == "relay down"


def test_a_check_that_raises_has_failed(probed_app: Flask) -> None:
    def broken() -> CheckResult:
        raise ConnectionRefusedError("redis at 10.0.0.7:6379 refused")

    health.register_check(probed_app, "cache", broken)
    response = probed_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["cache"] == {
        "ok": False,
        "detail": "ConnectionRefusedError",
        "ms": response.get_json()["checks"]["cache"]["ms"],
    }


def test_a_name_is_registered_once(probed_app: Flask) -> None:
    with pytest.raises(ValueError, match="database"):
        health.register_check(probed_app, "database", lambda: CheckResult(True))


def test_each_app_has_its_own_checks(probed_app: Flask, tmp_path: Path) -> None:
    health.register_check(probed_app, "cache", lambda: CheckResult(False, "no cache"))
    other = make_app(tmp_path / "other.sqlite")
    assert other.extensions[health.EXTENSION_KEY].names() == ["database", "migrations", "queue"]


def test_a_database_behind_the_migrations_is_a_503(app: Flask) -> None:
    """A schema an older release left (its version row says so) fails ``migrations``."""
    with app.app_context():
        db.session.execute(db.text("UPDATE alembic_version SET version_num = '0001'"))
        db.session.commit()
    body = app.test_client().get("/healthz")
    assert body.status_code == 503
    migrations = body.get_json()["checks"]["migrations"]
    assert migrations["ok"] is False and "quiz init-db" in migrations["detail"]


def test_a_migrated_database_passes_the_migrations_check(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json()["checks"]["migrations"]["ok"] is True


def test_no_queue_worker_is_a_503(database_path: Path) -> None:
    """Uploads queued with no worker to run them would wait forever: the probe says so."""
    app = make_app(database_path, QUEUE_IMMEDIATE=False)
    with app.app_context():
        db.create_all()
    body = app.test_client().get("/healthz")
    assert body.status_code == 503
    queue = body.get_json()["checks"]["queue"]
    assert queue["ok"] is False and "quiz worker" in queue["detail"]
