"""`quiz generate --json` gives the same bytes in separate processes.

Python randomises string hashing per process, so any set or dict iteration that
leaked into the output (distractor order, ids) would differ between these runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

ROOT = Path(__file__).resolve().parents[1]


def generate_json(hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "quiz", "generate", "questions", "tests/data/sheets", "--json"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True).stdout


def test_output_is_identical_across_processes() -> None:
    first, second = generate_json("1"), generate_json("2")
    assert first.startswith(b"{") and b'"questions"' in first
    assert first == second
