"""The secret key: never the published default outside tests, generated and kept otherwise."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import database_url
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from quiz import create_app
from quiz.extensions import db
from quiz.models import ROLE_INSTRUCTOR
from quiz.secret_key import UnsafeSecretKey
from quiz.services.accounts import users

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTRUCTOR_PAGE = "/author/questions"


def production_app(env: pytest.MonkeyPatch, database: Path) -> Flask:
    """The app as ``make run`` builds it: no test config, the environment only."""
    env.setenv("DATABASE_URL", database_url(database))
    return create_app()


def cookie_signed_with(key: str, session: dict[str, object]) -> str:
    """A session cookie for ``session`` signed with ``key``, as an attacker would forge it."""
    forger = Flask("forger")
    forger.secret_key = key
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    assert serializer is not None
    return str(serializer.dumps(session))


def test_a_cookie_forged_with_the_old_default_opens_no_instructor_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = production_app(monkeypatch, tmp_path / "quiz.sqlite")
    with app.app_context():
        db.create_all()
        teacher = users.register("teacher", "correct horse battery", role=ROLE_INSTRUCTOR)
        db.session.commit()
        forged = cookie_signed_with("dev", {"_user_id": teacher.get_id(), "_fresh": True})
    client = app.test_client()
    client.set_cookie("session", forged)
    response = client.get(INSTRUCTOR_PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        db.engine.dispose()


def test_the_generated_key_is_private_and_kept_across_restarts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key_file = tmp_path / "instance" / "secret_key"  # QUIZ_INSTANCE_PATH, set by conftest
    first = production_app(monkeypatch, tmp_path / "quiz.sqlite").config["SECRET_KEY"]
    assert len(first) >= 64 and first not in ("dev", "")
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert production_app(monkeypatch, tmp_path / "quiz.sqlite").config["SECRET_KEY"] == first


def test_a_configured_key_is_used_and_no_file_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "a long random key from the deployment")
    app = production_app(monkeypatch, tmp_path / "quiz.sqlite")
    assert app.config["SECRET_KEY"] == "a long random key from the deployment"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_the_published_default_is_refused_outside_tests(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "dev")
    with pytest.raises(UnsafeSecretKey, match="published default"):
        production_app(monkeypatch, tmp_path / "quiz.sqlite")
    testing = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert testing.config["SECRET_KEY"] == "dev"


def test_the_command_refuses_the_default_in_one_line(tmp_path: Path) -> None:
    environment = {**os.environ, "SECRET_KEY": "dev", "PYTHONPATH": str(REPO_ROOT)}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'quiz.sqlite'}"
    completed = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/quiz"), "init-db"],
        env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 1
    assert completed.stderr.startswith("Error: SECRET_KEY='dev' is a published default")
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "quiz.sqlite").exists()
