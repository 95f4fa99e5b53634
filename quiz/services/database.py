"""Schema management (create the tables, tell whether they exist), database faults, and
the insert that a unique constraint may refuse (``insert_unless_duplicate``)."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import exc, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import models
from ..extensions import db

# SQLite's primary result codes for "another connection holds the lock": the
# extended codes (SQLITE_BUSY_SNAPSHOT…) share their low byte.
_LOCK_RESULT_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def is_lock_timeout(error: BaseException) -> bool:
    """Whether ``error`` is a statement that gave up waiting for another's write lock.

    On SQLite that is "database is locked" once the busy timeout has passed:
    the request changed nothing and may simply be sent again later.
    """
    original = error.orig if isinstance(error, exc.DBAPIError) else error
    if not isinstance(original, sqlite3.OperationalError):
        return False
    code = getattr(original, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _LOCK_RESULT_CODES


def init_db() -> None:
    """Create every missing table; existing tables and rows are left as they are."""
    db.create_all()


def missing_columns() -> list[str]:
    """``table.column`` of every model column an existing table lacks (an older schema)."""
    inspector = inspect(db.engine)
    existing = set(inspector.get_table_names())
    missing = []
    for table in models.Sheet.metadata.sorted_tables:
        if table.name not in existing:
            continue  # created by init_db
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing += [
            f"{table.name}.{column.name}" for column in table.columns if column.name not in present
        ]
    return missing


def schema_exists() -> bool:
    """Whether the tables of the app exist in the configured database."""
    existing = set(inspect(db.engine).get_table_names())
    return {table.name for table in models.Sheet.metadata.sorted_tables} <= existing


def database_label() -> str:
    """The database URL with any password masked, to tell the user where rows went."""
    return db.engine.url.render_as_string(hide_password=True)


def insert_unless_duplicate(model: type[Any], values: dict[str, Any]) -> Any | None:
    """Insert one row and return it, or None if a unique constraint already holds its twin.

    ``INSERT … ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL, the two
    supported databases) waits for a concurrent writer of the same key and
    leaves the caller's transaction usable, unlike catching an IntegrityError,
    which needs a SAVEPOINT that pysqlite mishandles or a full rollback.
    """
    dialect = db.session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = postgresql_insert(model).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite_insert(model).on_conflict_do_nothing()
    else:
        raise RuntimeError(f"unsupported database: {dialect}")
    return db.session.scalar(statement.values(**values).returning(model))
