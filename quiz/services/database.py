"""Schema management: create the tables, tell whether they exist."""

from __future__ import annotations

from sqlalchemy import inspect

from .. import models
from ..extensions import db


def init_db() -> None:
    """Create every missing table; existing tables and rows are left as they are."""
    db.create_all()


def schema_exists() -> bool:
    """Whether the tables of the app exist in the configured database."""
    existing = set(inspect(db.engine).get_table_names())
    return {table.name for table in models.Sheet.metadata.sorted_tables} <= existing


def database_label() -> str:
    """The database URL with any password masked, to tell the user where rows went."""
    return db.engine.url.render_as_string(hide_password=True)
