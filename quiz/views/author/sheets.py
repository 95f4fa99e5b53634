"""The instructor's sheets: upload a sheet or a revision, see what the import found, compare.

An upload is queued as a background job (``services.library.import_jobs``) and the
page answers at once with the job's progress (``import_jobs`` views): the web
worker never loads the pipeline. What the form can check comes back as the
form with the reason under the field (400); a request over the size limit
gets a page of its own (413).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ...models import Revision
from ...services.authoring import approval, paragraph_diff, stale
from ...services.authoring import sheet_pages as author_sheet_pages
from ...services.errors import NotFound
from ...services.library import import_jobs, uploads
from ...services.library.sheet_pages import find_revision
from ..labels import size_text
from .blueprint import bp, instructor_required
from .sheet_forms import RevisionUploadForm, SheetUploadForm

UPLOAD_ENDPOINTS = ("author.upload_sheet", "author.upload_revision")

FACT_KINDS: dict[str, LazyString] = {
    "date": _l("date"),
    "institution": _l("institution"),
    "acronym": _l("acronym"),
    "treaty": _l("treaty"),
    "number": _l("number"),
    "person": _l("person"),
    "place": _l("place"),
}

# The import command's reasons (English, see ``quiz.generate``), as the reader reads them.
REASONS: tuple[tuple[str, LazyString], ...] = (
    ("the file is empty", _l("The file is empty.")),
    ("only white space", _l("The file is empty.")),
    ("binary file", _l("This is not a text file.")),
    ("not valid UTF-8", _l("The text is not UTF-8: save the file as UTF-8 and upload it again.")),
    ("limited to 5 MB", _l("The file is over 5 MB: sheets are limited to 5 MB.")),
    ("unknown file type", _l("Upload a .md, .txt, .html or .pdf file.")),
    ("no paragraph of text", _l("No paragraph of text to ask about was found in this file.")),
    ("no facts", _l("No facts (dates, names, numbers…) were found in this file to ask about.")),
    ("no text layer", _l("This PDF has no text layer (a scan?): upload a PDF with text.")),
    ("password-protected", _l("This PDF is password-protected.")),
    ("not a readable PDF", _l("This PDF cannot be read.")),
    (uploads.SHEET_EXISTS, _l("A sheet already has this address: choose another.")),
    (uploads.REVISION_EXISTS, _l("This sheet already has a revision with this label.")),
    (
        import_jobs.INTERRUPTED,
        _l("The import was interrupted (its worker stopped): nothing was stored."),
    ),
    (import_jobs.FAILED, _l("The import failed: nothing was stored. The server's log says why.")),
    (
        import_jobs.UNQUEUED,
        _l("The import could not be queued: nothing was stored. Try again in a moment."),
    ),
)


def reason_text(reason: str) -> str:
    """The import command's reason for refusing a sheet, in the reader's language."""
    for fragment, text in REASONS:
        if fragment in reason:
            return str(text)
    return str(_("The sheet could not be imported: %(reason)s", reason=reason))


@bp.get("/sheets")
@instructor_required
def sheets() -> ResponseReturnValue:
    """Every sheet with its revisions: paragraphs, approved and draft questions, stale ones."""
    return render_template("author/sheets.html", sheets=author_sheet_pages.author_sheets())


@bp.get("/sheets/<slug>")
@bp.get("/sheets/<slug>/revisions/<label>")
@instructor_required
def sheet(slug: str, label: str | None = None) -> ResponseReturnValue:
    """One revision (the latest by default): paragraphs, the facts found, the questions fed."""
    try:
        page = author_sheet_pages.revision_page(slug, label)
    except NotFound:
        abort(404)
    return render_template("author/sheet.html", page=page, fact_kinds=FACT_KINDS)


@bp.route("/upload", methods=["GET", "POST"])
@instructor_required
def upload_sheet() -> ResponseReturnValue:
    """A new sheet from a file; the import's result is the new sheet's page."""
    return _upload(SheetUploadForm())


@bp.route("/sheets/<slug>/upload", methods=["GET", "POST"])
@instructor_required
def upload_revision(slug: str) -> ResponseReturnValue:
    """A new revision of a sheet from a file; the result is the revision's page."""
    try:
        sheet = find_revision(slug).sheet
    except NotFound:
        abort(404)
    return _upload(RevisionUploadForm(slug), sheet)


def _upload(
    form: SheetUploadForm | RevisionUploadForm, sheet: object = None
) -> ResponseReturnValue:
    """The upload form; once submitted and valid, the import (the form again if invalid, 400)."""
    if not form.is_submitted():
        return _upload_page(form, sheet)
    if not form.validate():
        return _upload_page(form, sheet), 400
    return _import(form, form.upload(), sheet)


def _import(
    form: SheetUploadForm | RevisionUploadForm, upload: uploads.Upload, sheet: object = None
) -> ResponseReturnValue:
    """Queue the import; the job's page (its progress), or the form if the revision is busy."""
    approve = bool(current_app.config.get("AUTO_APPROVE_GENERATED"))
    try:
        job = import_jobs.queue_import(upload, approve=approve)
    except import_jobs.ImportInProgress:
        form.revision.errors.append(_("This revision is already being imported: wait for it."))
        return _upload_page(form, sheet), 409
    except import_jobs.QueueUnavailable:
        message = _("The import could not be queued: nothing was stored. Try again in a moment.")
        return _upload_page(form, sheet, failure=message), 503
    return redirect(url_for(".import_job", job_id=job.id), code=303)


def announce_import(revision: Revision) -> None:
    """Flash that ``revision`` was imported, with the edits and stale questions it brings."""
    flash(_("Revision %(label)s imported.", label=revision.label), "success")
    _flash_pending_edits(revision)
    waiting = len(stale.open_stale_questions(revision.sheet))
    if waiting:
        flash(
            ngettext(
                "%(num)d question of an earlier revision no longer holds: carry it forward"
                " or retire it in the stale list.",
                "%(num)d questions of earlier revisions no longer hold: carry them forward"
                " or retire them in the stale list.",
                waiting,
            ),
            "warning",
        )


def _flash_pending_edits(revision: Revision) -> None:
    """Tell the instructor that edits awaiting approval came along into ``revision``."""
    pending = approval.pending_edit_count(revision)
    if pending:
        flash(
            ngettext(
                "%(num)d edit awaiting approval came along into this revision: approving it"
                " (in either revision) gives it to learners of both.",
                "%(num)d edits awaiting approval came along into this revision: approving one"
                " (in either revision) gives it to learners of both.",
                pending,
            ),
            "warning",
        )


def _upload_page(
    form: SheetUploadForm | RevisionUploadForm, sheet: object = None, failure: str | None = None
) -> str:
    """The upload form: of a new sheet, or of a revision of ``sheet``."""
    return render_template(
        "author/upload.html",
        form=form,
        sheet=sheet,
        failure=failure,
        limit_text=size_text(uploads.upload_limit()),
    )


class SheetTooLarge(RequestEntityTooLarge):
    """An upload over ``MAX_CONTENT_LENGTH``, refused before anything reads its body."""


@bp.url_value_preprocessor
def refuse_large_uploads(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Refuse an instructor's oversized upload before the CSRF check reads its body.

    Runs before the app's ``before_request`` functions, so the upload pages
    answer with their own page (``SheetTooLarge``) rather than the generic one.
    """
    if endpoint not in UPLOAD_ENDPOINTS or request.method != "POST":
        return
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    instructor = current_user.is_authenticated and current_user.is_instructor
    if instructor and limit and (request.content_length or 0) > limit:
        raise SheetTooLarge()


@bp.errorhandler(SheetTooLarge)
def too_large(_error: SheetTooLarge) -> ResponseReturnValue:
    """An upload over the size limit: a page saying so, with the way back to the form."""
    limit_text = size_text(uploads.upload_limit())
    page = render_template("author/upload_too_large.html", back=request.path, limit_text=limit_text)
    return page, 413


@bp.get("/sheets/<slug>/diff")
@instructor_required
def sheet_diff(slug: str) -> ResponseReturnValue:
    """Two revisions side by side (``?old=&new=``; default: the latest and the one before)."""
    old, new = request.args.get("old") or None, request.args.get("new") or None
    try:
        diff = paragraph_diff.revision_diff(slug, old, new)
    except NotFound:
        abort(404)
    except paragraph_diff.NothingToCompare:
        page = author_sheet_pages.revision_page(slug)
        return render_template("author/diff.html", diff=None, page=page)
    except paragraph_diff.SameRevision:
        page = author_sheet_pages.revision_page(slug)
        return render_template("author/diff.html", diff=None, page=page, same=True), 400
    return render_template("author/diff.html", diff=diff, page=None)
