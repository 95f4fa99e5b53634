"""The application factory: configuration, SQLite settings, error pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import database_url
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy import text

from quiz import create_app
from quiz.config import DEFAULT_INSTANCE_DIR, normalize_database_url
from quiz.extensions import db


def test_test_config_overrides_defaults(database_path: Path) -> None:
    assert not create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}"})
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{database_path}"


def test_defaults_use_sqlite_in_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = create_app()
    instance = tmp_path / "instance"  # QUIZ_INSTANCE_PATH, set by conftest
    assert Path(app.instance_path) == instance
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'quiz.sqlite'}"
    assert app.config["SECRET_KEY"] == (instance / "secret_key").read_text().strip()
    monkeypatch.delenv("QUIZ_INSTANCE_PATH")
    assert Path(create_app().instance_path) == DEFAULT_INSTANCE_DIR
    assert DEFAULT_INSTANCE_DIR.parent == Path(__file__).resolve().parent.parent


def test_templates_and_static_files_live_at_the_repo_root(app: Flask) -> None:
    repo = Path(__file__).resolve().parent.parent
    assert Path(app.template_folder or "") == repo / "templates"
    assert Path(app.static_folder or "") == repo / "static"


def test_secret_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    assert create_app().config["SECRET_KEY"] == "s3cret"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db:5432/quiz", "postgresql+psycopg://u:p@db:5432/quiz"),
        ("postgresql://u@localhost/quiz", "postgresql+psycopg://u@localhost/quiz"),
        ("postgresql+psycopg://u@localhost/quiz", "postgresql+psycopg://u@localhost/quiz"),
        ("sqlite:////tmp/other.sqlite", "sqlite:////tmp/other.sqlite"),
    ],
)
def test_database_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    assert normalize_database_url(url) == expected
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected
    with app.app_context():
        assert db.engine.url.render_as_string(hide_password=False) == expected


@pytest.mark.sqlite_only(reason="a PostgreSQL database exists before the app does")
def test_the_factory_creates_no_database(database_path: Path) -> None:
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}"})
    assert not database_path.exists()


@pytest.mark.sqlite_only(reason="SQLite's pragmas and WAL file")
def test_sqlite_file_uses_wal_busy_timeout_and_foreign_keys(
    app: Flask, database_path: Path
) -> None:
    with app.app_context():
        pragma = db.session.connection().exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == 5000
        assert pragma("PRAGMA foreign_keys").scalar() == 1
    # WAL is recorded in the file itself: a plain connection sees it too.
    with sqlite3.connect(database_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert database_path.with_name(database_path.name + "-wal").exists()


def test_csrf_protection_is_on(app: Flask) -> None:
    assert "csrf" in app.extensions
    assert app.config.get("WTF_CSRF_ENABLED", True)


def test_not_found_page_is_french_html(client: FlaskClient) -> None:
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Page introuvable" in page and 'lang="fr"' in page
    assert "Traceback" not in page


def test_method_not_allowed_page(client: FlaskClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Méthode non autorisée" in response.get_data(as_text=True)


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["code"] == 404


@pytest.fixture
def failing_app(database_path: Path) -> Flask:
    """An app as in production (exceptions do not propagate) with routes that fail."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url(database_path), "PROPAGATE_EXCEPTIONS": False}
    )

    @app.get("/bad-request")
    def bad_request() -> str:
        abort(400)

    @app.get("/boom")
    @app.get("/api/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    return app


def test_bad_request_page(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/bad-request")
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_server_error_page_shows_no_traceback(failing_app: Flask) -> None:
    client = failing_app.test_client()
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur interne" in page
    assert "Traceback" not in page and "secret internal detail" not in page
    api = client.get("/api/boom")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == 500


def test_a_missing_schema_gives_the_error_page(database_path: Path) -> None:
    # No init-db: the page must fail cleanly (500 page), not with a traceback.
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url(database_path), "PROPAGATE_EXCEPTIONS": False}
    )
    response = app.test_client().get("/")
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
