"""One SQLite writer at a time across processes, handed over without SQLite's long sleeps.

SQLite lets one connection write at a time. A connection that finds the write
lock taken retries through its busy handler, which sleeps 1, 2, 5, 10, 15, 20,
25 … ms between tries whatever the time the lock is really held: storing an
answer holds it for about a tenth of a millisecond. Two gunicorn workers
storing answers collide often, and under load those sleeps added up to answers
that took a second (``bench/answers_bench.py``).

``GatedConnection`` takes an exclusive ``flock`` on a file beside the database
before the first write of a transaction and drops it as soon as the
transaction ends, so writers of every process of the app queue there instead,
polling every 50 to 200 µs. The gate is only an optimisation: a statement it
does not recognise as a write, or a writer that waited longer than
``PATIENCE_S``, goes on to SQLite's own locking, which stays the authority.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
import weakref
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's own locking only
    fcntl = None  # type: ignore[assignment]

# As long as SQLite's busy timeout: past it, waiting here would add nothing.
PATIENCE_S = 5.0
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.000_05, 0.000_2
LOCK_FILE_SUFFIX = "-writer.lock"

# Statements that take SQLite's write lock. ``WITH … INSERT`` and the like are
# missed on purpose: they stay correct, only ungated.
_WRITE_STATEMENT = re.compile(
    r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE
)


def lock_file_for(database: str) -> str | None:
    """The gate's lock file for a database path; None in memory or for a ``file:`` URI."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + LOCK_FILE_SUFFIX


def create_private(database: str) -> None:
    """Create the database file readable by its owner only, if it does not exist yet.

    It holds password hashes; sqlite3 would create it with the umask's mode
    (often world-readable). SQLite gives its -wal and -shm files the mode of
    the database file, so they stay private too. An existing file is left as is.
    """
    if lock_file_for(database) is None:  # in memory, or a URI SQLite opens itself
        return
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


class GatedConnection(sqlite3.Connection):
    """A ``sqlite3`` connection whose write transactions pass the gate first.

    Give it to ``sqlite3.connect(..., factory=GatedConnection)``; SQLAlchemy
    passes it through ``connect_args``. A new database file is created private
    (``create_private``).
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        create_private(os.fsdecode(database))
        super().__init__(database, *args, **kwargs)
        path = lock_file_for(os.fsdecode(database)) if fcntl is not None else None
        self._gate_fd: int | None = None
        self._holding_gate = False
        if path is not None:
            self._gate_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            # A connection dropped without close() must not leak its descriptor.
            weakref.finalize(self, os.close, self._gate_fd)

    @property
    def holding_gate(self) -> bool:
        """Whether this connection holds the gate (it has a write transaction open)."""
        return self._holding_gate

    def cursor(self, factory: Any = None) -> Any:
        """A cursor that passes the gate before a write (``GatedCursor`` by default)."""
        return super().cursor(factory or GatedCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        """``sqlite3.Connection.execute`` through a gated cursor."""
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        """``sqlite3.Connection.executemany`` through a gated cursor."""
        return self.cursor().executemany(sql, parameters)

    def commit(self) -> None:
        """Commit, then open the gate to the next writer."""
        try:
            super().commit()
        finally:
            self.leave_gate()

    def rollback(self) -> None:
        """Roll back, then open the gate to the next writer."""
        try:
            super().rollback()
        finally:
            self.leave_gate()

    def close(self) -> None:
        """Close the connection; a transaction left open ends, and so does its hold."""
        try:
            super().close()
        finally:
            self.leave_gate()

    def enter_gate_for(self, sql: str) -> None:
        """Wait for the gate if ``sql`` writes and this connection does not hold it yet."""
        if self._gate_fd is None or self._holding_gate or not _WRITE_STATEMENT.match(sql):
            return
        deadline = time.monotonic() + PATIENCE_S
        pause = FIRST_PAUSE_S
        while True:
            try:
                fcntl.flock(self._gate_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's busy timeout decides, as without the gate
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_S)
            else:
                self._holding_gate = True
                return

    def leave_gate(self) -> None:
        """Release the gate if held (idempotent)."""
        if self._holding_gate and self._gate_fd is not None:
            self._holding_gate = False
            fcntl.flock(self._gate_fd, fcntl.LOCK_UN)

    def leave_gate_unless_in_transaction(self) -> None:
        """After a statement: a write run outside a transaction (DDL, autocommit) is done."""
        if self._holding_gate and not self.in_transaction:
            self.leave_gate()


class GatedCursor(sqlite3.Cursor):
    """A cursor of a ``GatedConnection``: writes wait for the gate."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        """Pass the gate if ``sql`` writes, then run it."""
        connection: GatedConnection = self.connection  # type: ignore[assignment]
        connection.enter_gate_for(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            connection.leave_gate_unless_in_transaction()

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        """Pass the gate if ``sql`` writes, then run it for every set of parameters."""
        connection: GatedConnection = self.connection  # type: ignore[assignment]
        connection.enter_gate_for(sql)
        try:
            return super().executemany(sql, parameters)
        finally:
            connection.leave_gate_unless_in_transaction()
