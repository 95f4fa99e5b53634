"""The import job: one uploaded sheet file on its way into the database.

The web writes the row (with the file's bytes) and queues its id; the worker
moves it from ``queued`` to ``running`` to ``done`` or ``failed``, counting
the paragraphs it has read. The bytes stay until the import succeeds, so a
failed job can be retried without uploading again; they live in the database
rather than on disk because the worker may run on another machine.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_DONE = "done"
JOB_FAILED = "failed"
JOB_STATES = (JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED)
# Jobs a worker has yet to finish: a second upload of the same revision must wait.
ACTIVE_STATES = (JOB_QUEUED, JOB_RUNNING)


class ImportJob(db.Model):  # type: ignore[name-defined,misc]
    """An uploaded sheet to import as revision ``label`` of sheet ``slug``."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint(
            "state IN ('" + "', '".join(JOB_STATES) + "')",
            name="state",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=JOB_QUEUED, index=True)
    slug: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(500))
    lang: Mapped[str | None] = mapped_column(String(16))
    new_sheet: Mapped[bool] = mapped_column(Boolean, default=False)
    approve: Mapped[bool] = mapped_column(Boolean, default=False)
    # Only the extension matters (it picks the reader); the name is shown on the page.
    file_name: Mapped[str] = mapped_column(String(300))
    # Deferred: the status endpoint, polled every second, never loads megabytes.
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    paragraphs_read: Mapped[int] = mapped_column(Integer, default=0)
    paragraphs_total: Mapped[int | None] = mapped_column(Integer)
    # Why it failed, in English (the pipeline's words); the page translates it.
    reason: Mapped[str | None] = mapped_column(Text)
    # The worker running it ("host:pid:start"), to tell a dead worker's job.
    worker: Mapped[str | None] = mapped_column(String(300))
    tries: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def extension(self) -> str:
        """The file's extension in lower case (``.md``, ``.pdf``…)."""
        return "." + self.file_name.rsplit(".", 1)[-1].lower() if "." in self.file_name else ""

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.slug}/{self.label} {self.state}>"
