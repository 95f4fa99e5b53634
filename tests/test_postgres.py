"""The same schema and import on a real, throwaway PostgreSQL cluster."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_helpers import ROLE_PASSWORD, csrf_token, log_in_as, token_for
from conftest import Snapshot
from flask import Flask

from quiz import create_app
from quiz.extensions import db
from quiz.models import MAX_ROW_ID
from quiz.services import accounts

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

POSTGRES_ROOT = Path("/usr/lib/postgresql")


def find_postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, if any."""
    candidates = [d / "bin" for d in POSTGRES_ROOT.glob("*") if (d / "bin" / "initdb").exists()]
    candidates.sort(key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)
    return candidates[-1] if candidates else None


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_cluster_owner(base: Path) -> list[str]:
    """Command prefix to run PostgreSQL tools: as ``postgres`` when we are root.

    initdb refuses to run as root, so the cluster belongs to the postgres user.
    """
    if os.geteuid() != 0:
        return []
    owner = pwd.getpwnam("postgres")
    for path in [base, *base.rglob("*")]:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1 and a free port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # Not pytest's tmp_path: its parents are private to root, and the
        # postgres user must be able to reach the data directory.
        self.base = Path(tempfile.mkdtemp(prefix="quiz-pg-"))
        (self.base / "socket").mkdir()
        self.data = self.base / "data"
        self.port = free_port()
        self.prefix = as_cluster_owner(self.base)

    def run(self, tool: str, *args: str | Path) -> None:
        """Run one of the server's tools as the cluster owner; fail the test with its output."""
        command = [*self.prefix, str(self.bindir / tool), *map(str, args)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            pytest.fail(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def start(self, database: str) -> str:
        """Create the cluster and a database; return its URL."""
        # C locale: the machine's LANG may name a locale that is not installed.
        self.run(
            "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"
        )
        options = f"-h 127.0.0.1 -p {self.port} -k {self.base / 'socket'} -c fsync=off"
        self.run(
            "pg_ctl", "-D", self.data, "-l", self.base / "server.log", "-w", "-o", options, "start"
        )
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", database)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server if it runs, and delete every file of the cluster."""
        if (self.data / "postmaster.pid").exists():
            command = [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data)]
            subprocess.run(
                [*command, "-m", "immediate", "stop"], capture_output=True, timeout=60, check=False
            )
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    """A database on a fresh cluster; the cluster is stopped and deleted afterwards."""
    bindir = find_postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = ThrowawayCluster(bindir)
    request.addfinalizer(cluster.stop)
    return cluster.start("quiz_test")


@pytest.fixture
def postgres_app(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app configured the way production is: through DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    app = create_app({"TESTING": True})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_init_db_and_import_are_idempotent_on_postgres(
    postgres_app: Flask,
    row_counts: Callable[[Flask], dict[str, int]],
    snapshot: Callable[[Flask], Snapshot],
) -> None:
    assert postgres_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    runner = postgres_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    counts = row_counts(postgres_app)
    assert counts["sheets"] == 1 and counts["revisions"] == 2
    assert counts["paragraphs"] > 0 and counts["questions"] > 0
    before = snapshot(postgres_app)

    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    assert "Up to date" in result.output
    assert row_counts(postgres_app) == counts
    assert snapshot(postgres_app) == before
    assert "Les relations OTAN-Russie" in postgres_app.test_client().get("/").get_data(as_text=True)


def test_rate_limit_counters_and_logout_work_on_postgres(postgres_app: Flask) -> None:
    assert postgres_app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with postgres_app.app_context():
        accounts.register("alice", ROLE_PASSWORD)
        db.session.commit()
    client = postgres_app.test_client()

    def log_in(password: str) -> int:
        data = {"csrf_token": token_for(client), "username": "alice", "password": password}
        return client.post("/login", data=data).status_code

    assert log_in(ROLE_PASSWORD) == 302
    copied = client.get_cookie("session")
    assert copied is not None
    assert client.post("/logout", data={"csrf_token": token_for(client, "/")}).status_code == 302
    thief = postgres_app.test_client()
    thief.set_cookie("session", copied.value)
    assert "Se connecter" in thief.get("/").get_data(as_text=True)
    assert [log_in("guess 1234") for _ in range(9)] == [400] * 9  # 10 logins to alice so far
    assert log_in(ROLE_PASSWORD) == 429


# Past PostgreSQL's integer column (2^31) and SQLite's (2^63): the driver cannot bind them.
PAST_THE_RANGE = [MAX_ROW_ID + 1, 2**63]
# Pages and an API route with ids in their path, for a student or an instructor.
ID_PAGES = [
    ("GET", "/quiz/{id}"),
    ("GET", "/quiz/{id}/answers/{id}"),
    ("POST", "/quiz/{id}/retry"),
    ("GET", "/author/questions/{id}"),
]
ANSWERS_API = "/api/v1/attempts/{id}/answers"


def test_ids_past_the_integer_range_are_refused_on_postgres(postgres_app: Flask) -> None:
    """A 404 (a 400 for an id in a JSON body), as on SQLite: never a driver error (500)."""
    assert postgres_app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    client = postgres_app.test_client()
    log_in_as(client, postgres_app, "instructor")
    with postgres_app.app_context():
        user = accounts.find_user("instructor-one")
        assert user is not None
        headers = {"Authorization": f"Bearer {accounts.issue_token(user)}"}
    token = csrf_token(client.get("/quiz/new").get_data(as_text=True))
    # The largest id does reach PostgreSQL, and names no row; the next ones never get there.
    for number in [MAX_ROW_ID, *PAST_THE_RANGE]:
        for method, path in ID_PAGES:
            response = client.open(
                path.format(id=number), method=method, data={"csrf_token": token}
            )
            assert response.status_code == 404, (method, path, number)
        answer = {"question_id": 1, "answer": "x"}
        response = client.post(ANSWERS_API.format(id=number), json=answer, headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == 404
    for number in PAST_THE_RANGE:
        answer = {"question_id": number, "answer": "x"}
        response = client.post(ANSWERS_API.format(id=1), json=answer, headers=headers)
        assert response.status_code == 400, response.get_data(as_text=True)
        error = response.get_json()["error"]
        assert error["field"] == "question_id" and str(MAX_ROW_ID) in error["message"]
