"""``quiz worker``: run the import jobs the web queues, until Ctrl-C or SIGTERM.

The worker loads spaCy once, before taking its first job, and keeps it. A
thread of its own beats every ``QUEUE_HEARTBEAT_SECONDS`` (spaCy holds the
main work, not the heartbeat), and at each beat fails the jobs of workers
that stopped beating: a worker killed mid-import (``kill -9``, the OOM
killer) leaves its job failed, with nothing written, ready to retry.
"""

from __future__ import annotations

import logging
import os
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .queue import JobQueue, job_queue, worker_identity

DEFAULT_NICENESS = 10


@click.command("worker")
@click.option("--threads", default=1, show_default=True, help="Jobs run at the same time.")
@with_appcontext
def worker_command(threads: int) -> None:
    """Run the background import jobs (spaCy is loaded once, at start)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = job_queue()
    queue.worker_id = worker_identity()
    # An import may take minutes of CPU: on a machine it shares with gunicorn, the
    # pages come first (QUEUE_WORKER_NICE, default 10; 0 keeps the priority).
    os.nice(int(app.config.get("QUEUE_WORKER_NICE", DEFAULT_NICENESS)))
    load_pipeline()
    stop = threading.Event()
    beating = threading.Thread(target=keep_beating, args=(app, queue, stop), daemon=True)
    sweep_orphans(app)
    queue.beat(queue.worker_id)
    beating.start()
    click.echo(f"Worker {queue.worker_id} ready", err=True)
    consumer = queue.huey.create_consumer(workers=threads, worker_type="thread", periodic=False)
    try:
        consumer.run()
    finally:
        stop.set()


def load_pipeline() -> None:
    """Load spaCy and the French model now, so the first job does not wait for them."""
    from ..generate.nlp import pipeline_for  # the pipeline: the worker only

    for lang in ("fr", "en"):
        pipeline_for(lang)


def keep_beating(app: Flask, queue: JobQueue, stop: threading.Event) -> None:
    """Beat until ``stop``; at each beat, fail the jobs of workers that have died."""
    assert queue.worker_id is not None
    while not stop.wait(queue.heartbeat_seconds):
        try:
            queue.beat(queue.worker_id)
            sweep_orphans(app)
        except Exception:  # a storage hiccup must not stop the heartbeat for good
            app.logger.exception("worker heartbeat failed")


def sweep_orphans(app: Flask) -> None:
    """Fail the jobs whose worker stopped beating (in an app context of its own)."""
    from ..services.library.import_jobs import fail_orphaned_jobs

    with app.app_context():
        failed = fail_orphaned_jobs()
    if failed:
        app.logger.warning("failed %d import job(s) left by a stopped worker", failed)
