"""``quiz import-file``: one sheet file, as a new sheet or as the next revision of one.

Run in-process through Flask's CLI runner (the web runs the same command in a
child process, see test_author_sheets.py). The samples in tests/data/uploads
are short sheets written for these tests: the Suez canal in two revisions
(Markdown, French), the Hubble telescope (text, English), the Panama canal
(HTML, English); the PDF is made below.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO_ROOT, Snapshot, make_app
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from test_revisions import pdf_bytes

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Sheet
from quiz.services.library.sheets import find_revision

UPLOADS = REPO_ROOT / "tests" / "data" / "uploads"
SUEZ_2019 = UPLOADS / "canal-de-suez-2019.md"
SUEZ_2021 = UPLOADS / "canal-de-suez-2021.md"
HUBBLE = UPLOADS / "hubble-space-telescope.txt"
PANAMA = UPLOADS / "panama-canal.html"
SUEZ = "canal-de-suez"
# The paragraphs 2021 rewrites or drops (sheet-diff: 2 changed, 1 removed).
REWRITTEN = ("Les travaux commencent", "En 2018, plus de 18 000", "Le canal reste fermé")


def import_file(runner: FlaskCliRunner, path: Path, *options: str) -> Result:
    """``quiz import-file PATH OPTIONS``."""
    return runner.invoke(args=["import-file", str(path), *options])


def imported(runner: FlaskCliRunner, path: Path, *options: str) -> str:
    """``quiz import-file``, which must succeed; its output."""
    result = import_file(runner, path, *options)
    assert result.exit_code == 0, result.output
    return result.output


def uploads_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "uploads"


def stored_files(app: Flask) -> list[str]:
    """Every file kept under the instance's uploads folder, relative to it."""
    folder = uploads_folder(app)
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


# A new sheet ------------------------------------------------------------------


def test_a_new_sheet_is_stored_with_its_file_and_draft_questions(
    app: Flask, runner: FlaskCliRunner
) -> None:
    output = imported(runner, HUBBLE, "--sheet", "hubble", "--revision", "v1", "--new-sheet")
    stored = uploads_folder(app) / "hubble" / "v1.txt"
    assert output.splitlines()[-1] == f"Stored {stored}"
    assert stored.read_bytes() == HUBBLE.read_bytes()
    assert stored_files(app) == ["hubble/v1.txt"]
    assert not str(stored).startswith(str(REPO_ROOT / "instance"))
    with app.app_context():
        revision = find_revision("hubble")
        assert (revision.sheet.title, revision.sheet.lang) == ("The Hubble Space Telescope", "en")
        assert (revision.label, revision.file_name, revision.position) == ("v1", "v1.txt", 0)
        questions = revision.questions
        assert questions and {q.status for q in questions} == {STATUS_DRAFT}
        # The facts found are kept on each paragraph, spans into its text.
        facts = [(p.text, fact) for p in revision.paragraphs for fact in p.facts]
        assert any(fact["text"] == "24 April 1990" for _text, fact in facts)
        assert all(text[fact["start"] : fact["end"]] == fact["text"] for text, fact in facts)


@pytest.mark.parametrize("how", ["flag", "setting"])
def test_approve_flag_or_setting_approves_sound_questions(
    app: Flask, runner: FlaskCliRunner, how: str
) -> None:
    options = ["--sheet", "panama", "--revision", "1"]
    if how == "flag":
        options.append("--approve")
    else:
        app.config["AUTO_APPROVE_GENERATED"] = True
    imported(runner, PANAMA, *options)
    with app.app_context():
        statuses = {q.status for q in find_revision("panama").questions}
    assert statuses == {STATUS_APPROVED}


def test_a_file_without_a_title_is_named_after_its_slug(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    body = HUBBLE.read_text(encoding="utf-8").split("\n", 2)[2]  # without its title line
    path.write_text(body, encoding="utf-8")
    imported(runner, path, "--sheet", "telescope-notes", "--revision", "a")
    with app.app_context():
        assert find_revision("telescope-notes").sheet.title == "telescope-notes"


# The lines of a one-page PDF sheet (``pdf_bytes`` writes it).
MILLAU_PDF = [
    "Le viaduc de Millau",
    "Le viaduc de Millau franchit la vallée du Tarn dans le département de l'Aveyron.",
    "Conçu par l'ingénieur Michel Virlogeux et l'architecte Norman Foster, il a été",
    "inauguré le 14 décembre 2004 par le président Jacques Chirac.",
    "Sa pile la plus haute mesure 245 mètres.",
]


def test_a_pdf_with_a_text_layer_is_a_sheet(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "millau.pdf"
    path.write_bytes(pdf_bytes([MILLAU_PDF]))
    imported(runner, path, "--sheet", "viaduc-de-millau", "--revision", "2004", "--lang", "fr")
    assert stored_files(app) == ["viaduc-de-millau/2004.pdf"]
    with app.app_context():
        revision = find_revision("viaduc-de-millau")
        assert revision.sheet.title == "Le viaduc de Millau"
        texts = " ".join(p.text for p in revision.paragraphs)
        assert "14 décembre 2004" in texts and revision.questions


# A new revision ---------------------------------------------------------------


def question_states(label: str) -> dict[str, tuple[bool, bool]]:
    """uid → (stale, carried) of the questions of revision ``label`` of the Suez sheet."""
    revision = find_revision(SUEZ, label)
    return {q.uid: (q.stale, q.carried_from_id is not None) for q in revision.questions}


def test_a_new_revision_carries_and_flags_questions_as_import_sheets_does(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    imported(runner, SUEZ_2019, "--sheet", SUEZ, "--revision", "2019", "--title", "Suez")
    imported(runner, SUEZ_2021, "--sheet", SUEZ, "--revision", "2021")
    with app.app_context():
        old, new = find_revision(SUEZ, "2019"), find_revision(SUEZ)
        assert (new.label, new.position, new.sheet.title) == ("2021", 1, "Suez")
        stale = [q for q in old.questions if q.stale]
        assert stale and all(
            q.paragraph.text.startswith(REWRITTEN) or q.type == "order" for q in stale
        )
        carried = [q for q in new.questions if q.carried_from_id]
        assert carried and not any(q.paragraph.text.startswith(REWRITTEN) for q in carried)
        assert {q.status for q in new.questions} == {STATUS_DRAFT}
        by_command = {label: question_states(label) for label in ("2019", "2021")}
        # End the session's reading transaction first: on PostgreSQL, DROP TABLE
        # waits for every transaction that read the table, this one included.
        db.session.close()
        db.drop_all()
        db.create_all()
    # The same two files as one sheet folder, through quiz import-sheets.
    folder = tmp_path / "suez"
    folder.mkdir()
    shutil.copy(SUEZ_2019, folder / "2019.md")
    shutil.copy(SUEZ_2021, folder / "2021.md")
    (folder / "sheet.toml").write_text(
        f'slug = "{SUEZ}"\ntitle = "Suez"\nlang = "fr"\n\n'
        '[[revisions]]\nlabel = "2019"\nfile = "2019.md"\n\n'
        '[[revisions]]\nlabel = "2021"\nfile = "2021.md"\n',
        encoding="utf-8",
    )
    assert runner.invoke(args=["import-sheets", str(folder)]).exit_code == 0
    with app.app_context():
        by_folder = {label: question_states(label) for label in ("2019", "2021")}
    # Distractors differ (a folder's revisions are generated together): compare the
    # questions both imports made, which must be carried or flagged alike.
    for label in ("2019", "2021"):
        common = by_command[label].keys() & by_folder[label].keys()
        assert len(common) >= 0.8 * len(by_folder[label])
        assert {uid: by_command[label][uid] for uid in common} == {
            uid: by_folder[label][uid] for uid in common
        }


def test_a_revision_of_a_builtin_sheet_keeps_its_title_and_address(
    imported_app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    snapshot: Callable[[Flask], Snapshot],
) -> None:
    later = (REPO_ROOT / "questions" / "otan-russie" / "later.txt").read_text(encoding="utf-8")
    path = tmp_path / "2023.txt"
    path.write_text(later.replace("2022", "2023", 1), encoding="utf-8")
    with imported_app.app_context():
        before = find_revision("relations-otan-russie").sheet
        title, source = before.title, before.source_url
    imported(runner, path, "--sheet", "relations-otan-russie", "--revision", "2023")
    with imported_app.app_context():
        sheet = db.session.scalars(select(Sheet)).one()
        assert (sheet.title, sheet.source_url) == (title, source)
        assert [r.label for r in sheet.revisions] == ["2022-01", "2022-later", "2023"]
        carried = [q for q in sheet.revisions[-1].questions if q.carried_from_id]
        assert carried and all(q.revision_id == sheet.revisions[-1].id for q in carried)
    # The built-in import leaves the uploaded revision alone.
    after_upload = snapshot(imported_app)
    result = runner.invoke(args=["import-sheets"])
    assert "Up to date" in result.output
    assert snapshot(imported_app) == after_upload


# Bad input: one line, exit 2, nothing stored ---------------------------------------


def write_bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_FILES: dict[str, tuple[str, bytes, str]] = {
    "empty": ("vide.md", b"", "the file is empty"),
    "undecodable": ("latin1.txt", "Le canal a été inauguré en 1869.".encode("latin-1"), "UTF-8"),
    "wrong type": ("fiche.docx", b"PK\x03\x04", "unknown file type '.docx'"),
    "over 5 MB": ("gros.txt", b"Le canal de Suez. " * 300_000, "limited to 5 MB"),
    "no paragraph": ("titre.md", b"# Rien qu'un titre\n", "no paragraph of text"),
    "no facts": ("bonjour.md", b"# Bonjour\n\nBonjour tout le monde.\n", "no facts"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_one_error_line_and_stores_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    snapshot: Callable[[Flask], Snapshot],
    case: str,
) -> None:
    name, data, reason = BAD_FILES[case]
    path = write_bad(tmp_path, name, data)
    before = snapshot(app)
    result = import_file(runner, path, "--sheet", "mauvaise", "--revision", "1")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and reason in line
    assert snapshot(app) == before
    assert stored_files(app) == []


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (["--sheet", "Canal Suez", "--revision", "2030"], "invalid sheet slug"),
        (["--sheet", SUEZ, "--revision", "../2030"], "invalid revision label"),
        (["--sheet", SUEZ, "--revision", "2019"], "already has a revision with this label"),
        (["--sheet", SUEZ, "--revision", "2030", "--new-sheet"], "a sheet with this slug already"),
    ],
    ids=["slug", "label", "label taken", "sheet taken"],
)
def test_names_that_cannot_be_used_are_refused(
    app: Flask,
    runner: FlaskCliRunner,
    snapshot: Callable[[Flask], Snapshot],
    options: list[str],
    reason: str,
) -> None:
    imported(runner, SUEZ_2019, "--sheet", SUEZ, "--revision", "2019")
    before, files = snapshot(app), stored_files(app)
    result = import_file(runner, SUEZ_2021, *options)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and reason in line
    assert snapshot(app) == before
    assert stored_files(app) == files == ["canal-de-suez/2019.md"]


def test_without_tables_it_says_to_run_init_db(tmp_path: Path) -> None:
    bare = make_app(tmp_path / "bare.sqlite")
    arguments = ["import-file", str(SUEZ_2019), "--sheet", "suez", "--revision", "1"]
    result = bare.test_cli_runner().invoke(args=arguments)
    assert result.exit_code == 1
    assert "quiz init-db" in result.stderr
    assert not (Path(bare.instance_path) / "uploads").exists()
    with bare.app_context():
        db.engine.dispose()
