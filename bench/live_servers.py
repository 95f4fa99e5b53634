"""The servers of bench/live_bench.py: the app as ``make run`` or docs/deploy.md starts it,
and the bare baseline; and a direct look into the app's database.

``bring_up`` starts, in a folder of the caller's: the database (a SQLite file,
or a throwaway PostgreSQL cluster with bench/stack.py, and redis-server when
asked), ``quiz init-db``, ``quiz import-sheets``, an instructor account, the
queue worker and gunicorn with ``quiz/gunicorn_config.py`` (gevent workers).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sqlite3
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import live_bare
import stack

REVISION = "2022-01"  # the built-in sheet's largest revision
PASSWORD = "live bench password"
TEACHER = "live-teacher"


def approved_questions(database_url: str, count: int) -> list[tuple[int, Any]]:
    """``count`` approved questions of the revision (by id), with their expected answers."""
    query = (
        "SELECT q.id, q.answer FROM questions q JOIN revisions r ON r.id = q.revision_id"
        f" WHERE q.status = 'approved' AND r.label = '{REVISION}'"
        " AND q.type IN ('mcq', 'true_false', 'numeric', 'cloze')"
        f" ORDER BY q.id LIMIT {int(count)}"
    )
    rows = run_query(database_url, query)
    # SQLite hands JSON columns back as text; psycopg decodes them.
    decode = json.loads if database_url.startswith("sqlite") else (lambda value: value)
    return [(qid, decode(answer)) for qid, answer in rows]


def run_query(database_url: str, query: str) -> list[tuple[Any, ...]]:
    """Rows of ``query`` on the app's database (SQLite file or PostgreSQL)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return list(connection.execute(query))
    import psycopg

    with psycopg.connect(database_url) as connection:
        return list(connection.execute(query))


def prepare_sqlite(folder: Path) -> tuple[dict[str, str], str]:
    """``make run``'s defaults in ``folder``: the environment and the SQLite URL."""
    instance = folder / "instance"
    instance.mkdir()
    url = f"sqlite:///{instance / 'quiz.sqlite'}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_hex(32),
        QUIZ_INSTANCE_PATH=str(instance),
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(stack.REPO_ROOT), os.environ.get("PYTHONPATH")])
        ),
    )
    return env, url


def bring_up(
    args: argparse.Namespace, folder: Path, services: ExitStack
) -> tuple[int, str, Path]:
    """Start the database (and Redis), fill it, start gunicorn; its port, database URL and log."""
    if args.database == "postgres":
        url = stack.start_postgres(folder, services)
        redis_url = stack.start_redis(folder, services) if args.redis else ""
        if redis_url:
            env = stack.app_environment(folder, url, redis_url)
        else:
            env = prepare_sqlite(folder)[0]
        env["DATABASE_URL"] = url
    else:
        env, url = prepare_sqlite(folder)
    quiz = str(stack.BIN / "quiz")
    stack.run([quiz, "init-db"], env)
    stack.run([quiz, "import-sheets"], env)
    created = subprocess.run(
        [quiz, "create-user", TEACHER, "--instructor", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        cwd=stack.REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    stack.start_service("worker", [quiz, "worker"], env, folder, services)
    port = stack.free_port()
    command = [
        str(stack.BIN / "gunicorn"),
        "--config",
        "python:quiz.gunicorn_config",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{port}",
        "quiz:create_app()",
    ]
    stack.start_service("gunicorn", command, env, folder, services)
    deadline = time.monotonic() + stack.STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if stack.call("GET", f"http://127.0.0.1:{port}/api/v1/openapi.json")[0] == 200:  # noqa: E501
                return port, url, folder / "gunicorn.log"
        except OSError:
            time.sleep(0.2)
    raise stack.StackError("gunicorn did not start")


def bare_baseline(students: int, folder: Path) -> tuple[float, float]:
    """p50 and p95 (ms) of the same push by a bare app in one gevent worker (``live_bare``)."""
    port = stack.free_port()
    command = [
        str(stack.BIN / "gunicorn"),
        "--worker-class",
        "gevent",
        "--workers",
        "1",
        "--worker-connections",
        "4000",
        "--chdir",
        str(Path(__file__).resolve().parent),
        "--bind",
        f"127.0.0.1:{port}",
        "live_bare:app",
    ]
    with ExitStack() as services:
        stack.start_service("bare", command, None, folder, services)
        deadline = time.monotonic() + stack.STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.1)
        return live_bare.summary(live_bare.measure(port, students))
