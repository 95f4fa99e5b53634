"""Project commands of the ``quiz`` CLI: init-db, import-sheets, generate, create-user.

Each command body is a few lines calling services. The pipeline is imported
inside the commands, never at module level, because it loads spaCy and this
module is imported by every web worker (through the app factory).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..models import ROLE_INSTRUCTOR, ROLE_STUDENT
from ..services.accounts.users import register
from ..services.database import database_label, missing_columns, schema_exists
from ..services.errors import Invalid
from ..services.library.row_sync import SheetImportError
from ..services.library.sheets import import_result
from ..services.migrations import UnknownSchema, upgrade_database
from .common import EXIT_BAD_INPUT, EXIT_FAILURE, fail, report_lines
from .exchange import register_exchange_commands
from .revisions import sheet_diff_command
from .uploads import import_file_command

if TYPE_CHECKING:
    from ..generate import GenerationResult


def register_commands(app: Flask) -> None:
    """Add the project commands to ``app.cli`` (and so to ``quiz`` and ``flask``)."""
    from ..jobs.worker import worker_command  # the job code: only when registering

    for command in (
        init_db_command,
        import_sheets_command,
        import_file_command,
        generate_command,
        create_user_command,
        sheet_diff_command,
        worker_command,
    ):
        app.cli.add_command(command)
    register_exchange_commands(app)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database schema or upgrade it to this version's (safe to run again)."""
    try:
        upgrade_database()
    except UnknownSchema as error:
        fail(
            f"the database at {database_label()} cannot be upgraded: {error}. Move it away,"
            " or set DATABASE_URL to a new database, and run the command again",
            EXIT_FAILURE,
        )
    outdated = missing_columns()
    if outdated:
        # The migrations ran but left out a column of the models: a missing migration.
        fail(
            f"the models have columns no migration creates ({', '.join(outdated)}):"
            " write one with `quiz db migrate -m '...'` (see README.md)",
            EXIT_FAILURE,
        )
    click.echo(f"Database ready: {database_label()}")


@click.command("import-sheets")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def import_sheets_command(paths: tuple[Path, ...]) -> None:
    """Generate the sheets in PATHS (default: questions/), then store them in one transaction.

    Running it again changes nothing unless a sheet or the pipeline changed.
    """
    if not schema_exists():
        fail("the database has no tables yet: run `quiz init-db` first", EXIT_FAILURE)
    targets = list(paths) or [Path(current_app.config["QUESTIONS_DIR"])]
    # Everything is generated before the first write, so a bad sheet leaves
    # the database exactly as it was.
    result = generate_or_exit(targets)
    try:
        report = import_result(result)
        db.session.commit()
    except SheetImportError as error:
        db.session.rollback()
        fail(str(error), EXIT_FAILURE)
    except BaseException:
        db.session.rollback()
        raise
    for line in report_lines(report, database_label()):
        click.echo(line)


@click.command("generate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print sheets and questions as JSON.")
def generate_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Run the pipeline on PATHS (sheet folders or files) without touching the database."""
    result = generate_or_exit(list(paths))
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2, sort_keys=False))
    else:
        for line in generation_lines(result):
            click.echo(line)


@click.command("create-user")
@click.argument("username")
@click.option("--instructor", is_flag=True, help="Give the account the instructor role.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@with_appcontext
def create_user_command(username: str, instructor: bool, password_stdin: bool) -> None:
    """Create the account USERNAME, asking for its password (twice) unless --password-stdin."""
    if not schema_exists():
        fail("the database has no tables yet: run `quiz init-db` first", EXIT_FAILURE)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    role = ROLE_INSTRUCTOR if instructor else ROLE_STUDENT
    try:
        user = register(username, password, role=role)
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        fail(error.message, EXIT_BAD_INPUT)
    click.echo(f"Created {user.role} {user.username!r} in {database_label()}")


def generate_or_exit(paths: Sequence[Path]) -> GenerationResult:
    """Discover and generate the sheets in ``paths``; on bad input, exit with one line."""
    from ..generate import SheetError, discover, generate  # loads spaCy: CLI only

    try:
        sources = discover(paths)
        if not sources:
            raise SheetError(", ".join(map(str, paths)), "no sheet found here")
        return generate(sources)
    except SheetError as error:
        fail(str(error), EXIT_BAD_INPUT)


def generation_lines(result: GenerationResult) -> list[str]:
    """A short human summary of a generation run: one line per revision, then totals."""
    lines = []
    for sheet in result.sheets:
        source = sheet.source
        lines.append(
            f"{source.slug} [{source.revision}] {source.path.name}: « {sheet.title} »"
            f" ({sheet.lang}), {len(sheet.paragraphs)} paragraphs, {len(sheet.questions)} questions"
        )
    paragraphs = sum(len(sheet.paragraphs) for sheet in result.sheets)
    lines.append(
        f"{len(result.sheets)} revisions, {paragraphs} paragraphs,"
        f" {len(result.questions)} questions"
    )
    return lines
