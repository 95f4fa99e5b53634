"""One sheet file into the database: the checks, the stored copy, generation and import.

``quiz import-file`` and the background import job (``services.library.import_jobs``)
share this path. Everything is generated before the first write and stored in
one transaction; the file is kept as ``<instance>/uploads/<slug>/<label><ext>``.
A refusal raises ``UploadRejected`` (its message the command's one line, the
field it is about) and leaves neither rows nor file.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Sheet
from .row_sync import SheetImportError
from .sheets import ImportReport, import_result
from .uploads import (
    LABEL_MAX_LENGTH,
    LABEL_PATTERN,
    MAX_SHEET_BYTES,
    REVISION_EXISTS,
    SHEET_EXISTS,
    SHEET_EXTENSIONS,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
    UploadRejected,
    discard,
    label_taken,
    stored_path,
)

if TYPE_CHECKING:
    from ...generate import GenerationResult, SheetSource

# Called with (paragraphs read, paragraphs to read) as the pipeline parses.
Progress = Callable[[int, int], None]


def import_sheet_file(
    path: Path,
    slug: str,
    label: str,
    *,
    title: str | None = None,
    lang: str | None = None,
    new_sheet: bool = False,
    approve: bool = False,
    progress: Progress | None = None,
) -> tuple[Path, ImportReport]:
    """Import ``path`` as revision ``label`` of sheet ``slug``; return the stored copy and report.

    ``UploadRejected`` on bad input; on any error nothing is written and the copy is removed.
    """
    sheet = existing_sheet(slug, label, new_sheet)
    check_file(path)
    stored = stored_path(current_app.instance_path, slug, label, path.suffix.lower())
    source = revision_source(stored, slug, label, sheet, title, lang)
    copied = store_file(path, stored)
    try:
        report = generate_and_import(
            source, approve, keep_title=bool(title or sheet), progress=progress
        )
    except BaseException:
        db.session.rollback()
        # Unless a concurrent import of the same revision won: the file is its now.
        if copied and not label_taken(slug, label):
            discard(stored)
        raise
    return stored, report


def existing_sheet(slug: str, label: str, new_sheet: bool) -> Sheet | None:
    """The sheet ``slug`` if it exists; ``UploadRejected`` if slug or label cannot be used."""
    if len(slug) > SLUG_MAX_LENGTH or not SLUG_PATTERN.fullmatch(slug):
        reason = f"invalid sheet slug {slug!r}: lower-case letters, digits, hyphens"
        raise UploadRejected("slug", reason)
    if len(label) > LABEL_MAX_LENGTH or not LABEL_PATTERN.fullmatch(label):
        reason = f"invalid revision label {label!r}: letters, digits, . _ -"
        raise UploadRejected("revision", reason)
    sheet = db.session.scalar(select(Sheet).filter_by(slug=slug))
    if sheet is not None and new_sheet:
        raise UploadRejected("slug", f"{SHEET_EXISTS}: {slug!r}")
    if sheet is not None and any(revision.label == label for revision in sheet.revisions):
        raise UploadRejected("revision", f"{REVISION_EXISTS}: {label!r}")
    return sheet


def check_file(path: Path) -> None:
    """``UploadRejected`` unless ``path`` is a sheet file of a known type, 5 MB at most."""
    if path.suffix.lower() not in SHEET_EXTENSIONS:
        known = ", ".join(SHEET_EXTENSIONS)
        reason = f"unknown file type {path.suffix or '(none)'!r}; expected one of {known}"
        raise UploadRejected("file", f"{path}: {reason}")
    if not path.is_file():
        raise UploadRejected("file", f"{path}: no such file")
    if path.stat().st_size > MAX_SHEET_BYTES:  # before copying it anywhere
        raise UploadRejected("file", f"{path}: sheets are limited to 5 MB")


def revision_source(
    stored: Path,
    slug: str,
    label: str,
    sheet: Sheet | None,
    title: str | None,
    lang: str | None,
) -> SheetSource:
    """The revision to generate: after the sheet's newest one, keeping its title and address."""
    from ...generate import SheetSource  # the pipeline: CLI and worker only

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


def generate_and_import(
    source: SheetSource, approve: bool, keep_title: bool, progress: Progress | None = None
) -> ImportReport:
    """Generate the revision, then store it in one transaction; ``UploadRejected`` on bad input."""
    from ...generate import SheetError, generate  # loads spaCy: CLI and worker only

    started = time.perf_counter()
    try:
        result = generate([source], progress=progress)
    except SheetError as error:
        raise UploadRejected("file", str(error)) from None
    if not keep_title:
        result = titled(result, source)
    generated = time.perf_counter()
    try:
        report = import_result(result, approve=approve)
        db.session.commit()
        # The write phase holds SQLite's write lock: other writers wait that long.
        current_app.logger.info(
            "%s/%s: generated in %.1f s, written in %.1f s",
            source.slug,
            source.revision,
            generated - started,
            time.perf_counter() - generated,
        )
    except SheetImportError as error:
        raise UploadRejected("file", f"{source.path}: {error}") from None
    except IntegrityError:  # another import took the slug or the label meanwhile
        if source.order:
            raise UploadRejected("revision", f"{REVISION_EXISTS}: {source.revision!r}") from None
        raise UploadRejected("slug", f"{SHEET_EXISTS}: {source.slug!r}") from None
    return report


def titled(result: GenerationResult, source: SheetSource) -> GenerationResult:
    """``result`` with the slug as title when the file had none (rather than the label)."""
    from ...generate import GenerationResult

    [sheet] = result.sheets
    if sheet.title != source.path.stem:
        return result
    return GenerationResult([replace(sheet, title=source.slug)])
