"""Start the production stack of docs/deploy.md on loopback, then play the API against it.

What it starts, each on 127.0.0.1 and a free port, all in one temporary folder
that is deleted at the end:
  - a throwaway PostgreSQL cluster (initdb; as the ``postgres`` user when run as root);
  - ``redis-server`` (no persistence), holding the rate-limit counters
    (``RATELIMIT_STORAGE_URI``) and given to the app as ``REDIS_URL``;
  - ``quiz init-db`` and ``quiz import-sheets`` on that database;
  - the queue worker, ``quiz worker``, when this checkout has that command
    (the background imports bring it); otherwise it says so and goes on;
  - gunicorn with ``--config python:quiz.gunicorn_config`` and two workers, as
    the systemd unit of docs/deploy.md runs it.
Then it plays a learner through the JSON API: ``/healthz``, register, log in
for a token, list the sheets, start a quiz, answer every question, answer one
again (409), read the stats, and checks that the stats count the answers.

Exit status 0 when every step did what it should, 1 otherwise (the step and
the logs of the servers are printed). ``--serve`` keeps the stack up after
the play until Ctrl-C, to look around at the printed address.

Needs PostgreSQL's server binaries (Debian: postgresql) and redis-server.
Usage: .venv/bin/python bench/stack.py [--workers 2] [--serve]
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_ROOT = Path("/usr/lib/postgresql")
STARTUP_TIMEOUT_S = 60
PASSWORD = "stack password 1"


class StackError(Exception):
    """A step of the stack failed; the message says which and why."""


def say(message: str) -> None:
    """One line of progress, flushed at once (the test reads it as it comes)."""
    print(f"stack: {message}", flush=True)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: list[str], env: dict[str, str] | None = None, timeout_s: float = 600) -> str:
    """Run ``command`` to its end; its output, or ``StackError`` with it."""
    done = subprocess.run(
        command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        output = done.stdout + done.stderr
        raise StackError(f"{' '.join(command)} exited {done.returncode}:\n{output}")
    return done.stdout


def start_postgres(folder: Path, stack: ExitStack) -> str:
    """A new cluster in ``folder/postgres`` with a ``quiz`` database; its URL."""
    versions = sorted(POSTGRES_ROOT.glob("*/bin/initdb"), key=lambda p: p.parent.parent.name)
    if not versions:
        raise StackError(f"no PostgreSQL server under {POSTGRES_ROOT} (apt-get install postgresql)")
    bindir = versions[-1].parent
    base, port = folder / "postgres", free_port()
    (base / "socket").mkdir(parents=True)
    as_owner = cluster_owner_prefix(base)
    data = base / "data"
    # C locale: the machine's LANG may name a locale that is not installed.
    initdb = ["-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"]
    run([*as_owner, str(bindir / "initdb"), *initdb])
    options = f"-h 127.0.0.1 -p {port} -k {base / 'socket'}"
    pg_ctl = [*as_owner, str(bindir / "pg_ctl"), "-D", str(data)]
    run([*pg_ctl, "-l", str(base / "server.log"), "-w", "-o", options, "start"])
    stack.callback(
        subprocess.run,
        [*pg_ctl, "-m", "fast", "-w", "stop"],
        capture_output=True,
        timeout=60,
    )
    address = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    run([*as_owner, str(bindir / "createdb"), *address, "quiz"])
    return f"postgresql://postgres@127.0.0.1:{port}/quiz"


def cluster_owner_prefix(base: Path) -> list[str]:
    """Run PostgreSQL's tools as ``postgres`` when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return []
    owner = pwd.getpwnam("postgres")
    for path in [base, *base.rglob("*")]:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def start_redis(folder: Path, stack: ExitStack) -> str:
    """``redis-server`` on a free port, without persistence; its URL once it answers PING."""
    server = shutil.which("redis-server")
    if server is None:
        raise StackError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    (folder / "redis").mkdir()
    settings = ["--save", "", "--appendonly", "no", "--dir", str(folder / "redis")]
    command = [server, "--bind", "127.0.0.1", "--port", str(port), *settings]
    start_service("redis", command, None, folder, stack)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if redis_command(url, b"PING") == b"+PONG":
                return url
        except OSError:
            time.sleep(0.1)
    raise StackError(f"redis-server did not answer on port {port}")


def redis_command(redis_url: str, command: bytes) -> bytes:
    """Send one inline command to Redis; its first reply line (``+PONG``, ``:3``…)."""
    address = redis_url.removeprefix("redis://").split("/")[0]
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=1) as connection:
        connection.sendall(command + b"\r\n")
        return connection.recv(64).split(b"\r\n")[0]


def start_service(
    name: str, command: list[str], env: dict[str, str] | None, folder: Path, stack: ExitStack
) -> subprocess.Popen[bytes]:
    """Start a long-running process in its own process group, its output in ``name.log``.

    It is stopped (SIGTERM to its group, SIGKILL after 30 s) when the stack closes.
    """
    log = (folder / f"{name}.log").open("wb")
    stack.callback(log.close)
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as a whole
    )
    stack.callback(stop_service, process)
    return process


def stop_service(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started by ``start_service`` and everything it started."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def app_environment(folder: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of the app's processes, as the systemd units set it."""
    instance = folder / "instance"
    instance.mkdir()
    # Every machine counts rate limits together in Redis (docs/deploy.md).
    (instance / "config.py").write_text(f"RATELIMIT_STORAGE_URI = {redis_url!r}\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_hex(32),
        QUIZ_INSTANCE_PATH=str(instance),
        # This checkout's code, whatever the installed package points at.
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def has_queue_worker(env: dict[str, str]) -> bool:
    """Whether this checkout's CLI has the ``quiz worker`` command."""
    probe = subprocess.run(
        [str(BIN / "quiz"), "worker", "--help"], env=env, cwd=REPO_ROOT, capture_output=True
    )
    return probe.returncode == 0


def start_gunicorn(env: dict[str, str], workers: int, folder: Path, stack: ExitStack) -> str:
    """gunicorn as the systemd unit runs it; its base URL once ``/healthz`` answers 200."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--config",
        "python:quiz.gunicorn_config",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "quiz:create_app()",
    ]
    server = start_service("gunicorn", command, env, folder, stack)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise StackError(f"gunicorn exited with {server.returncode}")
        try:
            if call("GET", f"{url}/healthz")[0] == 200:
                return url
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise StackError(f"gunicorn did not answer /healthz within {STARTUP_TIMEOUT_S} s")


def call(
    method: str, url: str, body: Any = None, token: str | None = None
) -> tuple[int, Any]:
    """One JSON request: ``(status, decoded body)``; an error status is returned, not raised."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(status: int, body: Any, wanted: int, step: str) -> Any:
    """``body`` if ``status`` is ``wanted``; else ``StackError`` naming the step."""
    if status != wanted:
        raise StackError(f"{step}: expected {wanted}, got {status}: {body}")
    return body


def answer_for(question: dict[str, Any]) -> Any:
    """Some well-formed answer: the items as shown for an order, a choice, else a year."""
    if question["type"] == "order":
        return question["choices"]
    return question["choices"][0] if question["choices"] else "1949"


def check_redis_used(redis_url: str) -> None:
    """The play's logins were counted in Redis: it holds keys now."""
    keys = int(redis_command(redis_url, b"DBSIZE").lstrip(b":"))
    if keys == 0:
        raise StackError("Redis holds no key: the rate limits were not counted there")
    say(f"redis holds {keys} rate-limit keys")


def play(url: str) -> None:
    """A learner's session through the API; ``StackError`` at the first surprise."""
    api = f"{url}/api/v1"
    health = expect(*call("GET", f"{url}/healthz"), 200, "GET /healthz")
    say(f"/healthz: {health['status']}, checks {', '.join(health['checks'])}")
    credentials = {"username": "stack-learner", "password": PASSWORD}
    expect(*call("POST", f"{api}/auth/register", credentials), 201, "register")
    token = expect(*call("POST", f"{api}/auth/token", credentials), 200, "log in")["token"]
    sheets = expect(*call("GET", f"{api}/sheets", token=token), 200, "list the sheets")
    wanted = {"sheet": sheets[0]["slug"], "count": 5}
    attempt = expect(*call("POST", f"{api}/attempts", wanted, token), 201, "start a quiz")
    answers_url = f"{api}/attempts/{attempt['id']}/answers"
    correct = 0
    for question in attempt["questions"]:
        answer = {"question_id": question["id"], "answer": answer_for(question)}
        feedback = expect(*call("POST", answers_url, answer, token), 200, "answer")
        correct += bool(feedback["correct"])
    expect(*call("POST", answers_url, answer, token), 409, "answer the same question again")
    stats = expect(*call("GET", f"{api}/me/stats", token=token), 200, "read the stats")
    asked = len(attempt["questions"])
    if (stats["answered"], stats["correct"]) != (asked, correct):
        raise StackError(f"stats {stats} do not count {asked} answers, {correct} right")
    say(f"played {sheets[0]['slug']}: {asked} answers, {correct} right, stats agree")


def bring_up(folder: Path, workers: int, stack: ExitStack) -> tuple[str, str]:
    """Start every service of the stack in ``folder``; the app's base URL and Redis's."""
    started = time.monotonic()
    database_url = start_postgres(folder, stack)
    say(f"PostgreSQL up at {database_url} ({time.monotonic() - started:.1f} s)")
    redis_url = start_redis(folder, stack)
    say(f"redis up at {redis_url}")
    env = app_environment(folder, database_url, redis_url)
    run([str(BIN / "quiz"), "init-db"], env)
    run([str(BIN / "quiz"), "import-sheets"], env)
    say(f"database ready: init-db and import-sheets ({time.monotonic() - started:.1f} s)")
    if has_queue_worker(env):
        start_service("worker", [str(BIN / "quiz"), "worker"], env, folder, stack)
        say("queue worker started (quiz worker)")
    else:
        say("no `quiz worker` command in this checkout: no queue worker started")
    url = start_gunicorn(env, workers, folder, stack)
    say(f"gunicorn ({workers} workers) serving at {url} ({time.monotonic() - started:.1f} s)")
    return url, redis_url


def print_logs(folder: Path) -> None:
    """Every service's log, to see why a step failed."""
    for log in sorted([*folder.glob("*.log"), *folder.glob("postgres/*.log")]):
        print(f"----- {log.name}\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Bring the stack up, play the API, bring it down; 0 when all went as expected."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--serve", action="store_true", help="keep serving until Ctrl-C")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="quiz-stack-"))
    folder.chmod(0o755)  # the postgres user must reach its cluster inside
    say(f"working in {folder} (deleted at the end)")
    try:
        with ExitStack() as stack:
            url, redis_url = bring_up(folder, args.workers, stack)
            play(url)
            check_redis_used(redis_url)
            say("OK")
            if args.serve:
                say(f"serving at {url}/ until Ctrl-C")
                stop_signals = {signal.SIGINT, signal.SIGTERM}
                signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # sigwait needs them held
                signal.sigwait(stop_signals)
    except StackError as error:
        print(f"stack: FAILED: {error}", file=sys.stderr)
        print_logs(folder)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
