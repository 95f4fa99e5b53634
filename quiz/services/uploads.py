"""Sheets uploaded by instructors: import them in a child process, then read what it made.

Generating questions loads spaCy (seconds, hundreds of megabytes): a web
worker never does it. ``import_upload`` stages the uploaded bytes under the
instance folder and runs ``quiz import-file`` (``quiz.upload_commands``) in a
child process on the app's own database. That command generates before it
writes, stores the file as ``<instance>/uploads/<slug>/<label><ext>`` and
imports in one transaction, so a sheet it refuses leaves nothing behind.

``author_sheet_pages`` reads the result for the instructor: every sheet with
its revisions and question counts, and one revision's paragraphs with the
facts the pipeline found and the questions they feed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..config import REPO_ROOT
from ..extensions import db
from ..models import Revision, Sheet
from .errors import Invalid, ServiceError

SHEET_EXTENSIONS = (".md", ".txt", ".html", ".htm", ".pdf")
MAX_SHEET_BYTES = 5 * 1024 * 1024
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 100
# A label names the stored file and appears in URLs: no slash, no leading dot.
LABEL_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LABEL_MAX_LENGTH = 64
UPLOADS_FOLDER = "uploads"
STAGING_FOLDER = ".incoming"
# Generation takes seconds; past this the child is stopped (setting UPLOAD_IMPORT_TIMEOUT).
# Under gunicorn's default 30 s worker timeout (``make run``), so the page can say so.
DEFAULT_IMPORT_TIMEOUT_S = 25.0
EXIT_BAD_INPUT = 2
# The command's refusals that are about a field other than the file.
SHEET_EXISTS = "a sheet with this slug already exists"
REVISION_EXISTS = "the sheet already has a revision with this label"


class UploadRejected(Invalid):
    """The import command refused the upload; ``field`` is the form field to blame."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


class UploadTimedOut(ServiceError):
    """The import ran past its time limit and was stopped; nothing was stored."""


class UploadFailed(ServiceError):
    """The import command failed for a reason that is not the sheet's (see the log)."""


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


def import_upload(upload: Upload, approve: bool) -> Revision:
    """Import ``upload`` with ``quiz import-file`` in a child process; return the new revision.

    ``UploadRejected`` when the command refuses the sheet, ``UploadTimedOut``
    or ``UploadFailed`` otherwise; in every case nothing is stored. ``approve``:
    new questions that pass the automatic checks are approved, not drafts.
    """
    extension = sheet_extension(upload.file_name)
    if not upload.data:
        raise UploadRejected("file", "the file is empty")
    if len(upload.data) > MAX_SHEET_BYTES:
        raise UploadRejected("file", "sheets are limited to 5 MB")
    instance = current_app.instance_path
    staging_root = uploads_folder(instance) / STAGING_FOLDER
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=staging_root))
    try:
        # Named as it will be stored: the revision keeps the file's name.
        staged = staging / f"{upload.label}{extension}"
        staged.write_bytes(upload.data)
        # This session writes nothing here: ending its read transaction lets
        # what it reads next see the rows the child process commits.
        db.session.rollback()
        completed = _run_import(import_arguments(staged, upload, approve))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _imported_revision(upload, staged, completed)


def import_arguments(staged: Path, upload: Upload, approve: bool) -> list[str]:
    """The command line of the child process (values glued to their options: never options)."""
    arguments = [sys.executable, "-m", "quiz", "import-file"]
    arguments += [f"--sheet={upload.slug}", f"--revision={upload.label}"]
    if upload.title:
        arguments.append(f"--title={upload.title}")
    if upload.lang:
        arguments.append(f"--lang={upload.lang}")
    if upload.new_sheet:
        arguments.append("--new-sheet")
    if approve:
        arguments.append("--approve")
    return [*arguments, "--", str(staged)]


def _run_import(arguments: list[str]) -> subprocess.CompletedProcess[str] | None:
    """Run the import command on the app's database; None when it ran out of time."""
    config = current_app.config
    environment = {
        **os.environ,
        "DATABASE_URL": str(config["SQLALCHEMY_DATABASE_URI"]),
        "QUIZ_INSTANCE_PATH": current_app.instance_path,
    }
    timeout = float(config.get("UPLOAD_IMPORT_TIMEOUT", DEFAULT_IMPORT_TIMEOUT_S))
    try:
        return subprocess.run(
            arguments,
            cwd=REPO_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        return None


def _imported_revision(
    upload: Upload, staged: Path, completed: subprocess.CompletedProcess[str] | None
) -> Revision:
    """The revision the command stored, or the error that says why there is none."""
    revision = _find(upload.slug, upload.label)
    if revision is not None:  # even past the time limit: the child committed first
        return revision
    stored = stored_path(current_app.instance_path, upload.slug, upload.label, staged.suffix)
    # No revision: the child stored nothing, or died (time limit, a signal such as the
    # OOM killer's) before its commit and its own clean-up. Its copy, and the sheet's
    # folder it made, must not outlive it.
    discard(stored)
    if completed is None:
        raise UploadTimedOut("the import took too long and was stopped")
    reason = _error_line(completed.stderr, (stored, staged))
    if completed.returncode == EXIT_BAD_INPUT and reason:
        raise UploadRejected(_blamed_field(reason), reason)
    current_app.logger.error("quiz import-file failed (%s): %s", completed.returncode, completed)
    raise UploadFailed(reason or "the import failed")


def _find(slug: str, label: str) -> Revision | None:
    """The revision ``label`` of sheet ``slug``, if it exists."""
    query = select(Revision).join(Sheet).where(Sheet.slug == slug, Revision.label == label)
    return db.session.scalar(query)


def _error_line(stderr: str, paths: tuple[Path, ...]) -> str:
    """The reason in the command's last ``error: ...`` line, without the file's path.

    The pipeline names the file first ("/…/uploads/suez/v1.md: the file is
    empty"): a path of the server, which means nothing to the instructor.
    """
    lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    if not lines:
        return ""
    reason = lines[-1].removeprefix("error: ")
    for path in paths:
        reason = reason.removeprefix(f"{path}: ")
    return reason


def _blamed_field(reason: str) -> str:
    """The form field a refusal is about: the slug, the revision label, or the file."""
    if reason.startswith(SHEET_EXISTS):
        return "slug"
    if reason.startswith(REVISION_EXISTS):
        return "revision"
    return "file"
