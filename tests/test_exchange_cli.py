"""``quiz export`` and ``quiz import`` through Flask's test runner, on the built-in sheets.

``quiz import-sheets`` runs spaCy (seconds), so it runs once for the module
(conftest's ``imported_database``); each test gets its own copy of that file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import date_order_events, logged_in_client
from conftest import BUILTIN_SHEET_TITLE, Snapshot, copy_database
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from quiz import exchange
from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Question

SLUG = "relations-otan-russie"
NEWEST = "2022-later"
NEW_ID = "q-0123456789ab"


@pytest.fixture
def database_path(tmp_path: Path, imported_database: Path) -> Path:
    """This test's copy of conftest's imported database (conftest's ``app`` opens it)."""
    return copy_database(imported_database, tmp_path / "quiz.sqlite")


SITE_URL = "https://quiz.example.org/"


@pytest.fixture(autouse=True)
def site_address(app: Flask) -> None:
    """The site's address, which exports need for their citation links."""
    app.config["SITE_URL"] = SITE_URL


def newest_approved_ids(app: Flask) -> set[str]:
    """The stable ids of the approved questions of the sheet's newest revision."""
    with app.app_context():
        questions = db.session.scalars(select(Question)).all()
        return {
            q.uid for q in questions if q.revision.label == NEWEST and q.status == STATUS_APPROVED
        }


def export_file(runner: FlaskCliRunner, path: Path, *options: str) -> list[dict[str, Any]]:
    """Run ``quiz export -o path`` (exit 0) and read the records back when the format allows."""
    result = runner.invoke(args=["export", "-o", str(path), *options])
    assert result.exit_code == 0, result.output
    format_name = options[options.index("--format") + 1] if "--format" in options else None
    format_name = format_name or exchange.format_for_path(path)
    if format_name == "apkg":
        return []
    return [item.record for item in exchange.parse(str(format_name), path.read_bytes())]


def import_file(runner: FlaskCliRunner, path: Path, *options: str) -> Any:
    """Run ``quiz import path``."""
    return runner.invoke(args=["import", str(path), *options])


@pytest.mark.parametrize(
    ("file_name", "options"),
    [
        ("questions.gift", ()),
        ("questions.xml", ()),
        ("questions.apkg", ()),
        ("questions.csv", ()),
        ("questions.json", ()),
        ("moodle-export.txt", ()),
        ("anything.dat", ("--format", "json")),
    ],
)
def test_export_writes_the_approved_questions_of_the_newest_revision(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, file_name: str, options: tuple[str, ...]
) -> None:
    expected = newest_approved_ids(app)
    path = tmp_path / file_name
    records = export_file(runner, path, *options)
    assert path.stat().st_size > 0
    if not file_name.endswith(".apkg"):
        assert {record["id"] for record in records} == expected
        assert len(records) == len(expected)
        assert {record["source"]["revision"] for record in records} == {NEWEST}


def test_export_reports_the_count(runner: FlaskCliRunner, tmp_path: Path, app: Flask) -> None:
    result = runner.invoke(args=["export", "-o", str(tmp_path / "q.gift")])
    count = len(newest_approved_ids(app))
    assert result.output.strip() == f"Exported {count} questions to {tmp_path / 'q.gift'} (gift)"


def a_selective_tag(app: Flask) -> str:
    """The rarest topic among the approved questions (some have it, most do not)."""
    with app.app_context():
        tags = db.session.scalars(select(Question.tags).filter_by(status=STATUS_APPROVED)).all()
    counts = Counter(tag for question_tags in tags for tag in question_tags)
    tag, count = min(counts.items(), key=lambda item: (item[1], item[0]))
    assert count < len(tags), "no topic leaves a question out"
    return tag


def test_export_filters_by_sheet_tag_and_revisions(
    runner: FlaskCliRunner, tmp_path: Path, app: Flask
) -> None:
    tag = a_selective_tag(app)
    options = ("--sheet", SLUG, "--tag", tag, "--all-revisions")
    by_tag = export_file(runner, tmp_path / "tagged.json", *options)
    with app.app_context():
        approved = db.session.scalars(select(Question).filter_by(status=STATUS_APPROVED)).all()
        tagged = {q.uid for q in approved if tag in q.tags}
    assert {record["id"] for record in by_tag} == tagged
    assert by_tag and all(tag in record["tags"] for record in by_tag)
    every = export_file(runner, tmp_path / "all.json", "--all-revisions")
    with app.app_context():
        stored = {q.uid for q in db.session.scalars(select(Question))}
    assert {record["id"] for record in every} == stored
    assert len(every) == len(stored)  # one record per stable id
    assert len(every) > len(newest_approved_ids(app))


def test_json_export_has_the_sheet_objects(runner: FlaskCliRunner, tmp_path: Path) -> None:
    export_file(runner, tmp_path / "q.json")
    document = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    [sheet] = document["sheets"]
    assert (sheet["slug"], sheet["title"], sheet["revision"]) == (SLUG, BUILTIN_SHEET_TITLE, NEWEST)
    anchors = {paragraph["anchor"] for paragraph in sheet["paragraphs"]}
    assert {q["source"]["anchor"] for q in document["questions"]} <= anchors


def test_export_errors(runner: FlaskCliRunner, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"  # apart from the database
    tmp_path.mkdir()
    unknown = runner.invoke(args=["export", "--sheet", "nope", "-o", str(tmp_path / "x.csv")])
    assert unknown.exit_code == 2 and "error: no sheet 'nope'" in unknown.output
    none = runner.invoke(args=["export", "--tag", "nothing", "-o", str(tmp_path / "x.csv")])
    assert none.exit_code == 1 and "no question matches" in none.output
    extension = runner.invoke(args=["export", "-o", str(tmp_path / "x.docx")])
    assert extension.exit_code == 2 and "unknown extension" in extension.output
    assert list(tmp_path.iterdir()) == []


def test_citation_links_open_the_cited_sheet_page(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    export_file(runner, tmp_path / "q.csv")
    text = (tmp_path / "q.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows[:5]:
        link = row["citation"].rsplit(" — ", 1)[1]
        assert link.startswith(f"{SITE_URL}sheets/{SLUG}/revisions/{NEWEST}?hl={row['anchor']}:")
        response = client.get(link)
        assert response.status_code == 200
        assert f'id="{row["anchor"]}"' in response.get_data(as_text=True)


def test_base_url_makes_links_absolute(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "q.xml"
    export_file(runner, path, "--base-url", "https://other.example.org/")
    assert 'href="https://other.example.org/sheets/' in path.read_text(encoding="utf-8")


def test_links_take_the_configured_site_address(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "q.gift"
    export_file(runner, path)
    text = path.read_text(encoding="utf-8")
    assert f"— {SITE_URL}sheets/{SLUG}/revisions/" in gift_unescaped(text)
    assert "— /sheets/" not in gift_unescaped(text)


@pytest.mark.parametrize("file_name", ["q.gift", "q.xml", "q.csv", "q.apkg"])
def test_an_export_without_the_site_address_is_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, file_name: str
) -> None:
    app.config["SITE_URL"] = ""
    result = runner.invoke(args=["export", "-o", str(tmp_path / file_name)])
    assert result.exit_code == 2 and "QUIZ_SITE_URL" in result.output
    assert not (tmp_path / file_name).exists()


def test_the_page_and_the_command_link_to_the_same_address(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "q.gift"
    export_file(runner, path)
    downloaded = logged_in_client(app).get("/author/export?format=gift").data
    assert downloaded == path.read_bytes()


def gift_unescaped(text: str) -> str:
    """GIFT text with its backslash escapes undone (links escape ':' and '=')."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("file_name", ["q.gift", "q.xml", "q.csv", "q.json"])
def test_importing_an_export_back_changes_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    snapshot: Callable[[Flask], Snapshot],
    file_name: str,
) -> None:
    export_file(runner, tmp_path / file_name)
    before = snapshot(app)
    result = import_file(runner, tmp_path / file_name)
    assert result.exit_code == 0, result.output
    count = len(newest_approved_ids(app))
    assert result.output.rstrip().endswith(f": 0 added as drafts, {count} unchanged")
    assert snapshot(app) == before


def new_question(runner: FlaskCliRunner, tmp_path: Path) -> dict[str, Any]:
    """An exported question under a new id with a new prompt: a teacher's variant.

    Any approved question but an ordering one (GIFT cannot hold every one of those).
    """
    records = export_file(runner, tmp_path / "base.json", "--all-revisions")
    record = dict(next(record for record in records if record["type"] != "order"))
    record["id"] = NEW_ID
    record["prompt"] = "Variante : " + record["prompt"]
    return record


def write_json(path: Path, records: list[dict[str, Any]]) -> Path:
    """``records`` as a JSON import file."""
    document = {"sheets": [], "questions": records}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_import_adds_drafts_tied_to_their_paragraph(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    record = new_question(runner, tmp_path)
    result = import_file(runner, write_json(tmp_path / "new.json", [record]))
    assert result.exit_code == 0, result.output
    assert "1 added as drafts, 0 unchanged" in result.output
    with app.app_context():
        question = db.session.scalars(select(Question).filter_by(uid=NEW_ID)).one()
        assert question.status == STATUS_DRAFT
        assert question.revision.label == record["source"]["revision"]
        assert question.paragraph.anchor == record["source"]["anchor"]
        assert question.paragraph.text == record["source"]["paragraph"]
        evidence = record["source"]["evidence"]
        assert (question.evidence_start, question.evidence_end) == (
            evidence["start"],
            evidence["end"],
        )
    # Exported again, the draft is the very question that came in.
    drafts = export_file(runner, tmp_path / "drafts.gift", "--status", "draft", "--all-revisions")
    assert drafts == [record]


@pytest.mark.parametrize("file_name", ["q.gift", "q.csv", "q.json"])
def test_event_dates_survive_an_export_and_an_import(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, file_name: str
) -> None:
    date_order_events(app)  # as the generator will write them
    records = export_file(runner, tmp_path / "all.json", "--all-revisions")
    record = next(record for record in records if record["type"] == "order")
    assert all(source["date"] for source in record["item_sources"])
    variant = dict(record, id=NEW_ID, prompt="Variante : " + record["prompt"])
    path = tmp_path / file_name
    path.write_bytes(exchange.export(str(exchange.format_for_path(path)), [variant]).content)
    result = import_file(runner, path)
    assert result.exit_code == 0, result.output
    assert "1 added as drafts" in result.output
    with app.app_context():
        row = db.session.scalars(select(Question).filter_by(uid=NEW_ID)).one()
        assert row.item_sources == record["item_sources"]
    again = export_file(runner, tmp_path / "drafts.json", "--status", "draft", "--all-revisions")
    assert [r["item_sources"] for r in again if r["id"] == NEW_ID] == [record["item_sources"]]


def test_import_refuses_a_sheet_it_does_not_know(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, snapshot: Callable[[Flask], Snapshot]
) -> None:
    known = new_question(runner, tmp_path)
    unknown = dict(known, id="q-0123456789ac", source=dict(known["source"], sheet="inconnue"))
    path = write_json(tmp_path / "mixed.json", [known, unknown])
    before = snapshot(app)
    result = import_file(runner, path)
    assert result.exit_code == 2
    line = path.read_text(encoding="utf-8").splitlines().index("    {", 5) + 1
    assert f"error: {path}:{line}: q-0123456789ac: unknown sheet 'inconnue'" in result.output
    assert snapshot(app) == before  # not even the known one


def test_import_never_overwrites_a_question(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, snapshot: Callable[[Flask], Snapshot]
) -> None:
    [record, *_] = export_file(runner, tmp_path / "q.json")
    edited = dict(record, prompt="Une autre question ?")
    before = snapshot(app)
    result = import_file(runner, write_json(tmp_path / "edited.json", [edited]))
    assert result.exit_code == 2
    assert "never overwrites a question" in result.output
    assert snapshot(app) == before


def test_malformed_gift_imports_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, snapshot: Callable[[Flask], Snapshot]
) -> None:
    good = exchange.export("gift", [new_question(runner, tmp_path)]).content.decode()
    path = tmp_path / "broken.gift"
    path.write_text(good + "\n::q-0123456789ad::Unclosed {=answer\n", encoding="utf-8")
    line = len(good.splitlines()) + 2
    before = snapshot(app)
    result = import_file(runner, path)
    assert result.exit_code == 2
    assert f"error: {path}:{line}: the answer block '{{' is not closed" in result.output
    assert snapshot(app) == before


def test_import_refuses_what_it_cannot_read(runner: FlaskCliRunner, tmp_path: Path) -> None:
    deck = tmp_path / "deck.apkg"
    export_file(runner, deck)
    result = import_file(runner, deck)
    assert result.exit_code == 2 and "cannot import apkg files" in result.output
    notes = tmp_path / "notes.docx"
    notes.write_text("x", encoding="utf-8")
    result = import_file(runner, notes)
    assert result.exit_code == 2 and "unknown extension" in result.output
    result = import_file(runner, notes, "--format", "csv")
    assert result.exit_code == 2 and "missing column 'prompt'" in result.output
