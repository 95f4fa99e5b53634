"""gunicorn's settings for this app: ``gunicorn --config python:quiz.gunicorn_config``.

`make run` and the systemd unit of ``docs/deploy.md`` pass it; the address and
the number of workers stay on their command lines.

A worker whose master died (``kill -9``, an out-of-memory kill) must not serve
on: it would keep the port, so that a new master cannot bind it, and answer
with whatever state it had. gunicorn's workers notice a new parent only between
two waits for a connection, up to half the worker timeout (15 s by default);
here each worker also watches its parent, stops itself within
``PARENT_CHECK_INTERVAL_S`` and, once its last request is done, exits at once.

Workers are gevent's: one worker process holds hundreds of live sessions'
event streams (``/api/v1/live/<code>/events``) and their phones' answer
POSTs, each waiting request a greenlet, not a thread. gevent patches the
standard library here, before anything else is imported, because the app is
preloaded in the master: locks and sockets made at import (SQLAlchemy's
connection pool, the queue's client) must be gevent's, or a request waiting
for a pooled connection would block its whole worker. psycopg 3 and the
SQLite write gate wait cooperatively once patched (psycopg2 would not).
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import logging  # noqa: E402  (after the patch, on purpose)
import os  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

PARENT_CHECK_INTERVAL_S = 0.25
STOP_CHECK_INTERVAL_S = 0.25

worker_class = "gevent"
# Each phone holds an event stream and a kept-alive connection for its answers:
# 2 connections a student, a school's worth of them per worker.
worker_connections = 4000
# gunicorn's default (2 s) closes the idle connection between two questions,
# and the phone's next answer POST may go out on the closing socket and be
# lost; a minute and more covers a question's time. (Phones retry anyway:
# answers are idempotent.)
keepalive = 120

# Listening sockets already get SO_REUSEADDR from gunicorn, so a new master
# binds past connections left in TIME_WAIT. ``reuse_port`` stays off on purpose:
# it would let a new master share the port with orphans instead of replacing them.
reuse_port = False

# The app is imported once, in the master, before the workers fork: a start (or a
# restart after a crash) serves in about one import's time instead of two in
# parallel on a busy machine, and the workers share its memory. ``create_app``
# opens no database connection, so no worker inherits one.
preload_app = True

# gunicorn's control socket (for ``gunicornc``) is one path per user by default:
# a second instance on the machine, or a master killed with its socket left
# behind, would contend for it. The app does not use it.
control_socket_disable = True


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: start the thread that stops it once its master is gone."""
    watcher = threading.Thread(
        target=stop_when_orphaned,
        args=(worker.ppid,),
        name="master-watch",
        daemon=True,
    )
    watcher.start()


def post_worker_init(worker: Any) -> None:
    """In each worker, once ready: end its event streams as soon as it is told to stop.

    A stream never ends by itself; without this, a worker told to stop would
    wait its whole graceful timeout (30 s) for its streams before exiting.
    """
    watcher = threading.Thread(
        target=close_streams_when_stopping,
        args=(worker,),
        name="stop-watch",
        daemon=True,
    )
    watcher.start()


def close_streams_when_stopping(worker: Any) -> None:
    """Wait until the worker stops being alive, then end this process's live event streams."""
    while worker.alive:
        time.sleep(STOP_CHECK_INTERVAL_S)
    from quiz.services.classroom.push import close_streams

    close_streams()


def stop_when_orphaned(master_pid: int) -> None:
    """Wait until this process's parent is no longer ``master_pid``, then stop gracefully.

    SIGTERM is gunicorn's graceful stop: the worker finishes the request it is
    serving, if any, and exits (the signal also wakes it from its wait).
    """
    while os.getppid() == master_pid:
        time.sleep(PARENT_CHECK_INTERVAL_S)
    os.kill(os.getpid(), signal.SIGTERM)


def worker_exit(server: Any, worker: Any) -> None:
    """In a worker that stops: an orphan exits now, skipping the interpreter's teardown.

    Tearing the interpreter down (freeing every module and object) took 2 s of
    CPU on a busy two-core machine, all the while holding the listening port.
    An orphan has nothing left to hand over: its requests are done, SQLite's
    and PostgreSQL's connections are safe to drop, the log is flushed here.
    """
    if os.getppid() != worker.ppid:
        logging.shutdown()
        os._exit(0)
