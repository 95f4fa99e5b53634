"""A throwaway PostgreSQL cluster in a temporary folder, for the tests that need one."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

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
