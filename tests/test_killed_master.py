"""``kill -9`` of gunicorn's master: its workers stop at once and a restart serves on the port."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from browser_helpers import free_port
from conftest import database_url, make_empty_app
from server_helpers import server_environment, start_gunicorn, stop_server, wait_until_serving

from quiz.extensions import db

pytestmark = pytest.mark.slow

# "Within a few seconds" for the orphans; the restart's budget counts from the kill.
ORPHANS_GONE_WITHIN_S = 3.0
RESTART_SERVES_WITHIN_S = 10.0


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def is_running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_gone(pids: list[int], timeout_s: float) -> float:
    """Seconds until none of ``pids`` runs; fail past ``timeout_s``."""
    started = time.monotonic()
    while any(is_running(pid) for pid in pids):
        elapsed = time.monotonic() - started
        if elapsed > timeout_s:
            still = [pid for pid in pids if is_running(pid)]
            pytest.fail(f"workers {still} still run {elapsed:.1f} s after their master died")
        time.sleep(0.05)
    return time.monotonic() - started


def booted_workers(master: int, count: int, within_s: float = 10.0) -> list[int]:
    """The master's workers once ``count`` of them run (one may boot after the first
    serves, on a busy machine), or those running when ``within_s`` has passed."""
    deadline = time.monotonic() + within_s
    workers = children_of(master)
    while len(workers) < count and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = children_of(master)
    return workers


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_a_killed_master_leaves_no_worker_and_a_restart_serves(tmp_path: Path) -> None:
    database = tmp_path / "quiz.sqlite"
    with make_empty_app(database).app_context():
        db.engine.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = server_environment(database_url(database), tmp_path / "instance")
    log = tmp_path / "gunicorn.log"
    first = start_gunicorn(port, env, log)
    try:
        wait_until_serving(url, first, log)
        workers = booted_workers(first.pid, 2)
        assert len(workers) == 2, log.read_text()
        os.kill(first.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        first.wait(timeout=10)
        gone_after = wait_until_gone(workers, ORPHANS_GONE_WITHIN_S)
    finally:
        stop_server(first)  # whatever is left of its process group
    second = start_gunicorn(port, env, log)
    try:
        wait_until_serving(url, second, log, timeout_s=RESTART_SERVES_WITHIN_S)
        serves_after = time.monotonic() - killed_at
    finally:
        stop_server(second)
    print(f"orphans gone after {gone_after:.2f} s; restart served {serves_after:.2f} s after kill")
    assert serves_after < RESTART_SERVES_WITHIN_S
