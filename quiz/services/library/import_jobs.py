"""Uploaded sheets imported in the background: queue a job, run it, report, retry.

The web records the upload as an ``ImportJob`` and queues it (``queue_import``):
the page answers at once. A worker runs it (``run_job``) with the same code as
``quiz import-file`` (``services.library.sheet_files``): everything is generated before
the first write and stored in one transaction, so a sheet refused or a worker
killed mid-import leaves neither rows nor file. Progress (paragraphs read of
the total) is written as spaCy parses. A job whose worker stopped beating is
failed by whoever looks first (``fail_orphaned_jobs``), and a failed job can be
retried with the bytes it kept.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from ...extensions import db
from ...jobs.model import ACTIVE_STATES, JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, ImportJob
from ...jobs.queue import job_queue
from ...models import utcnow
from ..errors import NotFound, ServiceError
from .sheet_files import import_sheet_file
from .uploads import STAGING_FOLDER, Upload, UploadRejected, discard, label_taken, stored_path
from .uploads import uploads_folder as uploads_root

# The reasons a job fails for other than its sheet (translated by the page).
INTERRUPTED = "the import was interrupted: its worker stopped"
FAILED = "the import failed"
UNQUEUED = "the import queue is unreachable"
# Progress is written at most this often: a row update per paragraph would be
# thousands of commits for a long sheet.
PROGRESS_INTERVAL_S = 0.5


class ImportInProgress(ServiceError):
    """The same revision is already queued or being imported (a 409)."""


class NotRetryable(ServiceError):
    """Only a failed job whose revision is still free can be retried (a 409)."""


class QueueUnavailable(ServiceError):
    """The queue (Redis, or its SQLite file) refused the job: it is marked failed (a 503)."""


def queue_import(upload: Upload, approve: bool) -> ImportJob:
    """Record ``upload`` as a job and queue it; ``ImportInProgress`` if its revision is."""
    if active_job(upload.slug, upload.label) is not None:
        raise ImportInProgress("this revision is already being imported")
    job = ImportJob(
        slug=upload.slug,
        label=upload.label,
        title=upload.title,
        lang=upload.lang,
        new_sheet=upload.new_sheet,
        approve=approve,
        file_name=upload.file_name,
        data=upload.data,
    )
    db.session.add(job)
    db.session.commit()
    _enqueue(job)
    return job


def active_job(slug: str, label: str) -> ImportJob | None:
    """The queued or running job importing revision ``label`` of ``slug``, if any."""
    query = select(ImportJob).where(
        ImportJob.slug == slug, ImportJob.label == label, ImportJob.state.in_(ACTIVE_STATES)
    )
    return db.session.scalars(query).first()


def find_job(job_id: int) -> ImportJob:
    """The job ``job_id``, its state brought up to date; ``NotFound`` if there is none."""
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound("no such import")
    if job.state == JOB_RUNNING and not _worker_alive(job.worker):
        fail_orphaned_jobs()
        db.session.refresh(job)
    return job


def retry_job(job_id: int) -> ImportJob:
    """Queue the failed job ``job_id`` again; ``NotRetryable`` unless it can be."""
    job = find_job(job_id)
    if job.state != JOB_FAILED or job.data is None:
        raise NotRetryable("only a failed import can be retried")
    if label_taken(job.slug, job.label) or active_job(job.slug, job.label) is not None:
        raise NotRetryable("this revision has been imported meanwhile")
    job.state, job.reason, job.worker = JOB_QUEUED, None, None
    job.paragraphs_read, job.paragraphs_total = 0, None
    db.session.commit()
    _enqueue(job)
    return job


def run_job(job_id: int, worker_id: str | None) -> None:
    """Import the job's sheet; mark it done, or failed with the reason (nothing stored)."""
    # Claimed in one statement: a job delivered twice is run once.
    claim = (
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.state == JOB_QUEUED)
        .values(state=JOB_RUNNING, worker=worker_id, tries=ImportJob.tries + 1, started_at=utcnow())
    )
    claimed = cast(CursorResult[Any], db.session.execute(claim)).rowcount == 1
    db.session.commit()
    job = db.session.get(ImportJob, job_id)
    if not claimed or job is None:
        return  # gone, or failed or run meanwhile: not this task's
    try:
        _import(job)
    except UploadRejected as error:
        _finish(job_id, JOB_FAILED, reason=error.message)
    except Exception:
        current_app.logger.exception("import job %s failed", job_id)
        _finish(job_id, JOB_FAILED, reason=FAILED)
    else:
        _finish(job_id, JOB_DONE)


def fail_orphaned_jobs() -> int:
    """Fail the running jobs whose worker stopped beating; return how many.

    Their import never committed (or it did, just before the worker died: then
    the job is done). A copy of the file they stored is removed.
    """
    running = db.session.scalars(select(ImportJob).where(ImportJob.state == JOB_RUNNING))
    orphans = [job for job in running if not _worker_alive(job.worker)]
    for job in orphans:
        if label_taken(job.slug, job.label):
            _finish(job.id, JOB_DONE)
            continue
        discard(stored_path(current_app.instance_path, job.slug, job.label, job.extension))
        shutil.rmtree(_staging_folder(job.id), ignore_errors=True)
        _finish(job.id, JOB_FAILED, reason=INTERRUPTED)
    return len(orphans)


def _enqueue(job: ImportJob) -> None:
    """Queue ``job``; ``QueueUnavailable`` (the job failed, retryable) if the queue refuses."""
    try:
        job_queue().enqueue_import(job.id)
    except Exception as error:  # redis.ConnectionError, sqlite3.OperationalError…
        current_app.logger.error("import job %s could not be queued: %s", job.id, error)
        _finish(job.id, JOB_FAILED, reason=UNQUEUED)
        raise QueueUnavailable("the import queue is unreachable") from error
    db.session.refresh(job)  # in immediate mode the job has run meanwhile


def _import(job: ImportJob) -> None:
    """Stage the job's bytes under the file's stored name and import them."""
    staging = _staging_folder(job.id)
    shutil.rmtree(staging, ignore_errors=True)  # left by a worker killed on this job
    staging.mkdir(parents=True)
    try:
        # Named as it will be stored: the revision keeps the file's name.
        staged = staging / f"{job.label}{job.extension}"
        staged.write_bytes(job.data or b"")
        try:
            import_sheet_file(
                staged,
                job.slug,
                job.label,
                title=job.title,
                lang=job.lang,
                new_sheet=job.new_sheet,
                approve=job.approve,
                progress=_progress_writer(job.id),
            )
        except UploadRejected as error:
            stored = stored_path(current_app.instance_path, job.slug, job.label, job.extension)
            reason = _without_paths(error.message, (staged, stored))
            raise UploadRejected(error.field, reason) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_folder(job_id: int) -> Path:
    """Where a job's bytes wait, named after it so a dead worker's leftovers are found."""
    return uploads_root(current_app.instance_path) / STAGING_FOLDER / f"job-{job_id}"


def _progress_writer(job_id: int) -> Callable[[int, int], None]:
    """A progress callback writing (read, total) to the job, at most every half second."""
    last_write = 0.0

    def write(read: int, total: int) -> None:
        nonlocal last_write
        now = time.monotonic()
        if read < total and now - last_write < PROGRESS_INTERVAL_S:
            return
        last_write = now
        # Its own connection and transaction: the import's session writes nothing until
        # the end, and must not commit anything half-done.
        with db.engine.begin() as connection:
            connection.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(paragraphs_read=read, paragraphs_total=total)
            )

    return write


def _finish(job_id: int, state: str, reason: str | None = None) -> None:
    """Mark the job ``state``; a done job drops its bytes, a failed one keeps them to retry."""
    db.session.rollback()
    values: dict[str, object] = {"state": state, "reason": reason, "finished_at": utcnow()}
    if state == JOB_DONE:
        values["data"] = None
    db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))
    db.session.commit()


def _worker_alive(worker_id: str | None) -> bool:
    """Whether the worker running a job still beats (a job run in the web process: yes)."""
    return worker_id is None or job_queue().alive(worker_id)


def _without_paths(message: str, paths: tuple[Path, ...]) -> str:
    """The pipeline's reason without the server's file path it starts with."""
    for path in paths:
        message = message.removeprefix(f"{path}: ")
    return message
