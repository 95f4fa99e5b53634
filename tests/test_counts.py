"""One count of paragraphs and of questions, whichever page shows it.

The built-in sheet is imported, then its later text again as a third revision:
its unchanged paragraphs carry their questions over, so the same question is
stored once per revision. The home page, the sheet list, the sheet pages, the
JSON API and the instructor's pages must agree on every number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import LATEST_REVISION, OLD_REVISION, SHEET_SLUG, logged_in_client
from conftest import (
    QUESTIONS_DIR,
    app_on_copy,
    build_imported_database,
    isolated_module_environment,
    make_app,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Paragraph, Question, Revision
from quiz.services.accounts import users

CARRIED_REVISION = "2022-later-bis"
LABELS = (OLD_REVISION, LATEST_REVISION, CARRIED_REVISION)


@pytest.fixture(scope="module")
def carried_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets, then ``later.txt`` again as a third revision (questions carried)."""
    folder = tmp_path_factory.mktemp("carried")
    with isolated_module_environment(folder):
        path = build_imported_database(folder / "quiz.sqlite")
        app = make_app(path)
        later = QUESTIONS_DIR / "otan-russie" / "later.txt"
        arguments = ["--sheet", SHEET_SLUG, "--revision", CARRIED_REVISION, "--approve"]
        result = app.test_cli_runner().invoke(args=["import-file", str(later), *arguments])
        assert result.exit_code == 0, result.output
        with app.app_context():
            users.register("reader-one", "correct horse battery")
            db.session.commit()
            db.engine.dispose()
    return path


@pytest.fixture
def carried(carried_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on the test's own copy of ``carried_database``."""
    with app_on_copy(carried_database, tmp_path) as app:
        yield app


def stored_counts(app: Flask) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Per revision label: quizzable paragraphs, every paragraph shown, approved questions."""
    with app.app_context():

        def per_label(model: type[Paragraph] | type[Question], *where: object) -> dict[str, int]:
            query = select(Revision.label, func.count(model.id)).join(model).where(*where)
            return dict(db.session.execute(query.group_by(Revision.label)).tuples().all())

        shown = Paragraph.retired.is_(False)
        return (
            per_label(Paragraph, shown, Paragraph.quizzable.is_(True)),
            per_label(Paragraph, shown),
            per_label(Question, Question.status == STATUS_APPROVED),
        )


def home_rows(client: FlaskClient) -> dict[str, tuple[int, int]]:
    """The home page's revision table: label → (paragraphs, questions)."""
    page = client.get("/").get_data(as_text=True)
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td><code>[^<]*</code></td>'
        r'\s*<td class="number">(\d+)</td>\s*<td class="number">(\d+)</td>',
        page,
    )
    return {label: (int(paragraphs), int(questions)) for label, paragraphs, questions in rows}


def home_sheet_total(client: FlaskClient) -> int:
    """The question count the home page prints beside the sheet's title."""
    client.get("/lang/en")
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"<span>(\d+) questions?</span>", page)
    assert match, "no question count on the home page"
    return int(match.group(1))


def test_the_builtin_revision_counts_only_quizzable_paragraphs(carried: Flask) -> None:
    quizzable, shown, _approved = stored_counts(carried)
    # Headings, captions and contact blocks are shown but never asked about.
    assert (quizzable[OLD_REVISION], shown[OLD_REVISION]) == (22, 33)
    rows = home_rows(carried.test_client())
    assert {label: rows[label][0] for label in LABELS} == {label: quizzable[label] for label in LABELS}


def test_every_page_agrees_on_paragraph_and_question_counts(carried: Flask) -> None:
    quizzable, _shown, approved = stored_counts(carried)
    assert approved[CARRIED_REVISION] == approved[LATEST_REVISION] > 0
    client = carried.test_client()
    assert home_rows(client) == {label: (quizzable[label], approved[label]) for label in LABELS}

    author = logged_in_client(carried)
    listing = author.get("/author/sheets").get_data(as_text=True)
    for label in LABELS:
        row = re.search(
            rf'<tr data-revision="{re.escape(label)}">.*?<td class="number">(\d+)</td>'
            r'\s*<td class="number">(\d+)</td>',
            listing,
            re.S,
        )
        assert row, f"no row for {label} on the instructor's sheet list"
        assert (int(row.group(1)), int(row.group(2))) == (quizzable[label], approved[label])
        page = author.get(f"/author/sheets/{SHEET_SLUG}/revisions/{label}").get_data(as_text=True)
        tiles = dict(re.findall(r'<div class="stat"><dt>([^<]+)</dt><dd>(\d+)</dd>', page))
        assert (int(tiles["Paragraphs"]), int(tiles["Approved questions"])) == (
            quizzable[label],
            approved[label],
        )


def test_a_carried_question_counts_once_for_the_sheet(carried: Flask) -> None:
    _quizzable, _shown, approved = stored_counts(carried)
    latest = approved[CARRIED_REVISION]
    with carried.app_context():
        copies = select(func.count(Question.id)).join(Revision).where(
            Revision.label == CARRIED_REVISION, Question.carried_from_id.is_not(None)
        )
        assert db.session.scalar(copies) == latest  # every one of them carried over
    client = carried.test_client()
    # The sheet asks what its latest revision asks: the home page, the sheet list and the API agree.
    assert home_sheet_total(client) == latest
    sheets = client.get("/sheets").get_data(as_text=True)
    assert re.search(rf"<dt>Questions</dt><dd>{latest}</dd>", sheets)
    token = client.post(
        "/api/v1/auth/token", json={"username": "reader-one", "password": "correct horse battery"}
    ).get_json()["token"]
    [body] = client.get("/api/v1/sheets", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["question_count"] == latest
    assert {r["label"]: r["question_count"] for r in body["revisions"]} == approved
