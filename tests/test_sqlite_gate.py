"""The SQLite write gate: held for exactly the span of a write transaction, never in the way."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_app
from flask import Flask
from sqlalchemy import text

from quiz import sqlite_gate
from quiz.extensions import db
from quiz.services.accounts import users
from quiz.sqlite_gate import GatedConnection, lock_file_for

pytestmark = pytest.mark.sqlite_only(reason="the write gate serialises SQLite's writers only")


def gate_is_taken(database: Path) -> bool:
    """Whether some connection holds the gate of ``database`` (asked through a fresh fd)."""
    fd = os.open(f"{database}{sqlite_gate.LOCK_FILE_SUFFIX}", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "gate.sqlite"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode = WAL")
        setup.execute("CREATE TABLE t (x INTEGER)")
    return path


@pytest.fixture
def connection(database: Path) -> Iterator[GatedConnection]:
    gated = sqlite3.connect(database, factory=GatedConnection, timeout=5)
    assert isinstance(gated, GatedConnection)
    yield gated
    gated.close()


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_the_gate_spans_a_write_transaction(
    database: Path, connection: GatedConnection, end: str
) -> None:
    connection.execute("SELECT count(*) FROM t").fetchone()
    assert not gate_is_taken(database)  # reading never takes it
    connection.execute("INSERT INTO t VALUES (1)")
    assert connection.holding_gate and gate_is_taken(database)
    connection.execute("UPDATE t SET x = 2")  # the same transaction: still one hold
    getattr(connection, end)()
    assert not gate_is_taken(database)


@pytest.mark.parametrize(
    "statement",
    [
        "insert into t values (3)",
        "  UPDATE t SET x = 1",
        "DELETE FROM t",
        "REPLACE INTO t VALUES (4)",
    ],
)
def test_every_kind_of_write_passes_the_gate(
    database: Path, connection: GatedConnection, statement: str
) -> None:
    connection.cursor().execute(statement)
    assert gate_is_taken(database)
    connection.commit()
    assert not gate_is_taken(database)


def test_a_write_outside_a_transaction_leaves_the_gate_at_once(
    database: Path, connection: GatedConnection
) -> None:
    connection.isolation_level = None  # autocommit: no commit() will follow
    connection.execute("INSERT INTO t VALUES (1)")
    connection.execute("CREATE TABLE u (y INTEGER)")
    assert not gate_is_taken(database)


def test_a_failed_write_outside_a_transaction_leaves_the_gate(
    database: Path, connection: GatedConnection
) -> None:
    connection.isolation_level = None
    with pytest.raises(sqlite3.OperationalError):
        connection.execute("INSERT INTO missing VALUES (1)")
    assert not gate_is_taken(database)


def test_a_writer_queues_behind_another_and_nothing_is_lost(database: Path) -> None:
    def write(worker: int) -> None:
        connection = sqlite3.connect(database, factory=GatedConnection, timeout=5)
        for value in range(200):
            connection.execute("INSERT INTO t VALUES (?)", (worker * 1000 + value,))
            connection.commit()
        connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(DISTINCT x) FROM t").fetchone()[0] == 800


def test_past_its_patience_a_writer_goes_on_without_the_gate(
    database: Path, connection: GatedConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gate held by a stuck process never blocks writers for good: SQLite decides."""
    monkeypatch.setattr(sqlite_gate, "PATIENCE_S", 0.05)
    stuck = os.open(f"{database}{sqlite_gate.LOCK_FILE_SUFFIX}", os.O_RDWR)
    fcntl.flock(stuck, fcntl.LOCK_EX)
    try:
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
        assert not connection.holding_gate
    finally:
        os.close(stuck)
    assert connection.execute("SELECT count(*) FROM t").fetchone()[0] == 1


@pytest.mark.parametrize("name", ["", ":memory:", "file:x?mode=memory"])
def test_databases_without_a_file_have_no_gate(name: str) -> None:
    assert lock_file_for(name) is None
    if name != "file:x?mode=memory":
        memory = sqlite3.connect(name, factory=GatedConnection)
        memory.execute("CREATE TABLE t (x INTEGER)")
        memory.execute("INSERT INTO t VALUES (1)")
        assert not memory.holding_gate
        memory.close()


def test_the_app_gates_its_sqlite_writes(app: Flask, database_path: Path) -> None:
    with app.app_context():
        db.session.execute(text("CREATE TABLE probe (x INTEGER)"))
        db.session.commit()
        db.session.execute(text("INSERT INTO probe VALUES (1)"))
        assert gate_is_taken(database_path)
        db.session.commit()
        assert not gate_is_taken(database_path)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a server account (022): new files readable by everybody."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_database_file_is_readable_by_its_owner_only(
    open_umask: None, tmp_path: Path
) -> None:
    """It holds password hashes: no group or other bit on it, its -wal or its -shm."""
    path = tmp_path / "quiz.sqlite"
    app = make_app(path)
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        users.register("alice", "correct horse")
        db.session.commit()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        modes = {file.name: oct(file.stat().st_mode & 0o777) for file in files}
        db.engine.dispose()
    assert modes == {file.name: "0o600" for file in files}


def test_an_existing_database_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    sqlite3.connect(path).close()
    path.chmod(0o640)  # the administrator's choice: a group of readers
    GatedConnection(str(path)).close()
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_queued_writer_fails_within_the_busy_timeout(database: Path) -> None:
    """The wait at the gate counts against SQLite's busy timeout: one deadline, not two.

    Another process holds SQLite's write lock and a writer of the app holds the
    gate while it waits for it; a second writer must give up within the busy
    timeout (1 s here), not after the gate's patience plus the busy timeout.
    """
    queued = sqlite3.connect(database, factory=GatedConnection, timeout=1)
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    stuck = os.open(f"{database}{sqlite_gate.LOCK_FILE_SUFFIX}", os.O_RDWR)
    fcntl.flock(stuck, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            queued.execute("INSERT INTO t VALUES (1)")
        waited = time.monotonic() - started
        queued.rollback()
        assert 0.9 < waited < 1.5
        busy_timeout = queued.execute("PRAGMA busy_timeout").fetchone()[0]
        assert busy_timeout == 1000  # restored for the next transaction
    finally:
        os.close(stuck)
        holder.rollback()
        holder.close()
    queued.execute("INSERT INTO t VALUES (2)")  # the lock released: the write goes through
    queued.commit()
    assert queued.execute("SELECT x FROM t").fetchall() == [(2,)]
    queued.close()
