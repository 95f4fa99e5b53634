"""``quiz import-file PATH --sheet SLUG --revision LABEL``: one sheet file into the database.

The file becomes a new sheet, or the newest revision of an existing one. It
goes through the same path as ``quiz import-sheets`` (``generate``, then
``services.library.sheets.import_result``), so questions are carried forward or
flagged stale exactly as there. The web upload's background job shares its
code (``services.library.sheet_files``): web workers never load the pipeline (spaCy).

The file is kept as ``<instance>/uploads/<slug>/<label><ext>``. Everything is
generated before the first write and stored in one transaction: on bad input
(an unknown file type, an empty, undecodable or over-5 MB file, no paragraph
or no fact to ask about, a slug or label already taken) the command prints
one ``error: ...`` line, exits with status 2, and leaves neither rows nor file.

New questions are drafts for the review queue unless ``--approve`` is given or
the ``AUTO_APPROVE_GENERATED`` setting is on; then those that pass the
automatic checks are approved.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..services.database import database_label, schema_exists
from ..services.library.sheet_files import import_sheet_file
from ..services.library.uploads import UploadRejected
from .common import EXIT_BAD_INPUT, EXIT_FAILURE, fail, report_lines


@click.command("import-file")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--sheet", "slug", required=True, metavar="SLUG", help="The sheet's slug.")
@click.option("--revision", "label", required=True, metavar="LABEL", help="A new revision label.")
@click.option("--title", help="The sheet's title (default: the file's title; a sheet keeps its).")
@click.option("--lang", type=click.Choice(["fr", "en"]), help="The language (default: detected).")
@click.option("--new-sheet", is_flag=True, help="Refuse if a sheet already has this slug.")
@click.option("--approve", is_flag=True, help="Approve new questions that pass the checks.")
@with_appcontext
def import_file_command(
    path: Path,
    slug: str,
    label: str,
    title: str | None,
    lang: str | None,
    new_sheet: bool,
    approve: bool,
) -> None:
    """Import the sheet file PATH as revision LABEL of the sheet SLUG (new or existing)."""
    if not schema_exists():
        fail("the database has no tables yet: run `quiz init-db` first", EXIT_FAILURE)
    approve = approve or bool(current_app.config.get("AUTO_APPROVE_GENERATED"))
    try:
        stored, report = import_sheet_file(
            path, slug, label, title=title, lang=lang, new_sheet=new_sheet, approve=approve
        )
    except UploadRejected as error:
        fail(error.message, EXIT_BAD_INPUT)
    for line in report_lines(report, database_label()):
        click.echo(line)
    click.echo(f"Stored {stored}")
