"""Export and import in the browser: the same services as ``quiz export`` and ``quiz import``.

Export is a GET form whose submission downloads the file. Import posts one
file: any error (each with its line) imports nothing and the page lists them
all (400); otherwise the questions are added as drafts in one commit and the
page lists them, each linked to its place in the review queue.
"""

from __future__ import annotations

import io
from typing import Any

from flask import abort, current_app, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ... import exchange
from ...exchange.messages import translate
from ...extensions import db
from ...models import QUESTION_STATUSES, STATUS_APPROVED, STATUS_DRAFT, utcnow
from ...services.authoring import approval
from ...services.errors import NotFound
from ...services.exchange import exporting, importing
from ..errors import handle_http_error
from ..labels import size_text, topic_label
from .blueprint import bp, instructor_required
from .exchange_forms import (
    FORMAT_NAMES,
    ExportForm,
    ImportForm,
    export_form,
    import_form,
)

# Without MAX_CONTENT_LENGTH in the config, uploads above this are refused here.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Room for the multipart envelope around the file (boundaries, headers, the token).
FORM_OVERHEAD_BYTES = 64 * 1024
STATUS_SCOPES: dict[str, tuple[str, ...]] = {
    "approved": (STATUS_APPROVED,),
    "draft": (STATUS_DRAFT,),
    "all": QUESTION_STATUSES,
}
EXTENSIONS = {"gift": "gift", "moodle": "xml", "apkg": "apkg", "csv": "csv", "json": "json"}
MIMETYPES = {
    "gift": "text/plain",
    "moodle": "application/xml",
    "apkg": "application/octet-stream",
    "csv": "text/csv",
    "json": "application/json",
}


@bp.get("/export")
@instructor_required
def export() -> ResponseReturnValue:
    """The export form; once submitted (a ``format`` given), the file as a download."""
    form = _export_form()
    if "format" not in request.args:
        return _export_page(form)
    if not form.validate():
        return _export_page(form), 400
    try:
        result = exporting.export_file(
            form.format.data,
            form.sheet.data or None,
            form.tag.data or None,
            STATUS_SCOPES[form.status.data],
            all_revisions=form.revisions.data == "all",
            # The file leaves the site: links must be absolute, as ``quiz export`` makes them.
            base_url=current_app.config.get("SITE_URL") or request.host_url,
        )
    except NotFound:
        abort(404)
    if not result.file.count:
        return _export_page(form, nothing=_nothing_message(form, result.selected)), 404
    response = send_file(
        io.BytesIO(result.file.content),
        mimetype=MIMETYPES[form.format.data],
        as_attachment=True,
        download_name=_file_name(form.sheet.data or "all", form.format.data),
    )
    response.headers["X-Quiz-Exported"] = str(result.file.count)
    response.headers["X-Quiz-Skipped"] = str(len(result.file.skipped))
    return response


@bp.route("/import", methods=["GET", "POST"])
@instructor_required
def import_questions() -> ResponseReturnValue:
    """Add the questions of an uploaded file as drafts, or list every error and add none."""
    limit = _upload_limit()
    if request.method == "POST" and (request.content_length or 0) > limit + FORM_OVERHEAD_BYTES:
        return _too_large(limit)
    form = _import_form()
    submitted = form.validate_on_submit()
    if not submitted:
        if "csrf_token" in form.errors:  # a stale or forged form: no page to show again
            abort(400)
        return _import_page(form), (400 if request.method == "POST" else 200)
    data = form.file.data.read(limit + 1)
    if len(data) > limit:
        return _too_large(limit)
    file_name = form.file.data.filename or ""
    format_name = form.format.data or exchange.format_for_path(file_name)
    if format_name not in exchange.IMPORT_FORMATS:
        form.format.errors = [_format_problem(format_name)]
        return _import_page(form), 400
    try:
        report = importing.import_questions(format_name, data, form.sheet.data or None)
    except exchange.ImportErrors as errors:
        db.session.rollback()
        # The services report in English (as ``quiz import`` prints): the page translates.
        shown = [(line, translate(message, _)) for line, message in errors.errors]
        return _import_page(form, file_name=file_name, errors=shown), 400
    db.session.commit()
    imported = importing.imported_questions(report.question_ids)
    fresh = _import_form(empty=True)
    return _import_page(fresh, file_name=file_name, report=report, imported=imported)


@bp.errorhandler(RequestEntityTooLarge)
def request_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Over ``MAX_CONTENT_LENGTH``: the import page says so (the CSRF check reads the body
    before any view, so the view itself never sees such a request)."""
    if request.endpoint == "author.import_questions" and _is_instructor():
        return _too_large(_upload_limit())
    return handle_http_error(error)


def _is_instructor() -> bool:
    """Whether the request comes from a logged-in instructor."""
    return bool(current_user.is_authenticated and current_user.is_instructor)


def _format_problem(format_name: str | None) -> str:
    """Why a file's format cannot be read: unknown, or a format quiz only writes."""
    if format_name is None:
        return str(_("Choose the file's format: its extension does not say."))
    return str(
        _(
            "%(format)s files cannot be imported: choose a GIFT, Moodle XML, CSV or JSON file.",
            format=str(FORMAT_NAMES.get(format_name, format_name)),
        )
    )


def _import_form(empty: bool = False) -> ImportForm:
    """The import form, its sheets those in the database."""
    sheets, _tags = exporting.export_choices()
    return import_form(sheets, empty=empty)


def _export_form() -> ExportForm:
    """The export form read from the query string, its choices those in the database."""
    formdata = request.args.copy()
    # A link may give the format alone: the scopes then keep their defaults.
    formdata.setdefault("status", "approved")
    formdata.setdefault("revisions", "latest")
    sheets, tags = exporting.export_choices()
    return export_form(formdata, sheets, [(tag, topic_label(tag)) for tag in tags])


def _export_page(form: ExportForm, nothing: str | None = None) -> str:
    """The export page, with ``nothing`` saying why no file came when it did not."""
    return render_template("author/export.html", form=form, nothing=nothing)


def _nothing_message(form: ExportForm, selected: int) -> str:
    """Why no file: nothing matched, or nothing matched that the format can hold."""
    if selected:
        return str(
            _(
                "None of the %(num)d matching questions can be written as %(format)s:"
                " try another format.",
                num=selected,
                format=str(FORMAT_NAMES[form.format.data]),
            )
        )
    return str(_("No question matches this selection: no file was made."))


def _file_name(slug: str, format_name: str) -> str:
    """``quiz-<sheet slug or all>-<UTC date>.<extension>``."""
    return f"quiz-{slug}-{utcnow().date().isoformat()}.{EXTENSIONS[format_name]}"


def _upload_limit() -> int:
    """The largest file accepted: the app's ``MAX_CONTENT_LENGTH`` if set, else 5 MB."""
    configured = current_app.config.get("MAX_CONTENT_LENGTH")
    return int(configured) if configured else MAX_UPLOAD_BYTES


def _too_large(limit: int) -> ResponseReturnValue:
    """The import page refusing a file over ``limit`` bytes (413), nothing read further."""
    message = _("This file is larger than %(size)s: nothing was imported.", size=size_text(limit))
    return _import_page(_import_form(empty=True), too_large=message), 413


def _import_page(form: ImportForm, **context: Any) -> str:
    """The import page; ``context`` holds errors, or what an import added."""
    return render_template(
        "author/import.html",
        form=form,
        queue_url=_queue_url,
        limit_text=size_text(_upload_limit()),
        **context,
    )


def _queue_url(question: importing.ImportedQuestion) -> str:
    """The review queue page showing an imported draft, scrolled to it."""
    page = question.drafts_before // approval.QUEUE_PAGE_SIZE + 1
    return url_for(
        "author.questions",
        sheet=question.sheet,
        revision=question.revision,
        status=STATUS_DRAFT,
        page=page,
        _anchor=f"question-{question.id}",
    )
