"""The queue the web hands imports to, and the heartbeats of the workers that run them.

huey, bound to the app: on a SQLite file in the instance folder by default
(nothing to install or start), on Redis when ``REDIS_URL`` is set (web and
workers on several machines). With ``QUEUE_IMMEDIATE`` on, a job runs at once
in the process that queued it (tests of the pages, a laptop without a worker).

Each worker writes a heartbeat into the queue's own storage every
``QUEUE_HEARTBEAT_SECONDS``; a worker silent for ``STALE_AFTER_BEATS`` beats is
dead, and so are the jobs it was running (``services.library.import_jobs``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

from ..services.health import CheckResult, register_check

QUEUE_NAME = "quiz"
QUEUE_FILE_NAME = "queue.sqlite"
DEFAULT_HEARTBEAT_SECONDS = 2.0
# A worker busy with spaCy still beats (its heartbeat is a thread of its own):
# five beats missed means it is gone, not slow.
STALE_AFTER_BEATS = 5
ANY_WORKER = "any"
EXTENSION_KEY = "quiz_queue"


class JobQueue:
    """The app's huey instance and its one task, the import of an uploaded sheet."""

    def __init__(self, app: Flask, run_job: Callable[[int, str | None], None]) -> None:
        self.app = app
        # What a job does (``services.library.import_jobs.run_job``), given by the factory:
        # that service queues jobs here, so this module does not import it back.
        self._run_job = run_job
        self.heartbeat_seconds = float(
            app.config.get("QUEUE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS)
        )
        # Set by ``quiz worker``; jobs run in the web process (immediate mode) have none.
        self.worker_id: str | None = None
        self._huey: Huey | None = None
        self._import_task: Any = None
        self._making = threading.Lock()

    @property
    def huey(self) -> Huey:
        """The huey instance, made on first use: creating the app opens no queue."""
        with self._making:
            if self._huey is None:
                huey = make_huey(self.app.config, self.app.instance_path)
                self._import_task = huey.task(name="import_sheet")(self._run_import)
                self._huey = huey
            return self._huey

    def enqueue_import(self, job_id: int) -> None:
        """Queue the import job ``job_id`` (run at once in immediate mode)."""
        self.huey  # noqa: B018  (made on first use, with its task)
        self._import_task(job_id)

    def _run_import(self, job_id: int) -> None:
        """The task: run the job in an app context of its own."""
        with self.app.app_context():
            self._run_job(job_id, self.worker_id)

    def beat(self, worker_id: str) -> None:
        """Record that ``worker_id`` is alive now (and so that some worker is)."""
        now = time.time()
        self.huey.put(_heartbeat_key(worker_id), now)
        self.huey.put(_heartbeat_key(ANY_WORKER), now)

    def alive(self, worker_id: str = ANY_WORKER) -> bool:
        """Whether ``worker_id`` (by default: any worker) has beaten lately."""
        last = self.huey.get(_heartbeat_key(worker_id), peek=True)
        stale_after = self.heartbeat_seconds * STALE_AFTER_BEATS
        return last is not None and time.time() - float(last) < stale_after


def make_huey(config: Any, instance_path: str) -> Huey:
    """Redis when ``REDIS_URL`` is set, else a SQLite file in the instance folder."""
    immediate = bool(config.get("QUEUE_IMMEDIATE"))
    redis_url = str(config.get("REDIS_URL") or "")
    if redis_url:
        return RedisHuey(QUEUE_NAME, url=redis_url, results=False, immediate=immediate)
    filename = Path(instance_path) / QUEUE_FILE_NAME
    return SqliteHuey(QUEUE_NAME, filename=str(filename), results=False, immediate=immediate)


def init_queue(app: Flask, run_job: Callable[[int, str | None], None]) -> None:
    """Bind a job queue running ``run_job(job_id, worker_id)`` to ``app`` (nothing is
    connected until a job is queued), and have ``/healthz`` say whether a worker runs it."""
    app.extensions[EXTENSION_KEY] = JobQueue(app, run_job)
    register_check(app, "queue", queue_worker_beating)


def queue_worker_beating() -> CheckResult:
    """The health check: a queue worker has beaten lately, or jobs run in the request."""
    if current_app.config.get("QUEUE_IMMEDIATE"):
        return CheckResult(True, "jobs run in the request")
    if queue_worker_alive():
        return CheckResult(True)
    return CheckResult(False, "no queue worker: uploads wait (start quiz worker)")


def job_queue() -> JobQueue:
    """The current app's job queue."""
    queue: JobQueue = current_app.extensions[EXTENSION_KEY]
    return queue


def queue_worker_alive() -> bool:
    """Whether a queue worker has beaten lately (for ``/healthz``)."""
    return job_queue().alive()


def worker_identity() -> str:
    """``host:pid:start``: names this worker process in heartbeats and in the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}:{int(time.time())}"


def _heartbeat_key(worker_id: str) -> str:
    """The storage key of a worker's heartbeat."""
    return f"heartbeat:{worker_id}"
