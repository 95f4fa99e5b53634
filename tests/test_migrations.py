"""Migrations: they build the models' schema, and upgrade the previous release's data intact.

On SQLite and on a throwaway PostgreSQL cluster. The previous release's
database is made by that release's own code (``previous_release``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from browser_helpers import token_for
from flask import Flask
from previous_release import INSTRUCTOR, LEARNER, PASSWORD, REPO_ROOT, checkout, fill_database
from sqlalchemy import func, inspect, select, text
from test_postgres import ThrowawayCluster, find_postgres_bin

from quiz import create_app
from quiz.extensions import db
from quiz.models import Answer, Question, User
from quiz.services.accounts import users
from quiz.services.migrations import migrations_at_head

# Tables and columns this release added: absent from the previous release's database.
ADDED_TABLES = {
    "rate_limit_counters",
    "import_jobs",
    "live_sessions",
    "live_participants",
    "live_answers",
}
ADDED_TABLES |= {"classes", "class_members", "assignments", "assignment_attempts"}
ADDED_COLUMNS = {("users", "session_epoch")}

Rows = dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayCluster]:
    """One PostgreSQL cluster for the module's tests, each on its own database."""
    bindir = find_postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    server = ThrowawayCluster(bindir)
    server.start("unused")
    yield server
    server.stop()


def new_database(kind: str, tmp_path: Path, cluster_of: pytest.FixtureRequest) -> str:
    """The URL of a new, empty database: a SQLite file, or a database on the cluster."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'quiz.sqlite'}"
    server: ThrowawayCluster = cluster_of.getfixturevalue("cluster")
    name = tmp_path.name.lower().replace("-", "_")[:60]
    server.run("createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", name)
    return f"postgresql://postgres@127.0.0.1:{server.port}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind."""
    return new_database(request.param, tmp_path, request)


def app_on(database_url: str) -> Flask:
    """Today's app on ``database_url``."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})


def init_db(app: Flask) -> None:
    """``quiz init-db``, which must succeed."""
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output


def schema_differences(app: Flask) -> list[Any]:
    """What differs between the database's schema and the models (alembic's autogenerate)."""
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        # Neither dialect reflects the lower(username) index: it is checked on its own.
        warnings.filterwarnings("ignore", message=".*expression-based index")
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, db.metadata))


def previous_release_rows(app: Flask) -> Rows:
    """Every row of the previous release's tables, its columns only, in primary-key order."""
    with app.app_context():
        rows: Rows = {}
        for table in db.metadata.sorted_tables:
            if table.name in ADDED_TABLES:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in ADDED_COLUMNS]
            query = select(*columns).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in db.session.execute(query)]
        return rows


def log_in(app: Flask, username: str) -> Any:
    """A client logged in as ``username`` (the login must succeed)."""
    client = app.test_client()
    data = {"csrf_token": token_for(client), "username": username, "password": PASSWORD}
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.mark.slow
def test_migrations_build_exactly_the_models_schema(database_url: str) -> None:
    """CI's guard: a model changed without a migration (or the reverse) fails here."""
    app = app_on(database_url)
    init_db(app)
    assert schema_differences(app) == []
    with app.app_context():
        assert migrations_at_head()
        # The expression index autogenerate cannot compare: "Alice" is taken by "alice".
        db.session.execute(text("INSERT INTO users (username, password_hash, role, created_at)"
                                " VALUES ('alice', 'x', 'student', CURRENT_TIMESTAMP)"))
        with pytest.raises(Exception, match="(?i)unique"):
            db.session.execute(text("INSERT INTO users (username, password_hash, role, created_at)"
                                    " VALUES ('Alice', 'x', 'student', CURRENT_TIMESTAMP)"))
        db.session.rollback()
        db.engine.dispose()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous release's code, extracted once for the module."""
    return checkout(tmp_path_factory.mktemp("previous-release"))


@pytest.mark.slow
def test_the_previous_release_database_is_upgraded_with_nothing_lost(
    database_url: str, release: Path, tmp_path: Path
) -> None:
    fill_database(release, database_url, tmp_path / "previous-instance")
    app = app_on(database_url)
    with app.app_context():
        assert not migrations_at_head()  # no alembic_version yet
    before = previous_release_rows(app)
    assert len(before["users"]) == 2 and len(before["answers"]) == 4
    assert before["questions"] and before["attempts"]

    init_db(app)
    init_db(app)  # a second run finds nothing to do

    assert previous_release_rows(app) == before
    assert schema_differences(app) == []
    with app.app_context():
        assert migrations_at_head()
        assert set(db.session.scalars(select(User.session_epoch))) == {0}
        edited = db.session.scalars(select(Question).where(Question.version == 2)).one()
        assert edited.replaces is not None and edited.prompt.endswith(" (revu)")
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        edited_id, first_version_id = edited.id, edited.replaces.id
        right = db.session.scalar(select(func.count()).where(Answer.correct))
        db.engine.dispose()

    progress = log_in(app, LEARNER).get("/progress")
    assert progress.status_code == 200
    assert f"{right} / 4" in progress.get_data(as_text=True)  # the learner's right answers
    question_page = log_in(app, INSTRUCTOR).get(f"/author/questions/{edited_id}")
    assert question_page.status_code == 200
    assert f"/author/questions/{first_version_id}" in question_page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_init_db_finds_the_migrations_from_any_folder(tmp_path: Path) -> None:
    """`quiz init-db` run elsewhere than the checkout (as a service's working directory)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quiz.sqlite'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", "from quiz.cli import main; main()", "init-db"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Database ready")
    app = app_on(f"sqlite:///{tmp_path / 'quiz.sqlite'}")
    with app.app_context():
        assert migrations_at_head()
        db.engine.dispose()


def make_with_create_all(database: Path) -> Flask:
    """An app on a database whose tables today's models made, without migrations (no stamp)."""
    app = app_on(f"sqlite:///{database}")
    with app.app_context():
        db.create_all()
        users.register(LEARNER, PASSWORD)
        db.session.commit()
    return app


def test_a_database_made_before_migrations_with_todays_tables_is_stamped_at_head(
    tmp_path: Path,
) -> None:
    app = make_with_create_all(tmp_path / "quiz.sqlite")
    init_db(app)
    assert schema_differences(app) == []
    with app.app_context():
        assert migrations_at_head()
        assert db.session.scalars(select(User.username)).all() == [LEARNER]
        db.engine.dispose()


def test_a_database_older_than_the_baseline_is_refused_untouched(tmp_path: Path) -> None:
    """Older than the first release migrations know: named, not half-upgraded, no traceback."""
    app = make_with_create_all(tmp_path / "quiz.sqlite")
    with app.app_context():
        db.session.execute(text("ALTER TABLE paragraphs DROP COLUMN facts"))
        db.session.commit()
        tables_before = set(inspect(db.engine).get_table_names())
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "paragraphs.facts" in result.stderr
    assert "older than the oldest it can upgrade" in result.stderr
    assert "Traceback" not in result.output
    with app.app_context():
        assert set(inspect(db.engine).get_table_names()) == tables_before  # no alembic_version
        assert db.session.scalars(select(User.username)).all() == [LEARNER]
        db.engine.dispose()


def test_a_database_between_two_revisions_is_refused_untouched(tmp_path: Path) -> None:
    """Made by a development version: some of this release's schema, not all. Not guessed at."""
    app = make_with_create_all(tmp_path / "quiz.sqlite")
    with app.app_context():
        db.session.execute(text("DROP TABLE rate_limit_counters"))
        db.session.commit()
        tables_before = set(inspect(db.engine).get_table_names())
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output
    assert "users.session_epoch" in result.stderr and "rate_limit_counters" in result.stderr
    with app.app_context():
        assert set(inspect(db.engine).get_table_names()) == tables_before
        assert db.session.scalars(select(User.username)).all() == [LEARNER]
        db.engine.dispose()
