"""``python -m quiz.supervisor``: ``make run``'s gunicorn and worker started and stopped as one.

Real processes: the supervisor is a child of the test, its commands are
Python one-liners that write their pid and sleep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def sleeper(pid_file: Path, seconds: float = 600) -> str:
    """A command that writes its pid to ``pid_file`` and sleeps ``seconds``."""
    code = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep({seconds})"
    return f"{sys.executable} -c \"{code}\""


def start(*commands: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "quiz.supervisor", *commands], cwd=REPO_ROOT)


def pid_of(pid_file: Path) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if pid_file.exists() and pid_file.read_text():
            return int(pid_file.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{pid_file} never written")


def gone(pid: int, within: float = 15) -> bool:
    """Whether process ``pid`` has exited (or is a zombie) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_ctrl_c_stops_every_command(tmp_path: Path) -> None:
    supervisor = start(sleeper(tmp_path / "a"), sleeper(tmp_path / "b"))
    pids = [pid_of(tmp_path / "a"), pid_of(tmp_path / "b")]
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=20) == 130
    assert all(gone(pid) for pid in pids)


def test_when_one_command_exits_the_others_are_stopped(tmp_path: Path) -> None:
    supervisor = start(sleeper(tmp_path / "a", seconds=0.5), sleeper(tmp_path / "b"))
    survivor = pid_of(tmp_path / "b")
    assert supervisor.wait(timeout=20) == 0  # the first to exit exited cleanly
    assert gone(survivor)


def test_a_supervisor_killed_outright_takes_its_commands_along(tmp_path: Path) -> None:
    supervisor = start(sleeper(tmp_path / "a"), sleeper(tmp_path / "b"))
    pids = [pid_of(tmp_path / "a"), pid_of(tmp_path / "b")]
    os.kill(supervisor.pid, signal.SIGKILL)
    supervisor.wait()
    assert all(gone(pid) for pid in pids)
