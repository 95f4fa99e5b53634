"""``quiz import-file PATH --sheet SLUG --revision LABEL``: one sheet file into the database.

The file becomes a new sheet, or the newest revision of an existing one. It
goes through the same path as ``quiz import-sheets`` (``generate``, then
``services.sheets.import_result``), so questions are carried forward or
flagged stale exactly as there. The web upload runs this command in a child
process (``services.uploads``): web workers never load the pipeline (spaCy).

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

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .commands import EXIT_BAD_INPUT, EXIT_FAILURE, fail, report_lines
from .extensions import db
from .models import Sheet
from .services.database import database_label, schema_exists
from .services.sheets import ImportReport, SheetImportError, import_result
from .services.uploads import (
    LABEL_MAX_LENGTH,
    LABEL_PATTERN,
    MAX_SHEET_BYTES,
    REVISION_EXISTS,
    SHEET_EXISTS,
    SHEET_EXTENSIONS,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
    discard,
    label_taken,
    stored_path,
)

if TYPE_CHECKING:
    from .generate import GenerationResult, SheetSource


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
    sheet = existing_sheet(slug, label, new_sheet)
    check_file(path)
    stored = stored_path(current_app.instance_path, slug, label, path.suffix.lower())
    source = revision_source(stored, slug, label, sheet, title, lang)
    approve = approve or bool(current_app.config.get("AUTO_APPROVE_GENERATED"))
    copied = store_file(path, stored)
    try:
        report = generate_and_import(source, approve, keep_title=bool(title or sheet))
    except BaseException:
        db.session.rollback()
        # Unless a concurrent import of the same revision won: the file is its now.
        if copied and not label_taken(slug, label):
            discard(stored)
        raise
    for line in report_lines(report, database_label()):
        click.echo(line)
    click.echo(f"Stored {stored}")


def existing_sheet(slug: str, label: str, new_sheet: bool) -> Sheet | None:
    """The sheet ``slug`` if it exists; exit with one line if slug or label cannot be used."""
    if len(slug) > SLUG_MAX_LENGTH or not SLUG_PATTERN.fullmatch(slug):
        fail(f"invalid sheet slug {slug!r}: lower-case letters, digits, hyphens", EXIT_BAD_INPUT)
    if len(label) > LABEL_MAX_LENGTH or not LABEL_PATTERN.fullmatch(label):
        fail(f"invalid revision label {label!r}: letters, digits, . _ -", EXIT_BAD_INPUT)
    sheet = db.session.scalar(select(Sheet).filter_by(slug=slug))
    if sheet is not None and new_sheet:
        fail(f"{SHEET_EXISTS}: {slug!r}", EXIT_BAD_INPUT)
    if sheet is not None and any(revision.label == label for revision in sheet.revisions):
        fail(f"{REVISION_EXISTS}: {label!r}", EXIT_BAD_INPUT)
    return sheet


def check_file(path: Path) -> None:
    """Exit with one line unless ``path`` is a sheet file of a known type, 5 MB at most."""
    if path.suffix.lower() not in SHEET_EXTENSIONS:
        known = ", ".join(SHEET_EXTENSIONS)
        reason = f"unknown file type {path.suffix or '(none)'!r}; expected one of {known}"
        fail(f"{path}: {reason}", EXIT_BAD_INPUT)
    if not path.is_file():
        fail(f"{path}: no such file", EXIT_BAD_INPUT)
    if path.stat().st_size > MAX_SHEET_BYTES:  # before copying it anywhere
        fail(f"{path}: sheets are limited to 5 MB", EXIT_BAD_INPUT)


def revision_source(
    stored: Path,
    slug: str,
    label: str,
    sheet: Sheet | None,
    title: str | None,
    lang: str | None,
) -> SheetSource:
    """The revision to generate: after the sheet's newest one, keeping its title and address."""
    from .generate import SheetSource  # the pipeline: CLI only

    if sheet is None:
        return SheetSource(path=stored, slug=slug, title=title, lang=lang, revision=label)
    return SheetSource(
        path=stored,
        slug=slug,
        title=title or sheet.title,
        lang=lang,
        revision=label,
        order=max((revision.position for revision in sheet.revisions), default=-1) + 1,
        source_url=sheet.source_url,
    )


def store_file(path: Path, stored: Path) -> bool:
    """Copy the sheet file to where it is kept; return whether this made a new file."""
    if stored.exists() and stored.resolve() == path.resolve():
        return False
    stored.parent.mkdir(parents=True, exist_ok=True)
    # A file left there belongs to no revision (the label is new): replaced.
    shutil.copyfile(path, stored)
    return True


def generate_and_import(source: SheetSource, approve: bool, keep_title: bool) -> ImportReport:
    """Generate the revision, then store it in one transaction; exit with one line on bad input."""
    from .generate import SheetError, generate  # loads spaCy: CLI only

    try:
        result = generate([source])
    except SheetError as error:
        fail(str(error), EXIT_BAD_INPUT)
    if not keep_title:
        result = titled(result, source)
    try:
        report = import_result(result, approve=approve)
        db.session.commit()
    except SheetImportError as error:
        fail(f"{source.path}: {error}", EXIT_BAD_INPUT)
    except IntegrityError:  # another import took the slug or the label meanwhile
        if source.order:
            fail(f"{REVISION_EXISTS}: {source.revision!r}", EXIT_BAD_INPUT)
        fail(f"{SHEET_EXISTS}: {source.slug!r}", EXIT_BAD_INPUT)
    return report


def titled(result: GenerationResult, source: SheetSource) -> GenerationResult:
    """``result`` with the slug as title when the file had none (rather than the label)."""
    from .generate import GenerationResult

    [sheet] = result.sheets
    if sheet.title != source.path.stem:
        return result
    return GenerationResult([replace(sheet, title=source.slug)])
