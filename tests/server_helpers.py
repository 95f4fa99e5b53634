"""Real gunicorn servers for fault tests: started as ``make run`` starts them, on a free port.

The tests that use these helpers talk HTTP to separate processes (urllib), so
that what they measure (a worker stuck on a lock, a master killed) happens as
in production, not inside the test's own process.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
# What `make run` passes to gunicorn besides the address and the worker count.
GUNICORN_CONFIG = "python:quiz.gunicorn_config"
APP = "quiz:create_app()"


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, headers, body text, and how long it took."""

    status: int
    headers: Mapping[str, str]
    text: str
    seconds: float

    def json(self) -> Any:
        """The body read as JSON."""
        return json.loads(self.text)


def gunicorn_command(port: int, workers: int = 2) -> list[str]:
    """The gunicorn command line of `make run`, on 127.0.0.1:``port``."""
    return [
        str(GUNICORN),
        "--config",
        GUNICORN_CONFIG,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        APP,
    ]


def server_environment(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The test's environment with the database and instance folder the server must use."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, QUIZ_INSTANCE_PATH=str(instance), **extra)
    # The worktree's code, whatever the installed package points at.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def start_gunicorn(port: int, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn in its own process group, its output in ``log``."""
    with log.open("ab") as output:
        return subprocess.Popen(
            gunicorn_command(port),
            cwd=REPO_ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_serving(
    url: str, server: subprocess.Popen[bytes], log: Path, timeout_s: float = 60
) -> float:
    """Poll ``url`` until it answers 200; the seconds it took. Fails if the server dies."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            if request("GET", url, timeout_s=2).status == 200:
                return time.monotonic() - started
        except OSError:
            pass  # not listening yet
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        time.sleep(0.1)
    pytest.fail(f"{url} did not answer 200 within {timeout_s} s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers (the whole process group)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def request(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
    timeout_s: float = 30,
) -> Reply:
    """Send one request; an error status is a ``Reply`` too, never an exception."""
    data = None
    sent_headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        sent_headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
    prepared = urllib.request.Request(url, data=data, headers=sent_headers, method=method)
    started = time.monotonic()
    try:
        with (opener or NO_REDIRECTS).open(prepared, timeout=timeout_s) as response:
            status, reply_headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, reply_headers, body = error.code, error.headers, error.read()
    return Reply(status, dict(reply_headers), body.decode(), time.monotonic() - started)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is (a 302 after a form is the success to check)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def browser_opener() -> urllib.request.OpenerDirector:
    """An opener that keeps cookies (a session, its CSRF token) and does not follow redirects."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
    )


NO_REDIRECTS = urllib.request.build_opener(_NoRedirects())
