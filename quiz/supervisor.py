"""Run a few commands side by side as one: ``make run``'s gunicorn and queue worker.

    python -m quiz.supervisor "gunicorn --bind 127.0.0.1:5000 'quiz:create_app()'" "quiz worker"

Each command is split as a shell would (``shlex``) and started in a process
of its own. When one of them exits, or on Ctrl-C (SIGINT) or SIGTERM, the
others get SIGTERM, then SIGKILL after ``GRACE_S``: one command to start the
site, one Ctrl-C to stop all of it, and no worker left serving alone. The
exit status is that of the first command to exit (130 after Ctrl-C).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

GRACE_S = 10.0
POLL_S = 0.2
EXIT_INTERRUPTED = 130
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Stop(Exception):
    """A signal asked the supervisor to stop everything."""


def supervise(commands: Sequence[str]) -> int:
    """Start ``commands``; when one exits or a signal comes, stop the rest; the exit status."""
    _raise_on(signal.SIGINT, signal.SIGTERM)
    children: list[subprocess.Popen[bytes]] = []
    try:
        children = [
            subprocess.Popen(shlex.split(command), preexec_fn=_die_with_parent)
            for command in commands
        ]
        status = _first_exit(children)
    except Stop:
        status = EXIT_INTERRUPTED
    finally:
        # A second Ctrl-C while stopping must not leave children behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_all(children)
    return status


def stop_all(children: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every child still running; SIGKILL those still there after ``GRACE_S``."""
    running = [child for child in children if child.poll() is None]
    for child in running:
        child.terminate()
    deadline = time.monotonic() + GRACE_S
    for child in running:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _first_exit(children: Sequence[subprocess.Popen[bytes]]) -> int:
    """Wait until a child exits; its exit status."""
    while True:
        for child in children:
            status = child.poll()
            if status is not None:
                print(f"supervisor: {child.args!r} exited ({status})", file=sys.stderr)
                return status
        time.sleep(POLL_S)


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM it if the supervisor dies (even by SIGKILL).

    Linux only (``prctl``); elsewhere a supervisor killed outright leaves its children.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _raise_on(*signals: signal.Signals) -> None:
    """Turn ``signals`` into ``Stop`` in the main thread."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise Stop()

    for each in signals:
        signal.signal(each, handler)


def main(arguments: Sequence[str] | None = None) -> int:
    """``python -m quiz.supervisor COMMAND...``."""
    commands = list(sys.argv[1:] if arguments is None else arguments)
    if not commands:
        print("usage: python -m quiz.supervisor COMMAND [COMMAND...]", file=sys.stderr)
        return 2
    return supervise(commands)


if __name__ == "__main__":
    sys.exit(main())
