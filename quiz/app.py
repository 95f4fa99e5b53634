"""The application factory.

``create_app`` only wires things together: it never creates the schema, never
imports sheets and never loads the generation pipeline (spaCy), so web
workers stay small and start fast. The CLI does the heavy lifting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import event

from . import config, live_models  # noqa: F401  (live_models: registers its tables)
from .api import bp as api_blueprint
from .commands.core import register_commands
from .extensions import csrf, db, limiter, login_manager, migrate
from .i18n import init_i18n
from .jobs.queue import init_queue
from .ratelimit_store import DatabaseCounters
from .secret_key import settle_secret_key
from .security_headers import init_security_headers
from .services.health import init_health
from .services.library.import_jobs import run_job
from .sessions import PagesOnlySessionInterface
from .views import register_views

SQLITE_BUSY_TIMEOUT_MS = 5000


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``test_config`` replaces the instance ``config.py``."""
    instance_dir = config.instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance_dir),
        instance_relative_config=True,
        template_folder=str(config.TEMPLATES_DIR),
        static_folder=str(config.STATIC_DIR),
    )
    app.config.from_mapping(config.default_config(instance_dir))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    database_url = config.normalize_database_url(str(app.config["SQLALCHEMY_DATABASE_URI"]))
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", config.engine_options(database_url))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.session_interface = PagesOnlySessionInterface()

    # The default SQLite file and the generated secret key live in the instance folder.
    instance_dir.mkdir(parents=True, exist_ok=True)
    settle_secret_key(app, instance_dir)

    db.init_app(app)
    migrate.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app, database_counters=DatabaseCounters)
    init_i18n(app)
    init_security_headers(app)
    init_health(app)
    init_queue(app, run_job)
    _configure_sqlite(app)

    register_views(app)
    # After the views: the API's errors reuse the pages' messages (``quiz.views.errors``).
    app.register_blueprint(api_blueprint)
    register_commands(app)
    return app


def _configure_sqlite(app: Flask) -> None:
    """Turn on WAL and a busy timeout on every new SQLite connection of the app."""
    with app.app_context():
        engine = db.engine  # created by init_app; nothing is connected yet
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)


def _set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    """Make SQLite fit for several gunicorn workers and as strict as PostgreSQL.

    WAL lets readers proceed while an import writes; the busy timeout makes a
    writer wait for the lock instead of failing at once; foreign keys are off
    by default in SQLite and PostgreSQL always enforces them.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts the database; a power cut may lose the
        # last commits, not a process crash. It spares an fsync per answer stored.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()
