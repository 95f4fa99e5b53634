"""Shared fixtures, in the style of Flask's tutorial: app, client, runner.

Every test gets a real SQLite *file* (WAL only exists for files) and an
environment without the developer's DATABASE_URL or SECRET_KEY. Its schema is
a copy of one database the migrations built at the start of the session
(``schema_template``): copying takes half a millisecond, migrating 170 ms. Modules that
need the built-in sheets ask for ``imported_database``: ``quiz import-sheets``
(spaCy, seconds) runs once per module, and each test works on its own copy.

``pytest --postgres`` (``make test-postgres``) runs the same tests on databases of
one throwaway PostgreSQL cluster instead: a database is still named by its path
(see ``database_backend``), so fixtures and tests pass paths either way and ask
``database_url(path)`` for the URL. Tests marked ``sqlite_only`` are skipped there.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from database_backend import PostgresDatabases, SqliteFiles
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from quiz import create_app
from quiz.extensions import db
from quiz.models import Attempt, Question
from quiz.services.migrations import upgrade_database
from quiz.services.study.attempts import Owner

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_DIR = REPO_ROOT / "questions"
BUILTIN_SHEET_TITLE = "Les relations OTAN-Russie"

Snapshot = dict[str, list[tuple[Any, ...]]]

# Where the session's databases live; ``--postgres`` replaces it in pytest_configure.
_databases: SqliteFiles | PostgresDatabases = SqliteFiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--postgres``: run every database test on a throwaway PostgreSQL cluster."""
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run the tests on a throwaway PostgreSQL cluster instead of SQLite files",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Start the session's PostgreSQL cluster when ``--postgres`` asks for it."""
    global _databases
    if config.getoption("postgres"):
        try:
            _databases = PostgresDatabases()
        except RuntimeError as error:  # no server installed: say so, no traceback
            raise pytest.UsageError(str(error)) from None


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the cluster (if any) and delete its files."""
    _databases.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--postgres``, skip the tests of SQLite's own behaviour (files, write gate)
    and those that open no database (``make test`` runs them: a second run proves nothing).
    """
    if not config.getoption("postgres"):
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or "tests SQLite's own behaviour"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        elif item.get_closest_marker("no_database") is not None:
            item.add_marker(pytest.mark.skip(reason="opens no database: `make test` runs it"))


# The test under way when it is marked ``no_database``: it must not ask for a database.
_test_without_database: str | None = None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note a ``no_database`` test, so that ``database_url`` fails it if it opens one."""
    global _test_without_database
    _test_without_database = item.nodeid if item.get_closest_marker("no_database") else None


def database_url(path: Path) -> str:
    """The SQLAlchemy URL of the database ``path`` names (a file, or a PostgreSQL database)."""
    # Checked on SQLite too, so a no_database mark that became wrong fails `make test`
    # instead of quietly leaving the test out of `make test-postgres`.
    if _test_without_database is not None:
        pytest.fail(f"{_test_without_database} is marked no_database but opens {path}")
    return _databases.url(path)


def keep_developer_settings_out(env: pytest.MonkeyPatch, folder: Path) -> None:
    """No DATABASE_URL, REDIS_URL or SECRET_KEY from the developer; the instance in ``folder``."""
    env.delenv("DATABASE_URL", raising=False)
    env.delenv("REDIS_URL", raising=False)
    env.delenv("SECRET_KEY", raising=False)
    env.setenv("QUIZ_INSTANCE_PATH", str(folder / "instance"))


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Keep the developer's settings and instance folder out of the tests.

    Afterwards, drop the PostgreSQL databases the test named inside ``tmp_path``.
    """
    keep_developer_settings_out(monkeypatch, tmp_path)
    yield
    _databases.drop_under(tmp_path)


@pytest.fixture(scope="module", autouse=True)
def module_databases() -> Iterator[None]:
    """Drop the PostgreSQL databases a module's fixtures made, once the module is done."""
    before = _databases.made()
    yield
    _databases.drop_made_since(before)


@contextmanager
def isolated_module_environment(folder: Path) -> Iterator[None]:
    """``isolated_environment`` for module-scoped fixtures (which it does not cover)."""
    with pytest.MonkeyPatch.context() as env:
        keep_developer_settings_out(env, folder)
        yield


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    """The path that names the test's database (its SQLite file, or a PostgreSQL database)."""
    return tmp_path / "quiz.sqlite"


@pytest.fixture
def app(database_path: Path) -> Iterator[Flask]:
    """An app on a fresh database with the schema created."""
    app = make_empty_app(database_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner whose commands run against ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def imported_app(app: Flask, runner: FlaskCliRunner) -> Flask:
    """``app`` after ``quiz import-sheets`` on the built-in questions/ folder."""
    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    return app


def build_imported_database(path: Path, seed: Callable[[], None] | None = None) -> Path:
    """Create the schema in ``path`` and import the built-in sheets into it.

    ``seed``, when given, adds rows of its own in an app context; they are committed.
    """
    app = make_empty_app(path)
    result = app.test_cli_runner().invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        if seed is not None:
            seed()
            db.session.commit()
        db.engine.dispose()
    return path


def make_imported_database(
    tmp_path_factory: pytest.TempPathFactory, seed: Callable[[], None] | None = None
) -> Path:
    """``build_imported_database`` in a fresh folder, outside the developer's settings.

    For module-scoped fixtures, which ``isolated_environment`` (per test) does not cover.
    """
    folder = tmp_path_factory.mktemp("imported")
    with isolated_module_environment(folder):
        return build_imported_database(folder / "quiz.sqlite", seed)


def database_exists(path: Path) -> bool:
    """Whether the database ``path`` names exists (the file, or the PostgreSQL database)."""
    return _databases.exists(path)


def keep_database(path: Path) -> None:
    """Keep the database ``path`` names for the whole session (a template copied by tests)."""
    _databases.keep(path)


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of the database ``source`` names, as the one ``target`` names."""
    return _databases.copy(source, target)


def make_app(database: Path, **config: Any) -> Flask:
    """An app on ``database`` (every app counts its rate limits from zero).

    Uploads are imported in the request (``QUEUE_IMMEDIATE``): the same job code,
    without a worker process; test_import_jobs.py runs real workers.
    """
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(database),
        "QUEUE_IMMEDIATE": True,
        **config,
    }
    return create_app(settings)


@cache
def schema_template() -> Path:
    """An empty database at the newest migration, made once per test session."""
    folder = Path(tempfile.mkdtemp(prefix="quiz-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    template = folder / "quiz.sqlite"
    keep_database(template)  # not dropped with the module that happened to make it
    with isolated_module_environment(folder):
        app = make_app(template)
        with app.app_context():
            upgrade_database()
            db.engine.dispose()  # the last connection closed: the WAL is folded back in
    return template


def make_empty_app(database: Path, **config: Any) -> Flask:
    """``make_app`` on a new database with the newest schema (as ``quiz init-db`` makes it)."""
    existing = database_exists(database)
    if not existing:
        copy_database(schema_template(), database)  # mode too: the file stays private
    app = make_app(database, **config)
    if existing:
        with app.app_context():
            upgrade_database()
    return app


@contextmanager
def app_on_copy(database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on the test's own copy of ``database``; closes its connections after."""
    app = make_app(copy_database(database, tmp_path / "quiz.sqlite"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def imported_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the built-in sheets imported, made once for the module."""
    return make_imported_database(tmp_path_factory)


@pytest.fixture
def site(imported_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on the test's own copy of ``imported_database``."""
    with app_on_copy(imported_database, tmp_path) as app:
        yield app


def attempt_on(owner: Owner, questions: Sequence[Question]) -> Attempt:
    """An attempt asking exactly ``questions`` (of one revision), in that order, made by hand.

    For tests of what becomes of answers: a drawn quiz (``start_attempt``) leaves out
    questions that would give another away, so it cannot promise to ask a given one.
    """
    attempt = Attempt(
        user_id=owner.user_id,
        visitor_id=None if owner.user_id is not None else owner.visitor_id,
        revision_id=questions[0].revision_id,
        question_ids=[question.id for question in questions],
        settings={"count": len(questions), "types": None, "tags": None},
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


# Bookkeeping, not data: a refused request still counts against its rate limit.
NOT_DATA = {"rate_limit_counters"}


def take_snapshot(app: Flask) -> Snapshot:
    """Every row of every data table, in primary-key order."""
    with app.app_context():
        snapshot: Snapshot = {}
        for table in db.metadata.sorted_tables:
            if table.name in NOT_DATA:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            snapshot[table.name] = [tuple(row) for row in db.session.execute(query)]
        return snapshot


def count_rows(app: Flask) -> dict[str, int]:
    """Row count per table."""
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def snapshot() -> Callable[[Flask], Snapshot]:
    """``snapshot(app)``: every row of every table, to compare before and after."""
    return take_snapshot


@pytest.fixture
def row_counts() -> Callable[[Flask], dict[str, int]]:
    """``row_counts(app)``: the number of rows per table."""
    return count_rows
