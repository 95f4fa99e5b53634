"""``bench/stack.py``: the stack of docs/deploy.md on loopback, played through the API."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO_ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

STACK_SCRIPT = REPO_ROOT / "bench" / "stack.py"


def missing_servers() -> list[str]:
    """The servers the stack needs that this machine lacks."""
    missing = []
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("PostgreSQL")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    return missing


def require_servers() -> None:
    """Skip the test when a server is missing (fail it on CI, which installs them)."""
    missing = missing_servers()
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing: .ci/run installs postgresql and redis-server")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install postgresql redis-server)")


def test_the_stack_serves_a_learner_through_the_api(tmp_path: Path) -> None:
    require_servers()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, str(STACK_SCRIPT), "--workers", "2"],
        cwd=tmp_path,  # the script finds the checkout from its own path
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "stack: gunicorn (2 workers) serving at http://127.0.0.1:" in done.stdout
    assert any(line.startswith("stack: /healthz: ok") for line in lines)
    assert any("stats agree" in line for line in lines)
    assert any(line.startswith("stack: redis holds") for line in lines)
    assert lines[-1] == "stack: OK"
    # Everything it started is gone: the folder (cluster, logs, instance) and the servers.
    folder = Path(lines[0].split()[3])
    assert folder.name.startswith("quiz-stack-") and not folder.exists()
    url = next(line for line in lines if "serving at" in line).split()[-3]
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/healthz", timeout=2)
