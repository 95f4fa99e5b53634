"""Sheets uploaded by instructors: what an upload is, the names it may take, where it is kept.

Generating questions loads spaCy (seconds, hundreds of megabytes): a web
worker never does it. An upload becomes a background job
(``services.library.import_jobs``) that a queue worker runs with the code of
``quiz import-file`` (``services.library.sheet_files``): it generates before it
writes, stores the file as ``<instance>/uploads/<slug>/<label><ext>`` and
imports in one transaction, so a sheet it refuses leaves nothing behind.

``author_sheet_pages`` reads the result for the instructor: every sheet with
its revisions and question counts, and one revision's paragraphs with the
facts the pipeline found and the questions they feed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Revision, Sheet
from ..errors import Invalid

SHEET_EXTENSIONS = (".md", ".txt", ".html", ".htm", ".pdf")
MAX_SHEET_BYTES = 5 * 1024 * 1024
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 100
# A label names the stored file and appears in URLs: no slash, no leading dot.
LABEL_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LABEL_MAX_LENGTH = 64
UPLOADS_FOLDER = "uploads"
STAGING_FOLDER = ".incoming"
# The command's refusals that are about a field other than the file.
SHEET_EXISTS = "a sheet with this slug already exists"
REVISION_EXISTS = "the sheet already has a revision with this label"


class UploadRejected(Invalid):
    """The import command refused the upload; ``field`` is the form field to blame."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True)
class Upload:
    """A sheet file sent by an instructor: a new sheet, or a new revision of ``slug``."""

    slug: str
    label: str
    file_name: str  # as sent: only its extension is used
    data: bytes
    title: str | None = None
    lang: str | None = None
    new_sheet: bool = False


def upload_limit() -> int:
    """The largest sheet the upload page takes: ``SHEET_UPLOAD_MAX_BYTES``, 5 MB at most."""
    configured = int(current_app.config.get("SHEET_UPLOAD_MAX_BYTES") or MAX_SHEET_BYTES)
    return min(configured, MAX_SHEET_BYTES)


def slugify(text: str) -> str:
    """'Le canal de Suez' → 'le-canal-de-suez' (empty when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX_LENGTH].rstrip("-")


def sheet_extension(file_name: str) -> str:
    """The file's extension in lower case; ``UploadRejected`` unless a sheet may have it."""
    extension = Path(file_name).suffix.lower()
    if extension not in SHEET_EXTENSIONS:
        raise UploadRejected("file", f"unknown file type {extension or '(none)'!r}")
    return extension


def slug_taken(slug: str) -> bool:
    """Whether a sheet already has this slug."""
    return db.session.scalar(select(Sheet.id).filter_by(slug=slug)) is not None


def label_taken(slug: str, label: str) -> bool:
    """Whether the sheet ``slug`` already has a revision labelled ``label``."""
    return _find(slug, label) is not None


def uploads_folder(instance_path: str | Path) -> Path:
    """Where uploaded sheets are kept: ``<instance>/uploads``."""
    return Path(instance_path) / UPLOADS_FOLDER


def stored_path(instance_path: str | Path, slug: str, label: str, extension: str) -> Path:
    """The file of revision ``label`` of sheet ``slug``: ``uploads/<slug>/<label><ext>``."""
    return uploads_folder(instance_path) / slug / f"{label}{extension}"


def discard(stored: Path) -> None:
    """Remove a stored copy, and its sheet's folder when nothing else is in it."""
    stored.unlink(missing_ok=True)
    try:
        stored.parent.rmdir()
    except OSError:  # other revisions' files are there
        pass


def _find(slug: str, label: str) -> Revision | None:
    """The revision ``label`` of sheet ``slug``, if it exists."""
    query = select(Revision).join(Sheet).where(Sheet.slug == slug, Revision.label == label)
    return db.session.scalar(query)
