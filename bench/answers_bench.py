"""Benchmark of answer submissions through the API, next to a bare Flask endpoint.

Prints, from one run on this machine (figures, not a test), for each database
asked for (``--database sqlite``, ``postgres``, or ``both``, the default, one
after the other) a table of ``--rounds`` rounds (answers, then bare, back to
back, so that both see the same state of a noisy machine):
  answers – POST /api/v1/attempts/<id>/answers under gunicorn: requests/s, p50, p99
  bare    – a minimal Flask app returning a small JSON, same gunicorn, same load
  ratio   – answers / bare requests per second
then the median ratio of the rounds (goal >= 0.40), the worst p99 of the
answers at 50 connections (goal < 100 ms), whether the answer rows in the
database match the 2xx responses, and whether the goal is met.

Set-up, for each database: a new one (a SQLite file in WAL mode, or a
throwaway PostgreSQL cluster on 127.0.0.1 with default settings, started as
``bench/stack.py`` does: as the ``postgres`` user when run as root), schema
created by ``quiz init-db`` and the built-in sheets imported by ``quiz
import-sheets`` before gunicorn forks; one account; enough attempts created
through the API beforehand that every request answers a different (attempt,
question) pair, so each one inserts a real answer row (counted in the
database at the end). Both servers get the same bodies from the same
generator: wrk with a Lua script, on 127.0.0.1 only, bounded in time
(--duration) and in count (--pairs).

Needs wrk (Debian: apt-get install -y wrk) and, for PostgreSQL, its server
binaries under /usr/lib/postgresql (Debian: postgresql).
Usage: .venv/bin/python bench/answers_bench.py [--database both] [--rounds 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from answers_report import Outcome, Round, print_outcome, print_summary
from flask import Flask, request
from sqlalchemy import create_engine, text
from stack import StackError, start_postgres
from wrk_runs import Figures, run_wrk, write_bodies

from quiz.config import normalize_database_url

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SHEET, REVISION = "relations-otan-russie", "2022-01"  # the built-in sheet's largest revision
QUESTIONS_PER_ATTEMPT = 50
STARTUP_TIMEOUT_S = 60
WARM_UP_SECONDS = 2
DATABASES = ("sqlite", "postgres")


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
    """``quiz init-db`` then ``quiz import-sheets``, before any server forks."""
    for command in (["init-db"], ["import-sheets"]):
        done = subprocess.run(
            [sys.executable, "-m", "quiz", *command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"quiz {command[0]} failed:\n{done.stdout}{done.stderr}")


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


def start_database(database: str, folder: Path, stack: ExitStack) -> str:
    """The URL of a new, empty database of the kind named; it goes when ``stack`` closes.

    SQLite: a file in ``folder``. PostgreSQL: a throwaway cluster on 127.0.0.1 with
    the server's default settings (fsync on), started as ``bench/stack.py`` does.
    """
    if database == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite'}"
    try:
        return start_postgres(folder, stack)
    except StackError as error:
        raise SystemExit(f"PostgreSQL did not start: {error}") from None


def database_facts(database_url: str) -> tuple[int, str]:
    """Rows in the answers table, and the server's name, version and durability settings."""
    engine = create_engine(normalize_database_url(database_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT count(*) FROM answers")).scalar_one()
            version = ".".join(map(str, connection.dialect.server_version_info or ()))
            server = f"{engine.dialect.name} {version}"
            if engine.dialect.name == "postgresql":
                settings = [
                    f"{name} {connection.exec_driver_sql(f'SHOW {name}').scalar_one()}"
                    for name in ("fsync", "synchronous_commit")
                ]
                server += f" (throwaway cluster, server defaults: {', '.join(settings)})"
    finally:
        engine.dispose()
    return int(rows), server


def bench_database(database: str, args: argparse.Namespace, tmp: Path) -> Outcome:
    """Every round on a new database of the kind named; the rows are counted once all stop."""
    folder = tmp / database
    folder.mkdir(mode=0o755)
    with ExitStack() as stack:
        database_url = start_database(database, folder, stack)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "QUIZ_INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "answers-bench",
        }
        prepare_database(env)
        rounds, pairs, prepared_s = serve_and_measure(args, env, folder)
        rows, server = database_facts(database_url)
    return Outcome(database, server, rounds, rows, pairs, prepared_s, args.connections)


def serve_and_measure(
    args: argparse.Namespace, env: dict[str, str], folder: Path
) -> tuple[list[Round], int, float]:
    """The rounds, against the app and the bare endpoint, both served throughout.

    Returns the rounds, the pairs prepared and the seconds that took. Both
    gunicorns are stopped on return, so that no answer is still being stored.
    """
    quiz_base, bare_base = (f"http://{HOST}:{free_port()}" for _ in range(2))
    with ExitStack() as servers:
        for app_spec, base, log in (
            (args.app, quiz_base, "quiz.log"),
            ("answers_bench:bare_app()", bare_base, "bare.log"),
        ):
            server = start_gunicorn(app_spec, port_of(base), args.workers, env, folder / log)
            servers.callback(stop, server)
        credentials = {"username": "bench", "password": "bench-password"}
        token = call(f"{quiz_base}/api/v1/auth/register", credentials)["token"]
        started = time.perf_counter()
        lines = create_attempts(quiz_base, token, args.pairs * args.rounds)
        prepared_s = time.perf_counter() - started
        rounds = []
        for number in range(args.rounds):
            share = lines[number * args.pairs : (number + 1) * args.pairs]
            answers, warm = measure(quiz_base, share, token, args, folder, "answers")
            bare_figures, _ = measure(bare_base, share, token, args, folder, "bare")
            rounds.append(Round(answers, bare_figures, warm))
    return rounds, len(lines), prepared_s


def port_of(base: str) -> int:
    """The port of ``http://host:port``."""
    return int(base.rsplit(":", 1)[1])


def parse_arguments() -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        choices=[*DATABASES, "both"],
        default="both",
        help="which database to store the answers in (default: both, one after the other)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--rounds", type=int, default=3, help="answers/bare rounds (median)")
    parser.add_argument("--pairs", type=int, default=30_000, help="answers prepared per round")
    parser.add_argument(
        "--app", default="quiz:create_app()", help="gunicorn app spec (to compare a variant)"
    )
    return parser.parse_args()


def main() -> None:
    """Bench each database asked for, then print one table per database."""
    args = parse_arguments()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    databases = DATABASES if args.database == "both" else (args.database,)
    print(
        f"gunicorn {args.workers} sync workers, wrk {args.threads} threads,"
        f" {args.connections} connections, {args.duration} s per run (after"
        f" {WARM_UP_SECONDS} s warm-up), {os.cpu_count()} CPUs, {args.rounds} rounds",
        flush=True,
    )
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="answers-bench-") as folder:
        Path(folder).chmod(0o755)  # the postgres user must reach its cluster inside
        for database in databases:
            outcomes.append(bench_database(database, args, Path(folder)))
            print_outcome(outcomes[-1])
    print_summary(outcomes)


if __name__ == "__main__":
    main()
