"""The home page: imported sheets with their revisions and question counts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILTIN_SHEET_TITLE, REPO_ROOT, database_url
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Question, Revision


def test_empty_state_explains_how_to_import(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Aucune fiche" in page
    assert "quiz import-sheets" in page


def _question_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        query = (
            select(Revision.label, func.count(Question.id))
            .join(Question)
            .where(Question.status == STATUS_APPROVED)
            .group_by(Revision.label)
        )
        return dict(db.session.execute(query).tuples().all())


def test_home_lists_the_imported_sheet_with_counts(imported_app: Flask) -> None:
    page = imported_app.test_client().get("/").get_data(as_text=True)
    assert BUILTIN_SHEET_TITLE in page
    assert "français" in page
    assert "Aucune fiche" not in page
    counts = _question_counts(imported_app)
    assert set(counts) == {"2022-01", "2022-later"}
    for label, file_name in [("2022-01", "2022-early.md"), ("2022-later", "later.txt")]:
        row = re.search(
            rf'<th scope="row">{label}</th>\s*<td><code>{re.escape(file_name)}</code></td>'
            r'\s*<td class="number">(\d+)</td>\s*<td class="number">(\d+)</td>',
            page,
        )
        assert row, f"no row for revision {label}"
        assert int(row.group(1)) > 0
        assert int(row.group(2)) == counts[label]
    # The sheet's count is its latest revision's: carried questions are stored once per revision.
    assert f"{counts['2022-later']} questions" in page


WEB_WORKER_SCRIPT = """
import json, sys
from quiz import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
response = app.test_client().get("/")
print(json.dumps({
    "status": response.status_code,
    "page": response.get_data(as_text=True),
    "spacy": sorted(m for m in sys.modules if m == "spacy" or m.startswith("spacy.")),
}))
"""


@pytest.mark.slow
def test_web_workers_never_load_spacy(imported_app: Flask, database_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", WEB_WORKER_SCRIPT, database_url(database_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(completed.stdout)
    assert report["status"] == 200
    assert BUILTIN_SHEET_TITLE in report["page"]
    assert report["spacy"] == []
