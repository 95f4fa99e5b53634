"""What the README tells a new user to type: ``make run`` serves the imported sheets."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import BUILTIN_SHEET_TITLE, REPO_ROOT, database_url
from server_helpers import stop_server

pytestmark = pytest.mark.slow

STARTUP_TIMEOUT_S = 120


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str] | None:
    """``(status, body)`` of a GET, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for_page(url: str, server: subprocess.Popen[bytes], log: Path) -> str:
    """Poll ``url`` until it answers 200; fail if the server dies or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        answer = fetch(url)
        if answer is not None and answer[0] == 200:
            return answer[1]
        if server.poll() is not None:
            pytest.fail(f"make run exited with {server.returncode}:\n{log.read_text()}")
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer 200 within {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_the_builtin_sheet(tmp_path: Path) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # Not a sub-make of a `make test` that may be running us.
        if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    env["DATABASE_URL"] = database_url(tmp_path / "run.sqlite")
    env["QUIZ_INSTANCE_PATH"] = str(tmp_path / "instance")
    log = tmp_path / "make-run.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
        )
        try:
            page = wait_for_page(f"http://127.0.0.1:{port}/", server, log)
        finally:
            stop_server(server)  # make and everything it started: its process group
    assert BUILTIN_SHEET_TITLE in page
    # The sheet came from DATABASE_URL's database, not the instance folder's default file.
    assert not (tmp_path / "instance" / "quiz.sqlite").exists()
