"""Alembic's environment: migrate the app's database (or a connection handed in).

Run by ``quiz init-db`` (``quiz.services.migrations``) and by Flask-Migrate's
``quiz db …`` commands, always inside an app context.
"""

from __future__ import annotations

import warnings

from alembic import context
from flask import current_app
from sqlalchemy.engine import Connection

config = context.config
# Neither SQLite nor PostgreSQL reflects the lower(username) index, so autogenerate
# skips it with a warning at every run; tests/test_migrations.py checks it instead.
warnings.filterwarnings("ignore", message=r".*expression-based index")
migrate_state = current_app.extensions["migrate"]
target_metadata = migrate_state.db.metadata


def skip_empty_autogenerate(_context: object, _revision: object, directives: list) -> None:
    """``quiz db migrate`` writes no revision file when the models did not change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        print("No change in the models: no migration written.")


def run_on(connection: Connection) -> None:
    """Run the migrations on ``connection``, in one transaction."""
    options = dict(migrate_state.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    context.configure(connection=connection, target_metadata=target_metadata, **options)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    # `quiz db upgrade --sql`: print the SQL instead of running it.
    context.configure(
        url=migrate_state.db.engine.url, target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    # A caller's own connection (see quiz.services.migrations.baseline_columns).
    run_on(config.attributes["connection"])
else:
    with migrate_state.db.engine.connect() as app_connection:
        run_on(app_connection)
