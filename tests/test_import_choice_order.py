"""Imported multiple-choice questions do not show the right answer first.

GIFT writers put ``=right`` first, and JSON or CSV files keep whatever order
their author typed: the import stores the choices in a fixed shuffled order,
as the editor does, the same on every import. Through ``quiz import`` on a
copy of the built-in sheets' database (a real SQLite file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import copy_database, make_app
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from test_exchange_cli import export_file, import_file

from quiz import exchange
from quiz.extensions import db
from quiz.models import Question

VARIANTS = 8


@pytest.fixture
def database_path(tmp_path: Path, imported_database: Path) -> Path:
    """This test's copy of conftest's imported database (conftest's ``app`` opens it)."""
    return copy_database(imported_database, tmp_path / "quiz.sqlite")


def answer_first_variants(runner: FlaskCliRunner, tmp_path: Path) -> list[dict[str, Any]]:
    """New mcq questions, their right answer written first as GIFT writers do."""
    records = export_file(runner, tmp_path / "base.json", "--all-revisions")
    mcqs = [record for record in records if record["type"] == "mcq"][:VARIANTS]
    assert len(mcqs) == VARIANTS
    return [
        dict(
            record,
            id=f"q-{number:012x}",
            prompt=f"Variante {number} : {record['prompt']}",
            choices=[record["answer"], *(c for c in record["choices"] if c != record["answer"])],
        )
        for number, record in enumerate(mcqs, start=1)
    ]


def stored_choices(app: Flask, ids: list[str]) -> dict[str, list[str]]:
    """The choices of the rows of ``ids``, as stored."""
    with app.app_context():
        rows = db.session.scalars(select(Question).where(Question.uid.in_(ids)))
        return {row.uid: list(row.choices) for row in rows}


@pytest.mark.parametrize("file_name", ["q.gift", "q.csv", "q.json"])
def test_imported_choices_are_shuffled_the_same_way_on_every_import(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, imported_database: Path, file_name: str
) -> None:
    variants = answer_first_variants(runner, tmp_path)
    path = tmp_path / file_name
    path.write_bytes(exchange.export(str(exchange.format_for_path(path)), variants).content)
    assert all(record["choices"][0] == record["answer"] for record in exchange_records(path))

    result = import_file(runner, path)
    assert result.exit_code == 0, result.output
    ids = [record["id"] for record in variants]
    stored = stored_choices(app, ids)
    answers = {record["id"]: record["answer"] for record in variants}
    positions = [stored[uid].index(answers[uid]) for uid in ids]
    assert len(set(positions)) > 1, positions  # the answer is not always at one place
    assert {uid: sorted(choices) for uid, choices in stored.items()} == {
        record["id"]: sorted(record["choices"]) for record in variants
    }

    again = import_file(runner, path)  # the same file: the same questions, nothing added
    assert again.exit_code == 0, again.output
    assert again.output.rstrip().endswith(f": 0 added as drafts, {VARIANTS} unchanged")

    elsewhere = make_app(copy_database(imported_database, tmp_path / "other.sqlite"))
    assert elsewhere.test_cli_runner().invoke(args=["import", str(path)]).exit_code == 0
    assert stored_choices(elsewhere, ids) == stored  # deterministic: the same order anywhere
    with elsewhere.app_context():
        db.engine.dispose()


def exchange_records(path: Path) -> list[dict[str, Any]]:
    """The records a file holds, as the import parses them."""
    format_name = str(exchange.format_for_path(path))
    return [item.record for item in exchange.parse(format_name, path.read_bytes())]
