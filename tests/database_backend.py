"""Where the tests' databases live: SQLite files, or databases of one throwaway PostgreSQL cluster.

The fixtures name each database by a path (``tmp_path / "quiz.sqlite"``), as they
always did. On SQLite the path is the file. Under ``pytest --postgres`` the path
only names a database of the session's cluster: the same path always gives the same
database, made on first use, copied with ``CREATE DATABASE … TEMPLATE`` (a file copy
inside the server, much faster than importing again) and dropped when the test (or
module) that made it under its temporary folder ends.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import psycopg
from postgres_cluster import ThrowawayCluster, find_postgres_bin
from psycopg import sql


class SqliteFiles:
    """Every database is the SQLite file at its path."""

    name = "sqlite"

    def url(self, path: Path) -> str:
        """The SQLAlchemy URL of the file at ``path`` (SQLite makes it on first connect)."""
        return f"sqlite:///{path}"

    def copy(self, source: Path, target: Path) -> Path:
        """A consistent copy of ``source`` (WAL included), through SQLite's backup API."""
        origin, copy = sqlite3.connect(source), sqlite3.connect(target)
        try:
            origin.backup(copy)  # whole, whatever sits in the write-ahead log
        finally:
            origin.close()
            copy.close()
        shutil.copymode(source, target)  # a private database stays private
        return target

    def exists(self, path: Path) -> bool:
        """Whether the file exists."""
        return path.exists()

    def keep(self, path: Path) -> None:
        """Nothing to do: files are never dropped before pytest removes their folder."""

    def made(self) -> set[str]:
        """Nothing to track: pytest removes old temporary folders, files included."""
        return set()

    def drop_under(self, folder: Path) -> None:
        """Nothing to do: pytest removes old temporary folders, files included."""

    def drop_made_since(self, before: set[str]) -> None:
        """Nothing to do: pytest removes old temporary folders, files included."""

    def close(self) -> None:
        """Nothing to close."""


class PostgresDatabases:
    """One database of a throwaway cluster per path; the cluster lives as long as the session."""

    name = "postgres"

    def __init__(self) -> None:
        bindir = find_postgres_bin()
        if bindir is None:
            raise RuntimeError(
                "--postgres: no PostgreSQL server under /usr/lib/postgresql"
                " (apt-get install postgresql)"
            )
        self.cluster = ThrowawayCluster(bindir)
        maintenance_url = self.cluster.start("quiz_maintenance")
        self.server_url = maintenance_url.rsplit("/", 1)[0]
        # CREATE and DROP DATABASE cannot run inside a transaction.
        self.admin = psycopg.connect(maintenance_url, autocommit=True)
        self.paths: dict[str, Path] = {}  # database name -> the path that names it
        self.kept: set[str] = set()  # made once for the session: dropped with the cluster

    def url(self, path: Path) -> str:
        """The URL of the database ``path`` names, made empty if it does not exist yet."""
        name = self._name(path)
        if name not in self.paths:
            self.admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            self.paths[name] = path
        return f"{self.server_url}/{name}"

    def copy(self, source: Path, target: Path) -> Path:
        """Make ``target`` a copy of ``source`` (replacing it), and return ``target``."""
        origin, copy = self._name(source), self._name(target)
        self._drop(copy)
        # A template must have no other session: end the idle ones an app left
        # in its pool (the app reconnects: its engine pings before each checkout).
        self.admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (origin,),
        )
        self.admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(copy), sql.Identifier(origin)
            )
        )
        self.paths[copy] = target
        return target

    def exists(self, path: Path) -> bool:
        """Whether the database ``path`` names was made (and not dropped since)."""
        return self._name(path) in self.paths

    def keep(self, path: Path) -> None:
        """Keep the database ``path`` names until the end of the session (a template)."""
        self.kept.add(self._name(path))

    def drop_under(self, folder: Path) -> None:
        """Drop every database named by a path inside ``folder``."""
        inside = [name for name, path in self.paths.items() if path.is_relative_to(folder)]
        for name in inside:
            self._drop(name)

    def made(self) -> set[str]:
        """The names of the databases that exist now."""
        return set(self.paths)

    def drop_made_since(self, before: set[str]) -> None:
        """Drop every database made since ``made()`` returned ``before``."""
        for name in self.made() - before - self.kept:
            self._drop(name)

    def close(self) -> None:
        """Stop the cluster and delete its files."""
        self.admin.close()
        self.cluster.stop()

    def _drop(self, name: str) -> None:
        """Drop database ``name`` if it exists, ending the sessions still on it."""
        self.admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        self.paths.pop(name, None)

    @staticmethod
    def _name(path: Path) -> str:
        """A database name for ``path``: the same path always gives the same name."""
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:24]
        return f"quiz_{digest}"
