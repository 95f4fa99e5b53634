"""An upload's background import: a page with its progress bar, its status as JSON, a retry.

The page polls the status (``static/import-progress.js``) and moves on by
itself: to the revision once the job is done, to the reason once it failed.
Without JavaScript, reloading the page does the same.
"""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...jobs.model import JOB_DONE, JOB_FAILED, ImportJob
from ...services.errors import NotFound
from ...services.library import import_jobs
from ...services.library.sheet_pages import find_revision
from .blueprint import bp, instructor_required
from .sheets import announce_import, reason_text


@bp.get("/jobs/<int:job_id>")
@instructor_required
def import_job(job_id: int) -> ResponseReturnValue:
    """The job's progress; once it is done, the new revision's page."""
    job = _job_or_404(job_id)
    if job.state == JOB_DONE:
        try:
            revision = find_revision(job.slug, job.label)
        except NotFound:  # imported, then deleted
            abort(404)
        announce_import(revision)
        return redirect(url_for(".sheet", slug=job.slug, label=job.label), code=303)
    return _job_page(job)


@bp.get("/jobs/<int:job_id>/status")
@instructor_required
def import_job_status(job_id: int) -> ResponseReturnValue:
    """The job's state and paragraphs read, as JSON, for the page's progress bar."""
    job = _job_or_404(job_id)
    return jsonify(
        state=job.state,
        paragraphs_read=job.paragraphs_read,
        paragraphs_total=job.paragraphs_total,
        reason=reason_text(job.reason) if job.state == JOB_FAILED and job.reason else None,
        next=url_for(".import_job", job_id=job.id),
    )


@bp.post("/jobs/<int:job_id>/retry")
@instructor_required
def retry_import_job(job_id: int) -> ResponseReturnValue:
    """Queue a failed job again, with the file it kept."""
    try:
        job = import_jobs.retry_job(job_id)
    except NotFound:
        abort(404)
    except import_jobs.QueueUnavailable:
        message = _("The import could not be queued: nothing was stored. Try again in a moment.")
        return _job_page(_job_or_404(job_id), refusal=message), 503
    except import_jobs.NotRetryable as error:
        message = (
            _("This revision has been imported meanwhile.")
            if "meanwhile" in error.message
            else _("Only a failed import can be retried.")
        )
        return _job_page(_job_or_404(job_id), refusal=message), 409
    return redirect(url_for(".import_job", job_id=job.id), code=303)


def _job_or_404(job_id: int) -> ImportJob:
    """The job, its state brought up to date, or the 404 page."""
    try:
        return import_jobs.find_job(job_id)
    except NotFound:
        abort(404)


def _job_page(job: ImportJob, refusal: str | None = None) -> str:
    """The page of a queued, running or failed job."""
    reason = reason_text(job.reason) if job.state == JOB_FAILED and job.reason else None
    return render_template("author/import_job.html", job=job, reason=reason, refusal=refusal)
