"""The previous release (before migrations), run from its own code, to make databases to upgrade.

``checkout`` extracts the release's package, templates, static files and sheets
from git into a folder; ``fill_database`` runs that code in a subprocess (its
``init-db``, ``import-sheets``, then a script of its services) on a database URL,
leaving accounts, an attempt with answers and an edited question version.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

# The last release without migrations: the baseline migration is its schema.
PREVIOUS_RELEASE = "795477a"
REPO_ROOT = Path(__file__).resolve().parent.parent
LEARNER, INSTRUCTOR = "alice", "mr_smith"
PASSWORD = "correct horse battery"

# Run by the previous release's Python code: a learner's quiz half answered (one
# answer wrong), and an instructor's edit of an answered question (a new version).
SEED_SCRIPT = f"""
from dataclasses import replace
from sqlalchemy import func, select
from quiz import create_app
from quiz.extensions import db
from quiz.models import Question, Revision
from quiz.services import accounts, attempts, editing


def wrong_answer(question):
    # A valid answer of the question's type that is not the right one.
    others = [choice for choice in question.choices if choice != question.answer]
    if others:  # mcq, true_false
        return others[0]
    if question.type == "order":
        return list(reversed(question.answer))
    return "987654321" if question.type == "numeric" else "pas du tout"


app = create_app()
with app.app_context():
    learner = accounts.register({LEARNER!r}, {PASSWORD!r})
    teacher = accounts.register({INSTRUCTOR!r}, {PASSWORD!r}, role="instructor")
    db.session.commit()
    busiest = (
        select(Revision).join(Question).group_by(Revision.id).order_by(func.count().desc())
    )
    revision = db.session.scalars(busiest).first()
    attempt = attempts.start_attempt(
        attempts.Owner(user_id=learner.id), revision.sheet.slug, revision.label, count=8
    )
    asked = attempt.questions
    for question in asked[:3]:
        attempts.submit_answer(attempt, question.id, question.answer)
    attempts.submit_answer(attempt, asked[3].id, wrong_answer(asked[3]))
    db.session.commit()
    edited = asked[0]
    content = replace(editing.content_of(edited), prompt=edited.prompt + " (revu)")
    outcome = editing.edit_question(edited, content, teacher.id, editing.stamp(edited))
    assert outcome.new_version, outcome
    db.session.commit()
"""


def checkout(target: Path) -> Path:
    """The previous release's files in ``target``; skips the test when git lacks the commit."""
    folders = ["quiz", "templates", "static", "questions"]
    done = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", PREVIOUS_RELEASE, *folders],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"git cannot read release {PREVIOUS_RELEASE}: {done.stderr.decode()[:200]}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(target, filter="data")
    return target


def fill_database(release: Path, database_url: str, instance: Path) -> None:
    """Create and fill a database at ``database_url`` with the release's own code."""
    env = {
        **os.environ,
        "PYTHONPATH": str(release),
        "DATABASE_URL": database_url,
        "QUIZ_INSTANCE_PATH": str(instance),
    }
    env.pop("SECRET_KEY", None)
    steps = [
        ["-m", "quiz", "init-db"],
        ["-m", "quiz", "import-sheets"],
        ["-c", SEED_SCRIPT],
    ]
    for step in steps:
        done = subprocess.run(
            [sys.executable, *step],
            cwd=release,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{step[-1][:40]!r} failed:\n{done.stdout}\n{done.stderr}"
