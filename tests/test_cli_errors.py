"""Bad input: one line on stderr, exit status 2, nothing written to the database."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import QUESTIONS_DIR, Snapshot, database_url
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import text

from quiz.extensions import db

TEN_MB = 10 * 1024 * 1024


def _write_huge(path: Path) -> None:
    sentence = "L’OTAN a été fondée le 4 avril 1949 à Washington. ".encode()
    path.write_bytes((sentence * (TEN_MB // len(sentence) + 1))[:TEN_MB])


def _write_one_line(path: Path) -> None:
    """A sheet of one line longer than spaCy parses (1,000,000 characters), under 5 MB."""
    sentence = "Le traité de Rome fut signé le 25 mars 1957 par six pays. "
    path.write_text(sentence * (1_100_000 // len(sentence)), encoding="utf-8")


# name -> (file name, function writing it)
BAD_SHEETS: dict[str, tuple[str, Callable[[Path], object]]] = {
    "empty": ("vide.md", lambda p: p.write_bytes(b"")),
    "binary": ("binaire.txt", lambda p: p.write_bytes(bytes(range(256)) * 64)),
    "undecodable": (
        "latin1.txt",
        lambda p: p.write_bytes("Le traité a été signé à Rome en 1957. ".encode("latin-1") * 40),
    ),
    "ten megabytes": ("enorme.txt", _write_huge),
    "one line over spaCy's limit": ("une-ligne.txt", _write_one_line),
    "unknown extension": ("fiche.docx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 200)),
    "no facts": ("bonjour.txt", lambda p: p.write_text("Bonjour tout le monde.\n")),
    "missing": ("absent.md", lambda p: None),
}


@pytest.fixture(params=sorted(BAD_SHEETS))
def bad_sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A sheet file the pipeline must reject."""
    name, write = BAD_SHEETS[request.param]
    path = tmp_path / "sheets" / name
    path.parent.mkdir()
    write(path)
    return path


def assert_one_line_error(result: Result) -> None:
    """Exit status 2, a single ``error: ...`` line on stderr, nothing on stdout."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_generate_rejects_bad_sheets(runner: FlaskCliRunner, bad_sheet: Path) -> None:
    assert_one_line_error(runner.invoke(args=["generate", str(bad_sheet), "--json"]))


def test_import_rejects_bad_sheets_and_writes_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    bad_sheet: Path,
    snapshot: Callable[[Flask], Snapshot],
) -> None:
    before = snapshot(app)
    assert_one_line_error(runner.invoke(args=["import-sheets", str(bad_sheet)]))
    assert snapshot(app) == before


def test_one_bad_file_stops_the_whole_import(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    row_counts: Callable[[Flask], dict[str, int]],
) -> None:
    # A good sheet next to a bad one: everything is generated before the
    # first write, so the good one is not imported either.
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(QUESTIONS_DIR / "otan-russie" / "2022-early.md", folder / "bonne.md")
    (folder / "vide.txt").write_bytes(b"")
    assert_one_line_error(runner.invoke(args=["import-sheets", str(folder)]))
    assert set(row_counts(app).values()) == {0}


def test_a_folder_without_sheets_is_an_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert_one_line_error(runner.invoke(args=["generate", str(tmp_path)]))


def test_import_before_init_db_says_what_to_do(tmp_path: Path) -> None:
    from quiz import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url(tmp_path / "x.db")})
    result = app.test_cli_runner().invoke(args=["import-sheets"])
    assert result.exit_code == 1
    assert result.stderr == "error: the database has no tables yet: run `quiz init-db` first\n"


@pytest.mark.parametrize(
    "source",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x", "42"],
)
def test_a_sheet_may_only_link_to_a_web_page(
    runner: FlaskCliRunner, tmp_path: Path, source: str
) -> None:
    """The manifest's ``source`` becomes a link on the sheet pages: http(s) only."""
    folder = tmp_path / "sheets" / "suez"
    folder.mkdir(parents=True)
    (folder / "suez.md").write_text("Le canal de Suez a été inauguré le 17 novembre 1869.\n")
    quoted = source if source == "42" else f'"{source}"'
    (folder / "sheet.toml").write_text(
        f'title = "Suez"\nsource = {quoted}\n[[revisions]]\nfile = "suez.md"\n'
    )
    result = runner.invoke(args=["generate", str(folder), "--json"])
    assert_one_line_error(result)
    assert "http(s) URL" in result.stderr


def test_init_db_names_a_model_column_no_migration_creates(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """A column the models have and the migrated table lacks is named, not a crash.

    (Databases older than the migrations: see test_migrations.)
    """
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        db.session.execute(text("ALTER TABLE paragraphs DROP COLUMN facts"))
        db.session.commit()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "paragraphs.facts" in result.stderr
    assert "Traceback" not in result.output
