"""Where things live and how the environment configures the app.

Only pure functions of the environment: nothing here touches the disk.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .sqlite_gate import GatedConnection

# The app runs from a checkout: templates, static files, the built-in sheets
# and the instance folder all sit beside the ``quiz`` package.
REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = REPO_ROOT / "templates"
STATIC_DIR = REPO_ROOT / "static"
QUESTIONS_DIR = REPO_ROOT / "questions"
DEFAULT_INSTANCE_DIR = REPO_ROOT / "instance"
# Alembic's scripts (Flask-Migrate): shipped with the package, not beside it.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

SQLITE_FILE_NAME = "quiz.sqlite"
# Uploaded sheets are 5 MB at most; the form's other fields and the multipart
# framing need a little more. A bigger request is refused with a 413 page.
MAX_REQUEST_BYTES = 5 * 1024 * 1024 + 64 * 1024
# What the upload page accepts: what the pipeline imports in minutes and within
# about half a gigabyte on a two-core machine (measured: docs/authoring.md).
# ``quiz import-file`` takes up to 5 MB.
SHEET_UPLOAD_MAX_BYTES = 2 * 1024 * 1024

# Heroku-style URLs name no driver; SQLAlchemy would pick psycopg2, which is
# not installed. psycopg (3) is the driver this project ships.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://")
_PSYCOPG_SCHEME = "postgresql+psycopg://"


def instance_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The instance folder: ``QUIZ_INSTANCE_PATH`` if set, else ``instance/`` at the repo root."""
    override = environ.get("QUIZ_INSTANCE_PATH", "").strip()
    return Path(override).resolve() if override else DEFAULT_INSTANCE_DIR


def normalize_database_url(url: str) -> str:
    """Map ``postgres://`` and ``postgresql://`` URLs onto the psycopg 3 driver."""
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return _PSYCOPG_SCHEME + url[len(scheme) :]
    return url


def default_config(instance_dir: Path, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The settings used unless an instance ``config.py`` or a test config overrides them."""
    database_url = environ.get("DATABASE_URL", "").strip()
    return {
        # None: a random key kept in the instance folder (see ``quiz.secret_key``).
        "SECRET_KEY": environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{instance_dir / SQLITE_FILE_NAME}",
        "QUESTIONS_DIR": str(QUESTIONS_DIR),
        # A learner may leave a question open for hours: the CSRF token lives as long
        # as the session instead of expiring after an hour into a "reload" page.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": MAX_REQUEST_BYTES,
        "SHEET_UPLOAD_MAX_BYTES": SHEET_UPLOAD_MAX_BYTES,
        # No cross-site POST carries the session; a top-level link in still does.
        # (``Secure`` is added on HTTPS requests: see ``quiz.sessions``.)
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Questions generated from an uploaded sheet start as drafts unless this is on
        # (``quiz import-sheets`` approves the built-in sheets' sound questions anyway).
        "AUTO_APPROVE_GENERATED": False,
        # The site's public address: exports (page and ``quiz export``) make their
        # citation links absolute with it, so they work inside Moodle and Anki.
        "SITE_URL": environ.get("QUIZ_SITE_URL", "").strip(),
        # The queue of background imports: Redis when set (web and workers on several
        # machines), else a SQLite file in the instance folder (``quiz.jobs.queue``).
        "REDIS_URL": environ.get("REDIS_URL", "").strip(),
    }


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLAlchemy engine options fit for ``database_url`` (used unless the config sets some).

    A server may drop idle connections (PostgreSQL restarts, timeouts): check
    each one out with a ping. A SQLite file cannot, so its connections skip the
    ping (a query per request) and pass their writes through the write gate.
    """
    if database_url.startswith("sqlite"):
        return {"connect_args": {"factory": GatedConnection}}
    return {"pool_pre_ping": True}
