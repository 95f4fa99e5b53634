"""The bare baseline of bench/live_bench.py: the same push with no app, no database, one process.

A WSGI app of a few lines served by the same gunicorn (gevent worker, one
process): ``GET /events`` streams, ``POST /next`` wakes every stream with a
new version and a body the size of a live question's. The same simulated
phones connect and time the same "next → receipt". What this costs is the
machine's floor (client, kernel, gevent, gunicorn); the live figures are
printed as ratios to it, so that a busy machine is told apart from a slow app.

Run by live_bench.py; by hand: gunicorn -k gevent -w 1 bench.live_bare:app
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import gevent
import gevent.event

ROUNDS = 10
# A live question's shared state is about this long (prompt, choices, times).
PADDING = "x" * 900


class Channel:
    """The one version everybody waits for."""

    def __init__(self) -> None:
        self.version = 1
        self.changed = gevent.event.Event()

    def advance(self) -> None:
        """A new version: wake every stream."""
        self.version += 1
        woken, self.changed = self.changed, gevent.event.Event()
        woken.set()

    def stream(self) -> Iterator[bytes]:
        """Each version as an event, starting with the current one."""
        sent = 0
        while True:
            if self.version > sent:
                sent = self.version
                data = json.dumps({"version": sent, "phase": "question", "padding": PADDING})
                yield f"id: {sent}\nevent: state\ndata: {data}\n\n".encode()
            self.changed.wait(15)


channel = Channel()


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """``GET /events``, ``POST /next``, else 404."""
    path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
    if path == "/next" and method == "POST":
        channel.advance()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"version": channel.version}).encode()]
    if path == "/events":
        headers = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")]
        start_response("200 OK", headers)
        return channel.stream()
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


def measure(port: int, clients: int) -> list[float]:
    """Connect ``clients`` streams, send ``ROUNDS`` nexts a second apart; the delays (s)."""
    sent_at: dict[int, float] = {}
    delays: list[float] = []
    ready: list[int] = []

    def follow() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/events")
        response = connection.getresponse()
        ready.append(1)
        while True:
            line = response.fp.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                state = json.loads(line[6:])
                received = time.monotonic()
                if state["version"] in sent_at:
                    delays.append(received - sent_at[state["version"]])
                if state["version"] > ROUNDS:
                    return

    streams = [gevent.spawn(follow) for _ in range(clients)]
    while len(ready) < clients:
        gevent.sleep(0.05)
    gevent.sleep(0.5)
    control = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for version in range(2, ROUNDS + 2):
        gevent.sleep(1.0)
        sent_at[version] = time.monotonic()
        control.request("POST", "/next", "{}", {"Content-Type": "application/json"})
        control.getresponse().read()
    gevent.joinall(streams, timeout=10)
    gevent.killall(streams)
    return delays


def summary(delays: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(d * 1000 for d in delays)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
