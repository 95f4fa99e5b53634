"""Benchmark of answer submissions through the API, next to a bare Flask endpoint.

Prints, from one run on this machine (figures, not a test), for each of
``--rounds`` rounds (answers, then bare, back to back, so that both see the
same state of a noisy machine):
  answers – POST /api/v1/attempts/<id>/answers under gunicorn: requests/s, p50, p99
  bare    – a minimal Flask app returning a small JSON, same gunicorn, same load
  ratio   – answers / bare requests per second
then the median ratio of the rounds (goal >= 0.40) and the worst p99 of the
answers at 50 connections (goal < 100 ms).

Set-up: a SQLite file in WAL mode, schema created and the built-in sheets
imported by the CLI before gunicorn forks; one account; enough attempts
created through the API beforehand that every request answers a different
(attempt, question) pair, so each one inserts a real answer row (the script
checks that the rows match the 2xx responses). Both servers get the same
bodies from the same generator: wrk with a Lua script, on 127.0.0.1 only,
bounded in time (--duration) and in count (--pairs).

Needs wrk (Debian: apt-get install -y wrk).
Usage: .venv/bin/python bench/answers_bench.py [--rounds 3] [--workers 2] [--connections 50]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, request
from wrk_runs import Figures, run_wrk, write_bodies

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SHEET, REVISION = "relations-otan-russie", "2022-01"  # the built-in sheet's largest revision
QUESTIONS_PER_ATTEMPT = 50
STARTUP_TIMEOUT_S = 60
WARM_UP_SECONDS = 2


def bare_app() -> Flask:
    """The baseline: Flask parsing the same JSON body and returning a small JSON."""
    app = Flask("bare")

    @app.post("/api/v1/attempts/<int:attempt_id>/answers")
    def answer(attempt_id: int) -> dict[str, Any]:
        body = request.get_json()
        return {"attempt": attempt_id, "question_id": body["question_id"], "correct": True}

    return app


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def call(url: str, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    """POST ``body`` (or GET when None) and return the decoded JSON answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=30) as reply:
        return json.loads(reply.read())


def prepare_database(env: dict[str, str]) -> None:
    """Create the schema and import the built-in sheets, before any server forks."""
    for command in (["init-db"], ["import-sheets"]):
        subprocess.run(
            [sys.executable, "-m", "quiz", *command],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def start_gunicorn(app_spec: str, port: int, workers: int, env: dict[str, str], log: Path) -> Any:
    """gunicorn serving ``app_spec`` on 127.0.0.1:``port``; returns once it answers."""
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers),
        "--bind", f"{HOST}:{port}", "--pythonpath", str(ROOT / "bench"), app_spec,
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn {app_spec} exited:\n{log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return server
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn {app_spec} did not start within {STARTUP_TIMEOUT_S} s")


def stop(server: Any) -> None:
    """Stop one gunicorn we started (SIGTERM to its arbiter stops its workers)."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def answer_for(question: dict[str, Any]) -> Any:
    """A well-formed answer taken from what the learner sees (right or wrong, both count)."""
    if question["type"] == "order":
        return question["choices"]
    if question["choices"]:
        return question["choices"][0]
    return "1994"


def create_attempts(base: str, token: str, pairs: int) -> list[str]:
    """Attempts through the API until ``pairs`` unanswered pairs exist; one line per pair.

    An attempt holds up to ``QUESTIONS_PER_ATTEMPT`` questions, fewer when some would
    give others away: attempts are made in batches until there are enough pairs.
    """
    body = {"sheet": SHEET, "revision": REVISION, "count": QUESTIONS_PER_ATTEMPT}

    def one(_: int) -> list[str]:
        attempt = call(f"{base}/api/v1/attempts", body, token)
        path = f"/api/v1/attempts/{attempt['id']}/answers"
        return [
            f"{path}\t{json.dumps({'question_id': q['id'], 'answer': answer_for(q)})}"
            for q in attempt["questions"]
        ]

    lines: list[str] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        while len(lines) < pairs:
            attempts = -(-(pairs - len(lines)) // QUESTIONS_PER_ATTEMPT)
            lines += [line for batch in pool.map(one, range(attempts)) for line in batch]
    return lines[:pairs]


def measure(
    base: str, lines: list[str], token: str, args: argparse.Namespace, tmp: Path, name: str
) -> tuple[Figures, int]:
    """A warm-up run, then the measured run, each on its own share of ``lines``.

    Returns the measured figures and the warm-up's 2xx count. Only the bare
    app may reuse bodies (``cycle``): it stores nothing.
    """
    split = len(lines) // 4
    cycle = name == "bare"
    warm_bodies = write_bodies(tmp / f"{name}-warm.txt", lines[:split])
    warm = run_wrk(base, warm_bodies, token, args, WARM_UP_SECONDS, cycle)
    measured = write_bodies(tmp / f"{name}.txt", lines[split:])
    figures = run_wrk(base, measured, token, args, args.duration, cycle)
    return figures, warm.requests - warm.non_2xx


def answer_rows(database: Path) -> int:
    """Rows in the answers table."""
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM answers").fetchone()[0])


@dataclass(frozen=True)
class Round:
    """One round: answers then the bare endpoint, back to back on the same machine state."""

    answers: Figures
    bare: Figures
    warm_answers: int  # 2xx answers stored during the answers' warm-up

    @property
    def ratio(self) -> float:
        """Answers per second over the bare endpoint's."""
        return self.answers.per_second / self.bare.per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--rounds", type=int, default=3, help="answers/bare rounds (median)")
    parser.add_argument("--pairs", type=int, default=30_000, help="answers prepared per round")
    parser.add_argument(
        "--app", default="quiz:create_app()", help="gunicorn app spec (to compare a variant)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")

    with tempfile.TemporaryDirectory(prefix="answers-bench-") as folder:
        tmp = Path(folder)
        database = tmp / "bench.sqlite"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "QUIZ_INSTANCE_PATH": str(tmp / "instance"),
            "SECRET_KEY": "answers-bench",
        }
        prepare_database(env)
        quiz_base, bare_base = (f"http://{HOST}:{free_port()}" for _ in range(2))
        # Both servers run throughout; the one not measured sits idle.
        quiz = start_gunicorn(args.app, port_of(quiz_base), args.workers, env, tmp / "quiz.log")
        bare = start_gunicorn(
            "answers_bench:bare_app()", port_of(bare_base), args.workers, env, tmp / "bare.log"
        )
        try:
            credentials = {"username": "bench", "password": "bench-password"}
            token = call(f"{quiz_base}/api/v1/auth/register", credentials)["token"]
            started = time.perf_counter()
            lines = create_attempts(quiz_base, token, args.pairs * args.rounds)
            prepared = time.perf_counter() - started
            rounds = []
            for number in range(args.rounds):
                share = lines[number * args.pairs : (number + 1) * args.pairs]
                answers, warm = measure(quiz_base, share, token, args, tmp, "answers")
                bare_figures, _ = measure(bare_base, share, token, args, tmp, "bare")
                rounds.append(Round(answers, bare_figures, warm))
        finally:
            stop(quiz)
            stop(bare)
        rows = answer_rows(database)

    report(args, rounds, rows, len(lines), prepared)


def port_of(base: str) -> int:
    """The port of ``http://host:port``."""
    return int(base.rsplit(":", 1)[1])


def report(
    args: argparse.Namespace, rounds: list[Round], rows: int, pairs: int, prepared: float
) -> None:
    """Print each round's figures, the median ratio and whether the goals are met."""
    print(
        f"gunicorn {args.workers} sync workers, wrk {args.threads} threads,"
        f" {args.connections} connections, {args.duration} s per run (after 2 s warm-up),"
        f" {os.cpu_count()} CPUs, {len(rounds)} rounds"
    )
    print(f"prepared {pairs} (attempt, question) pairs through the API in {prepared:.1f} s")
    for number, measured in enumerate(rounds, 1):
        print(f"round {number}")
        print(measured.answers.line("answers"))
        print(measured.bare.line("bare"))
        print(f"ratio    {measured.ratio:.2f}")
    ratio = statistics.median(measured.ratio for measured in rounds)
    worst_p99 = max(measured.answers.p99_ms for measured in rounds)
    print(f"ratio    {ratio:.2f} answers / bare, median of the rounds (goal >= 0.40)")
    print(f"p99      {worst_p99:.1f} ms for answers, worst round (goal < 100 ms)")
    # wrk counts the responses it read before its clock stopped; the requests
    # still in flight then (one per connection at most) were stored but not counted.
    counted = sum(m.answers.requests - m.answers.non_2xx + m.warm_answers for m in rounds)
    in_flight = 2 * args.connections * len(rounds)
    print(
        f"stored   {rows} answer rows for {counted} 2xx responses counted"
        f" (+ at most {in_flight} in flight when wrk stopped)"
    )
    if any(measured.answers.ran_out_threads for measured in rounds):
        print("warning: wrk ran out of prepared answers; raise --pairs")
    non_2xx = sum(measured.answers.non_2xx for measured in rounds)
    if non_2xx or not counted <= rows <= counted + in_flight:
        print("warning: some requests were not new answers (see non-2xx)")


if __name__ == "__main__":
    main()
