"""One sheet file into the database: the checks, the stored copy, generation and import.

Moved out of ``quiz.upload_commands`` so that the background import job
(``services.import_jobs``) and the command share them.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..commands import EXIT_BAD_INPUT, fail
from ..extensions import db
from ..models import Sheet
from .sheets import ImportReport, SheetImportError, import_result
from .uploads import (
    LABEL_MAX_LENGTH,
    LABEL_PATTERN,
    MAX_SHEET_BYTES,
    REVISION_EXISTS,
    SHEET_EXISTS,
    SHEET_EXTENSIONS,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
)

if TYPE_CHECKING:
    from ..generate import GenerationResult, SheetSource


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
    from ..generate import SheetSource  # the pipeline: CLI only

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
    from ..generate import SheetError, generate  # loads spaCy: CLI only

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
    from ..generate import GenerationResult

    [sheet] = result.sheets
    if sheet.title != source.path.stem:
        return result
    return GenerationResult([replace(sheet, title=source.slug)])
