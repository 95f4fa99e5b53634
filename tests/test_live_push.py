"""Live events pushed by a real gunicorn with two gevent workers, as `make run` starts it.

Many event streams are opened on one session; the kernel spreads them over
both workers (the test checks, from /proc, which worker holds each one). The
instructor's "next" reaches one worker; every stream, on either worker, must
get the new version within a second: through the watcher that reads the
versions every 100 ms (no other server), or through Redis pub/sub when
``REDIS_URL`` names a throwaway ``redis-server``.

More streams are opened than a worker's database pool holds connections
(5 + 10 overflow): were a waiting stream to keep its connection, the later
streams and the control itself would wait for the pool and time out.
"""

from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_helpers import free_port
from conftest import copy_database, database_url, make_imported_database
from server_helpers import (
    request,
    server_environment,
    start_gunicorn,
    stop_server,
    wait_until_serving,
)
from worker_helpers import running_redis

from quiz.models import ROLE_INSTRUCTOR
from quiz.services.accounts import users as accounts

pytestmark = pytest.mark.slow

PASSWORD = "correct horse"
STREAMS = 40  # more than the two workers' pools together (2 x 15)
EVENT_WITHIN_S = 1.0


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets and an instructor."""
    return make_imported_database(
        tmp_path_factory, seed=lambda: accounts.register("teacher", PASSWORD, role=ROLE_INSTRUCTOR)
    )


@dataclass
class Stream:
    """One event stream: its connection, and the versions it received with their times."""

    connection: http.client.HTTPConnection
    response: http.client.HTTPResponse
    versions: dict[int, float] = field(default_factory=dict)

    @property
    def local_port(self) -> int:
        """The client side's port (to find which worker holds the other side)."""
        return int(self.connection.sock.getsockname()[1])

    def read_until(self, version: int, stop: threading.Event) -> None:
        """Read events until ``version`` arrives (or the stream ends, or the test stops)."""
        while not stop.is_set() and version not in self.versions:
            line = self.response.fp.readline()
            if not line:
                return
            if line.startswith(b"id: "):
                self.versions[int(line[4:])] = time.monotonic()


def open_stream(port: int, code: str) -> Stream:
    """GET the session's events; the stream once its headers came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", f"/api/v1/live/{code}/events")
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type", "").startswith(
        "text/event-stream"
    )
    return Stream(connection, response)


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def holder_of(server_port: int, client_port: int, pids: list[int]) -> int | None:
    """The worker whose socket is the server side of the connection from ``client_port``."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        remote_port = int(fields[2].split(":")[1], 16)
        if (local_port, remote_port) == (server_port, client_port):
            inode = fields[9]
    if inode is None:
        return None
    for pid in pids:
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if descriptor.readlink().name == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its port and master's pid."""

    port: int
    pid: int

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(params=["poll", "redis"])
def server(request: pytest.FixtureRequest, seeded_database: Path, tmp_path: Path) -> Iterator[Server]:
    """gunicorn (two gevent workers) on a copy of the seeded database, with or without Redis."""
    database = copy_database(seeded_database, tmp_path / "quiz.sqlite")
    port = free_port()
    log = tmp_path / "gunicorn.log"
    extra: dict[str, str] = {}
    with running_redis_if(request.param == "redis", tmp_path) as redis_url:
        if redis_url:
            extra["REDIS_URL"] = redis_url
        env = server_environment(database_url(database), tmp_path / "instance", **extra)
        process = start_gunicorn(port, env, log)
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/api/v1/openapi.json", process, log)
            yield Server(port, process.pid)
        finally:
            stop_server(process)
        assert "Traceback" not in log.read_text(), log.read_text()


@contextmanager
def running_redis_if(wanted: bool, folder: Path) -> Iterator[str | None]:
    """``running_redis`` when ``wanted`` (skipped without redis-server), else no URL."""
    if not wanted:
        yield None
        return
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with running_redis(folder) as url:
        yield url


def test_an_event_reaches_the_streams_of_both_workers(server: Server) -> None:
    api = f"{server.url}/api/v1"
    credentials = {"username": "teacher", "password": PASSWORD}
    token = request("POST", f"{api}/auth/token", json_body=credentials).json()["token"]
    teacher = {"Authorization": f"Bearer {token}"}
    made = request(
        "POST", f"{api}/live", json_body={"sheet": "relations-otan-russie", "seconds": 30}, headers=teacher
    )
    assert made.status == 201, made.text
    session = made.json()

    streams = [open_stream(server.port, session["code"]) for _ in range(STREAMS)]
    stop = threading.Event()
    try:
        readers = [
            threading.Thread(target=stream.read_until, args=(2, stop), daemon=True)
            for stream in streams
        ]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(1 in s.versions for s in streams):
            time.sleep(0.05)
        assert all(1 in stream.versions for stream in streams), "a stream got no first state"

        pids = worker_pids(server.pid)
        holders = {holder_of(server.port, stream.local_port, pids) for stream in streams}
        assert holders == set(pids) and len(pids) == 2, (holders, pids)

        sent = time.monotonic()
        moved = request(
            "POST", f"{api}/live/{session['id']}/next", json_body={"version": 1}, headers=teacher
        )
        assert moved.status == 200, moved.text
        for reader in readers:
            reader.join(timeout=EVENT_WITHIN_S + 2)
        delays = sorted(stream.versions.get(2, float("inf")) - sent for stream in streams)
        assert delays[-1] < EVENT_WITHIN_S, delays
        state = request("GET", f"{api}/live/{session['id']}", headers=teacher).json()
        assert (state["phase"], state["version"]) == ("question", 2)
    finally:
        stop.set()
        for stream in streams:
            stream.connection.close()


def test_the_event_carries_the_question_and_no_answer(server: Server) -> None:
    api = f"{server.url}/api/v1"
    credentials = {"username": "teacher", "password": PASSWORD}
    token = request("POST", f"{api}/auth/token", json_body=credentials).json()["token"]
    teacher = {"Authorization": f"Bearer {token}"}
    body = {"sheet": "relations-otan-russie", "seconds": 30}
    session = request("POST", f"{api}/live", json_body=body, headers=teacher).json()
    stream = open_stream(server.port, session["code"])
    try:
        request("POST", f"{api}/live/{session['id']}/next", json_body={"version": 1}, headers=teacher)
        events: list[dict[str, object]] = []
        while len(events) < 2:
            line = stream.response.fp.readline()
            assert line, "the stream ended early"
            if line.startswith(b"data: "):
                events.append(json.loads(line[6:]))
        shown = events[-1]
        assert shown["phase"] == "question" and shown["question"] and shown["deadline"]
        assert shown["server_now"] and shown["reveal"] is None
        assert "expected" not in json.dumps(shown)
    finally:
        stream.connection.close()
