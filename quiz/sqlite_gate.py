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

Within one process, writers first queue on a lock of the process
(``_PROCESS_WRITER``), so that only one of them at a time polls the file:
under gunicorn's gevent workers a process has hundreds of writers waiting
(greenlets), and each polling every 200 µs kept the worker's loop busy with
nothing else; they now wait without a cost until the writer ahead is done.

A writer's wait at the gate counts against SQLite's busy timeout: past the
gate, SQLite waits only for what is left of it. So a write held up by a lock
that another process keeps (a backup, a long import) fails within the busy
timeout however many writers queue, and the app answers 503 in time.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
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


# One writer of the process at a time goes on to poll the gate's file (a gevent
# lock under gunicorn's gevent workers, which patch ``threading`` first).
_PROCESS_WRITER = threading.Lock()


class _ProcessHold:
    """Whether a connection holds ``_PROCESS_WRITER`` (released should it be dropped)."""

    def __init__(self) -> None:
        self.held = False

    def release(self) -> None:
        """Let the next writer of the process through (idempotent)."""
        if self.held:
            self.held = False
            _PROCESS_WRITER.release()


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
        self._process_hold = _ProcessHold()
        # SQLite's busy timeout before a wait at the gate shortened it, to restore.
        self._full_busy_timeout_ms: int | None = None
        if path is not None:
            self._gate_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            # A connection dropped without close() must not leak its descriptor,
            # nor keep the other writers of the process waiting.
            weakref.finalize(self, os.close, self._gate_fd)
            weakref.finalize(self, self._process_hold.release)

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
            self._end_write()

    def rollback(self) -> None:
        """Roll back, then open the gate to the next writer."""
        try:
            super().rollback()
        finally:
            self._end_write()

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
        if self._take_process_hold() and self._try_gate():
            return
        started = time.monotonic()
        busy_timeout_ms = self._busy_timeout_ms()
        deadline = started + min(PATIENCE_S, busy_timeout_ms / 1000)
        # Behind the process's other writers first, without polling; then at the file.
        if self._process_hold.held or self._take_process_hold(timeout=deadline - started):
            pause = FIRST_PAUSE_S
            while not self._try_gate() and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_S)
        # Past the gate (or past its patience), SQLite waits only for what is left.
        waited_ms = int((time.monotonic() - started) * 1000)
        self._set_busy_timeout_ms(max(busy_timeout_ms - waited_ms, 0))
        self._full_busy_timeout_ms = busy_timeout_ms

    def _take_process_hold(self, timeout: float | None = None) -> bool:
        """Take the process's writer lock, at once or within ``timeout`` seconds; whether held."""
        if not self._process_hold.held:
            if timeout is None:
                self._process_hold.held = _PROCESS_WRITER.acquire(False)
            elif timeout > 0:
                self._process_hold.held = _PROCESS_WRITER.acquire(True, timeout)
        return self._process_hold.held

    def _try_gate(self) -> bool:
        """Take the gate if it is free; whether this connection holds it now."""
        assert self._gate_fd is not None
        try:
            fcntl.flock(self._gate_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._holding_gate = True
        return True

    def _busy_timeout_ms(self) -> int:
        """SQLite's busy timeout of this connection, in milliseconds."""
        return int(self._ungated_cursor().execute("PRAGMA busy_timeout").fetchone()[0])

    def _set_busy_timeout_ms(self, milliseconds: int) -> None:
        """Set SQLite's busy timeout (a pragma: it neither reads nor writes the database)."""
        self._ungated_cursor().execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def _ungated_cursor(self) -> sqlite3.Cursor:
        """A plain cursor, for the gate's own pragmas (which must not pass the gate)."""
        return super().cursor(sqlite3.Cursor)

    def _end_write(self) -> None:
        """The transaction is over: give back the full busy timeout, then the gate."""
        try:
            if self._full_busy_timeout_ms is not None:
                full, self._full_busy_timeout_ms = self._full_busy_timeout_ms, None
                self._set_busy_timeout_ms(full)
        finally:
            self.leave_gate()

    def leave_gate(self) -> None:
        """Release the gate if held, then the process's writer lock (idempotent)."""
        try:
            if self._holding_gate and self._gate_fd is not None:
                self._holding_gate = False
                fcntl.flock(self._gate_fd, fcntl.LOCK_UN)
        finally:
            self._process_hold.release()

    def leave_gate_unless_in_transaction(self) -> None:
        """After a statement: a write run outside a transaction (DDL, autocommit) is done."""
        if not self.in_transaction and (
            self._holding_gate
            or self._process_hold.held
            or self._full_busy_timeout_ms is not None
        ):
            self._end_write()


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
