"""The project commands: init-db, import-sheets and generate on the built-in sheets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import BUILTIN_SHEET_TITLE, QUESTIONS_DIR, REPO_ROOT, Snapshot
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Question, Revision, Sheet


def test_init_db_is_idempotent(runner: FlaskCliRunner, row_counts: Callable[..., Any]) -> None:
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "Database ready" in result.output
    expected = {"sheets", "revisions", "paragraphs", "questions", "users", "attempts", "answers"}
    expected |= {"rate_limit_counters", "import_jobs"}
    expected |= {"live_sessions", "live_participants", "live_answers"}
    assert set(row_counts(runner.app)) == expected


def test_import_sheets_fills_every_table(
    imported_app: Flask, row_counts: Callable[[Flask], dict[str, int]]
) -> None:
    counts = row_counts(imported_app)
    assert counts["sheets"] == 1
    assert counts["revisions"] == 2
    assert counts["paragraphs"] > 0
    assert counts["questions"] > 0
    with imported_app.app_context():
        sheet = db.session.scalars(select(Sheet)).one()
        assert sheet.title == BUILTIN_SHEET_TITLE
        assert sheet.lang == "fr"
        assert [r.label for r in sheet.revisions] == ["2022-01", "2022-later"]
        assert [r.file_name for r in sheet.revisions] == ["2022-early.md", "later.txt"]
        questions = db.session.scalars(select(Question)).all()
        assert {q.status for q in questions} == {STATUS_APPROVED}


def test_each_question_is_stored_with_its_source(
    imported_app: Flask, runner: FlaskCliRunner
) -> None:
    generated = json.loads(_generate_json(runner))["questions"]
    sources = {(q["source"]["revision"], q["id"]): q["source"] for q in generated}
    with imported_app.app_context():
        questions = db.session.scalars(select(Question)).all()
        assert len(questions) == len(generated)
        for question in questions:
            source = sources[(question.revision.label, question.uid)]
            assert question.paragraph.revision_id == question.revision_id
            assert question.paragraph.anchor == source["anchor"]
            assert question.paragraph.text == source["paragraph"]
            span = (question.evidence_start, question.evidence_end)
            assert span == (source["evidence"]["start"], source["evidence"]["end"])
            assert 0 <= span[0] < span[1] <= len(question.paragraph.text)


def test_import_sheets_twice_changes_nothing(
    imported_app: Flask,
    runner: FlaskCliRunner,
    snapshot: Callable[[Flask], Snapshot],
) -> None:
    before = snapshot(imported_app)
    result = runner.invoke(args=["import-sheets", str(QUESTIONS_DIR)])
    assert result.exit_code == 0, result.output
    assert "Up to date" in result.output
    assert " 0 added, 0 updated" in result.output
    assert snapshot(imported_app) == before


def test_import_summary_counts_what_was_added(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    dialect = runner.app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    assert lines[0].startswith(f"Imported into {dialect}://")
    assert lines[1].split() == ["sheets:", "1", "added,", "0", "updated,", "0", "unchanged"]
    assert lines[2].split()[:2] == ["revisions:", "2"]


def test_a_changed_revision_is_updated_in_place(
    imported_app: Flask, runner: FlaskCliRunner, snapshot: Callable[[Flask], Snapshot]
) -> None:
    # Simulate an older import of one revision: the next import refreshes it,
    # keeping the rows' ids (answers will point at them) and leaving the other alone.
    with imported_app.app_context():
        revision = db.session.scalars(select(Revision).filter_by(label="2022-01")).one()
        revision.content_hash = "0" * 64
        question = revision.questions[0]
        question_id, prompt = question.id, question.prompt
        question.prompt = "Ancienne formulation ?"
        db.session.commit()
    result = runner.invoke(args=["import-sheets"])
    assert result.exit_code == 0, result.output
    assert "revisions:  0 added, 1 updated, 1 unchanged" in result.output
    assert "questions:  0 added, 1 updated" in result.output
    with imported_app.app_context():
        assert db.session.get(Question, question_id).prompt == prompt  # type: ignore[union-attr]


def _generate_json(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["generate", str(QUESTIONS_DIR), "--json"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_generate_json_is_identical_on_every_run(runner: FlaskCliRunner) -> None:
    first = _generate_json(runner)
    assert _generate_json(runner) == first
    data = json.loads(first)
    assert set(data) == {"sheets", "questions"}
    assert [s["revision"] for s in data["sheets"]] == ["2022-01", "2022-later"]
    assert data["questions"]
    # Exactly the documented formatting, plus click's newline.
    assert first == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@pytest.mark.slow
def test_generate_json_is_identical_across_processes(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Separate interpreters with different hash seeds: set or dict ordering
    # that depends on hashing would show up here, not in one process.
    outputs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "QUIZ_INSTANCE_PATH": str(tmp_path)}
        completed = subprocess.run(
            [sys.executable, "-m", "quiz", "generate", "questions", "--json"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == _generate_json(runner)


def test_generate_without_json_prints_a_summary(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["generate", str(QUESTIONS_DIR)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("relations-otan-russie [2022-01] 2022-early.md:")
    assert lines[-1].startswith("2 revisions, ")


def test_generate_needs_a_path(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["generate"]).exit_code == 2
