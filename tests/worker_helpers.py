"""Real queue workers (``quiz worker``) and ``redis-server`` started by the tests.

A worker is a child process on the test's SQLite file and instance folder,
exactly as ``make run`` starts one beside gunicorn; the tests wait for its
"ready" line (spaCy loaded) and follow jobs through the status endpoint.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser_helpers import free_port
from conftest import REPO_ROOT, database_url, take_snapshot
from flask import Flask
from flask.testing import FlaskClient

# Tests beat fast so that a killed worker is found dead within seconds.
HEARTBEAT_SECONDS = 0.5
WORKER_READY_S = 180.0  # spaCy's model loads in seconds, more on a busy machine


def write_instance_config(instance: Path, **settings: Any) -> None:
    """An instance ``config.py`` for the worker (the test's app gets the same settings)."""
    instance.mkdir(parents=True, exist_ok=True)
    lines = [f"{name} = {value!r}" for name, value in settings.items()]
    (instance / "config.py").write_text("\n".join(lines) + "\n")


@contextmanager
def running_worker(
    instance: Path, database: Path, log: Path, **environment: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``quiz worker`` on ``database``; yields once it is ready, stops it (SIGINT) after."""
    env = {
        **os.environ,
        "QUIZ_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url(database),
        **environment,
    }
    with log.open("ab") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "quiz", "worker"],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=output,
        )
    try:
        wait_until_ready(worker, log)
        yield worker
    finally:
        stop(worker)


def wait_until_ready(worker: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for the worker's "ready" line; fail with its log if it exits first."""
    deadline = time.monotonic() + WORKER_READY_S
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited:\n{log.read_text()}")
        if " ready" in log.read_text():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker was not ready in time:\n{log.read_text()}")


def stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop the worker as Ctrl-C does; kill it if it does not go."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def job_statuses(
    client: FlaskClient, job_url: str, until: tuple[str, ...], timeout: float
) -> list[dict[str, Any]]:
    """Poll the job's status until its state is one of ``until``; every status seen."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"{job_url}/status")
        assert response.status_code == 200, response.get_data(as_text=True)
        seen.append(response.get_json())
        if seen[-1]["state"] in until:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"the job never reached {until}: last {seen[-1:]}")


def rows_but_jobs(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the jobs' own."""
    return {name: rows for name, rows in take_snapshot(app).items() if name != "import_jobs"}


@contextmanager
def running_redis(folder: Path) -> Iterator[str]:
    """A throwaway ``redis-server`` on a free loopback port, no persistence; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    """Wait until something accepts connections on ``port``."""
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("redis-server exited")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("redis-server did not listen in time")
