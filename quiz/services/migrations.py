"""Schema migrations (Alembic through Flask-Migrate): upgrade a database, tell if it is current.

Databases made before migrations existed have the app's tables but no
``alembic_version`` table: ``upgrade_database`` first stamps the revision their
schema matches (the previous release's baseline, or the head for a database
today's ``create_all`` made), then upgrades. Every function runs in an app context.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Connection, create_engine, inspect

from ..extensions import db

# The schema of the previous release (795477a), the first one with users' data to keep.
BASELINE_REVISION = "0001"
ALEMBIC_VERSION_TABLE = "alembic_version"

# {table name: column names}
Schema = dict[str, set[str]]


class UnknownSchema(Exception):
    """The database has the app's tables but no revision's: it cannot be stamped, nor upgraded."""


def alembic_config() -> Config:
    """Alembic's configuration for the app's migrations (directory set by ``quiz.extensions``)."""
    config: Config = current_app.extensions["migrate"].migrate.get_config()
    return config


def upgrade_database() -> None:
    """Bring the database to the newest revision, stamping it first if it predates migrations.

    Raises ``UnknownSchema`` (and changes nothing) for an unversioned database whose
    tables match neither the baseline nor today's models.
    """
    with db.engine.connect() as connection:
        stamped = ALEMBIC_VERSION_TABLE in inspect(connection).get_table_names()
        present = _schema_of(connection)
    if not stamped:
        _stamp_unversioned(present)
    command.upgrade(alembic_config(), "head")


def migrations_at_head() -> bool:
    """Whether the database is at the newest revision (for health checks)."""
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads


def baseline_schema() -> Schema:
    """The tables and columns the baseline revision creates, read from a scratch database."""
    config = alembic_config()
    scratch = create_engine("sqlite://")  # in memory: gone with the engine
    try:
        with scratch.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, BASELINE_REVISION)
            schema = _schema_of(connection)
    finally:
        scratch.dispose()
    schema.pop(ALEMBIC_VERSION_TABLE, None)
    return schema


def models_schema() -> Schema:
    """The tables and columns of today's models."""
    return {table.name: set(table.columns.keys()) for table in db.metadata.sorted_tables}


def missing_from(present: Schema, wanted: Schema) -> list[str]:
    """``table`` or ``table.column`` for each part of ``wanted`` that ``present`` lacks."""
    missing = []
    for table, columns in sorted(wanted.items()):
        if table not in present:
            missing.append(table)
        else:
            missing += [f"{table}.{column}" for column in sorted(columns - present[table])]
    return missing


def _stamp_unversioned(present: Schema) -> None:
    """Record which revision a database without ``alembic_version`` is at, if any."""
    ours = present.keys() & models_schema().keys()
    if not ours:
        return  # an empty database: the upgrade creates everything
    if not missing_from(present, models_schema()):
        command.stamp(alembic_config(), "head")  # made by today's create_all
        return
    baseline = baseline_schema()
    older = missing_from(present, baseline)
    if older:
        raise UnknownSchema(
            f"a version of quiz older than the oldest it can upgrade made it (it lacks"
            f" {', '.join(older)})"
        )
    # Columns of the models beyond the baseline: a development version between the two.
    ours_only = {table: present[table] & models_schema()[table] for table in ours}
    newer = missing_from(baseline, ours_only)
    if newer:
        raise UnknownSchema(
            f"a development version made it: it has {', '.join(newer)} but lacks"
            f" {', '.join(missing_from(present, models_schema()))}"
        )
    command.stamp(alembic_config(), BASELINE_REVISION)


def _schema_of(connection: Connection) -> Schema:
    """The tables and columns of the database behind ``connection``."""
    inspector = inspect(connection)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }
