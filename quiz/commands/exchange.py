"""The ``quiz export`` and ``quiz import`` commands: questions to and from teachers' tools.

``quiz export -o FILE`` writes the approved questions of each sheet's newest
revision as GIFT, Moodle XML, an Anki deck, CSV or JSON (the format follows
the file's extension unless ``--format`` says otherwise). ``quiz import FILE``
reads GIFT, Moodle XML, CSV or JSON back as draft questions, all or nothing:
a file with any error prints every error with its line and changes nothing.
The formats themselves live in ``quiz.exchange``; the database side in
``quiz.services.exchange``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .. import exchange
from ..exchange import ImportErrors
from ..extensions import db
from ..models import QUESTION_STATUSES, STATUS_APPROVED
from ..services.database import database_label, schema_exists
from ..services.errors import NotFound
from ..services.exchange.exporting import select_records
from ..services.exchange.importing import import_questions
from .common import EXIT_BAD_INPUT, EXIT_FAILURE, fail

# Over this, a file is surely not a question file (and would be read whole into memory).
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def register_exchange_commands(app: Flask) -> None:
    """Add ``export`` and ``import`` to ``app.cli``."""
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)


@click.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(exchange.EXPORT_FORMATS),
    help="Default: from the output file's extension (.gift .txt .xml .apkg .csv .json).",
)
@click.option("--sheet", "sheet_slug", metavar="SLUG", help="Only this sheet's questions.")
@click.option("--tag", metavar="TAG", help="Only questions with this tag (date, person, …).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(QUESTION_STATUSES),
    help="Questions of this status (repeatable). Default: approved.",
)
@click.option("--all-revisions", is_flag=True, help="Every revision, not only each sheet's newest.")
@click.option(
    "--base-url",
    default="",
    metavar="URL",
    help="The site's address, for absolute source links. Default: QUIZ_SITE_URL (SITE_URL).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write.",
)
@with_appcontext
def export_command(
    format_name: str | None,
    sheet_slug: str | None,
    tag: str | None,
    statuses: tuple[str, ...],
    all_revisions: bool,
    base_url: str,
    output: Path,
) -> None:
    """Write questions, each with its stable id and source citation, to OUTPUT."""
    format_name = format_name or _format_from_extension(output, exchange.EXPORT_FORMATS)
    base_url = _site_url(base_url, format_name)
    _require_schema()
    try:
        selection = select_records(
            sheet_slug, tag, statuses or (STATUS_APPROVED,), all_revisions=all_revisions
        )
    except NotFound as error:
        fail(error.message, EXIT_BAD_INPUT)
    if not selection.records:
        fail("no question matches: nothing written", EXIT_FAILURE)
    result = exchange.export(
        format_name, selection.records, sheets=selection.sheets, base_url=base_url
    )
    output.write_bytes(result.content)
    for skipped in result.skipped:
        click.echo(f"skipped {skipped.id}: {skipped.reason}", err=True)
    click.echo(f"Exported {result.count} questions to {output} ({format_name})")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(exchange.IMPORT_FORMATS),
    help="Default: from the file's extension (.gift .txt .xml .csv .json).",
)
@click.option(
    "--sheet",
    "sheet_slug",
    metavar="SLUG",
    help="The sheet of the questions of an ordinary file that cite none (docs/exchange.md).",
)
@with_appcontext
def import_command(file: Path, format_name: str | None, sheet_slug: str | None) -> None:
    """Add the questions of FILE as drafts, tied to the sheets already imported.

    Nothing is imported from a file with any error; every error is printed
    with its line.
    """
    format_name = format_name or _format_from_extension(file, exchange.IMPORT_FORMATS)
    _require_schema()
    if file.stat().st_size > MAX_IMPORT_BYTES:
        fail(f"{file}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", EXIT_BAD_INPUT)
    try:
        report = import_questions(format_name, file.read_bytes(), sheet_slug)
        db.session.commit()
    except ImportErrors as errors:
        db.session.rollback()
        for line, message in errors.errors:
            where = f"{file}:{line}" if line else f"{file}"
            click.echo(f"error: {where}: {' '.join(message.split())}", err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT) from None
    except BaseException:
        db.session.rollback()
        raise
    click.echo(
        f"Imported into {database_label()}: {report.added} added as drafts,"
        f" {report.unchanged} unchanged"
    )


def _format_from_extension(path: Path, formats: tuple[str, ...]) -> str:
    """The format ``path``'s extension stands for; exit when there is none usable."""
    format_name = exchange.format_for_path(path)
    if format_name is None:
        fail(f"{path}: unknown extension, give --format ({'|'.join(formats)})", EXIT_BAD_INPUT)
    if format_name not in formats:
        fail(f"{path}: quiz cannot import {format_name} files (export only)", EXIT_BAD_INPUT)
    return format_name


def _site_url(given: str, format_name: str) -> str:
    """The address citation links start with: ``--base-url``, else the configured one.

    Exit when there is neither and the format carries links: a relative link
    (``/sheets/…``) is dead inside Moodle or Anki. JSON carries the source itself.
    """
    site_url = given.strip() or str(current_app.config.get("SITE_URL") or "")
    if not site_url and format_name != "json":
        fail(
            "citation links need the site's address: set QUIZ_SITE_URL (or SITE_URL in the"
            " instance config.py), or give --base-url https://…",
            EXIT_BAD_INPUT,
        )
    return site_url


def _require_schema() -> None:
    """Exit unless the database has its tables."""
    if not schema_exists():
        fail("the database has no tables yet: run `quiz init-db` first", EXIT_FAILURE)
