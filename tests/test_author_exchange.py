"""The export and import pages through the Flask test client, CSRF on, on the built-in sheets.

Export downloads the same files as ``quiz export`` (same services, absolute
links); import runs what ``quiz import`` runs: a file with any error shows
every error with its line and changes nothing, a good one adds drafts.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_helpers import LATEST_REVISION, SHEET_SLUG, csrf_token, log_in_as, logged_in_client
from conftest import Snapshot, copy_database, make_app
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz import exchange
from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Question, Revision

EXPORT, IMPORT = "/author/export", "/author/import"
NEW_IDS = ("q-00000000aa01", "q-00000000aa02", "q-00000000aa03")
_FILE_NAME = re.compile(r'attachment; filename="?quiz-([\w-]+)-(\d{4}-\d{2}-\d{2})\.(\w+)"?$')


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    """A client logged in as an instructor, reading the interface in English."""
    return logged_in_client(site)


def newest_approved_ids(site: Flask) -> set[str]:
    """Stable ids of the approved questions of the sheet's newest revision."""
    with site.app_context():
        query = (
            select(Question.uid)
            .join(Revision)
            .where(Revision.label == LATEST_REVISION, Question.status == STATUS_APPROVED)
        )
        return set(db.session.scalars(query))


def upload(
    client: FlaskClient,
    content: bytes,
    name: str,
    format_name: str = "",
    token: str | None = None,
    sheet: str = "",
) -> tuple[int, str]:
    """Post ``content`` as the file ``name`` to the import page; ``(status, page)``.

    ``sheet`` is the sheet chosen for the questions of an ordinary file that cite none.
    """
    token = token if token is not None else csrf_token(client.get(IMPORT).get_data(as_text=True))
    data = {
        "csrf_token": token,
        "format": format_name,
        "sheet": sheet,
        "file": (io.BytesIO(content), name),
    }
    response = client.post(IMPORT, data=data, content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


# Who may come in ----------------------------------------------------------------------


def request_page(client: FlaskClient, method: str, url: str) -> int:
    """GET ``url``, or POST to it with a valid CSRF token (CSRF is checked before the view)."""
    if method == "get":
        return client.get(url).status_code
    token = csrf_token(client.get("/quiz/new").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token}).status_code


@pytest.mark.parametrize(("method", "url"), [("get", EXPORT), ("get", IMPORT), ("post", IMPORT)])
def test_only_instructors_reach_export_and_import(site: Flask, method: str, url: str) -> None:
    client = site.test_client()
    assert request_page(client, method, url) == 302
    log_in_as(client, site, "student")
    assert request_page(client, method, url) == 403


# Export -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_name", "mimetype", "extension"),
    [
        ("gift", "text/plain; charset=utf-8", "gift"),
        ("moodle", "application/xml; charset=utf-8", "xml"),
        ("apkg", "application/octet-stream", "apkg"),
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("json", "application/json", "json"),
    ],
)
def test_export_downloads_the_approved_questions_of_the_newest_revision(
    instructor: FlaskClient, site: Flask, format_name: str, mimetype: str, extension: str
) -> None:
    response = instructor.get(f"{EXPORT}?format={format_name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mimetype
    slug, day, suffix = _FILE_NAME.match(response.headers["Content-Disposition"]).groups()
    assert (slug, suffix) == ("all", extension)
    assert abs(date.fromisoformat(day) - date.today()) <= timedelta(days=1)
    expected = newest_approved_ids(site)
    assert response.headers["X-Quiz-Exported"] == str(len(expected))
    if format_name == "apkg":
        assert response.data.startswith(b"PK")  # a zip, as Anki decks are
        return
    records = [item.record for item in exchange.parse(format_name, response.data)]
    assert {record["id"] for record in records} == expected
    assert {record["source"]["revision"] for record in records} == {LATEST_REVISION}


@pytest.mark.parametrize("format_name", ["gift", "moodle", "csv", "json"])
def test_the_page_and_the_command_write_the_same_file(
    instructor: FlaskClient, site: Flask, tmp_path: Path, format_name: str
) -> None:
    query = f"format={format_name}&sheet={SHEET_SLUG}&tag=date&status=all&revisions=all"
    downloaded = instructor.get(f"{EXPORT}?{query}").data
    path = tmp_path / "cli.out"
    options = ["--format", format_name, "--sheet", SHEET_SLUG, "--tag", "date", "--all-revisions"]
    options += [
        arg
        for status in ("draft", "approved", "retired", "superseded")
        for arg in ("--status", status)
    ]
    result = site.test_cli_runner().invoke(
        args=["export", *options, "--base-url", "http://localhost/", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert downloaded == path.read_bytes()


def test_links_in_an_export_are_absolute(instructor: FlaskClient) -> None:
    text = instructor.get(f"{EXPORT}?format=csv").data.decode("utf-8-sig")
    citations = [row["citation"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    link = f"http://localhost/sheets/{SHEET_SLUG}/revisions/{LATEST_REVISION}?hl="
    assert citations and all(f" — {link}" in citation for citation in citations)


def a_selective_tag(site: Flask) -> str:
    """The rarest topic among the approved questions (some have it, most do not)."""
    with site.app_context():
        tags = db.session.scalars(select(Question.tags).filter_by(status=STATUS_APPROVED)).all()
    counts = Counter(tag for question_tags in tags for tag in question_tags)
    tag, count = min(counts.items(), key=lambda item: (item[1], item[0]))
    assert count < len(tags), "no topic leaves a question out"
    return tag


def test_export_filters_by_sheet_and_tag(instructor: FlaskClient, site: Flask) -> None:
    tag = a_selective_tag(site)
    query = f"format=json&sheet={SHEET_SLUG}&tag={tag}&revisions=all"
    response = instructor.get(f"{EXPORT}?{query}")
    assert f"quiz-{SHEET_SLUG}-" in response.headers["Content-Disposition"]
    questions = json.loads(response.data)["questions"]
    with site.app_context():
        tagged = {
            question.uid
            for question in db.session.scalars(select(Question).filter_by(status=STATUS_APPROVED))
            if tag in question.tags
        }
    assert {record["id"] for record in questions} == tagged
    assert all(tag in record["tags"] for record in questions)
    every = json.loads(instructor.get(f"{EXPORT}?format=json&status=all&revisions=all").data)
    with site.app_context():
        stored = set(db.session.scalars(select(Question.uid)))
    assert {record["id"] for record in every["questions"]} == stored


def test_an_empty_selection_gives_a_message_not_a_file(instructor: FlaskClient) -> None:
    response = instructor.get(f"{EXPORT}?format=csv&status=draft")  # every question is approved
    assert response.status_code == 404
    assert "Content-Disposition" not in response.headers
    assert "No question matches this selection: no file was made." in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query",
    ["format=docx", "format=gift&sheet=nope", "format=gift&status=deleted", "format=gift&tag=nope"],
)
def test_a_tampered_export_form_is_a_bad_request(instructor: FlaskClient, query: str) -> None:
    response = instructor.get(f"{EXPORT}?{query}")
    assert response.status_code == 400
    assert "Please correct the fields marked below." in response.get_data(as_text=True)


def test_the_export_form_lists_sheets_and_topics(instructor: FlaskClient) -> None:
    page = instructor.get(EXPORT).get_data(as_text=True)
    assert f'<option value="{SHEET_SLUG}">Les relations OTAN-Russie</option>' in page
    assert '<option value="person">People</option>' in page
    checked = re.findall(
        r'<input checked id="[\w-]+" name="(\w+)" required type="radio" value="(\w+)"', page
    )
    assert checked == [("status", "approved"), ("revisions", "latest"), ("format", "gift")]


# Import -------------------------------------------------------------------------------


def teacher_rows(site: Flask) -> list[dict[str, str]]:
    """Three new questions on the newest revision, as a teacher writes them in a spreadsheet.

    A fill-in-the-blank, a multiple choice (its choices one per line, so its row
    spans four lines) and a true or false, each citing a real paragraph of the
    revision: a word of it, written by hand (no generated question needed).
    """
    with site.app_context():
        revision = db.session.scalars(select(Revision).filter_by(label=LATEST_REVISION)).one()
        paragraphs = sorted(revision.paragraphs, key=lambda p: (not p.quizzable, p.index))
        text, anchor, word = next(
            (p.text, p.anchor, word)
            for p in paragraphs
            if not p.retired
            for word in re.findall(r"[^\W\d_]{6,}", p.text)
            if p.text.count(word) == 1
        )
    start = text.index(word)
    common = {
        "lang": "fr",
        "sheet": SHEET_SLUG,
        "revision": LATEST_REVISION,
        "anchor": anchor,
        "evidence_start": str(start),
        "evidence_end": str(start + len(word)),
    }
    written = [
        ("cloze", "Variante : quel mot de la fiche manque ici ? _____", "", word, "place"),
        ("mcq", "Variante : quel mot la fiche emploie-t-elle ?", f"{word}\nLisbonne\nOslo\nRiga",
         word, "place"),
        ("true_false", f"Variante : la fiche emploie le mot « {word} ».", "Vrai\nFaux", "Vrai",
         "place"),
    ]  # fmt: skip
    return [
        {
            "id": new_id,
            "type": kind,
            "prompt": prompt,
            "choices": choices,
            "answer": answer,
            "tags": tags,
            **common,
        }
        for new_id, (kind, prompt, choices, answer, tags) in zip(NEW_IDS, written, strict=True)
    ]


def csv_file(rows: list[dict[str, str]]) -> bytes:
    """``rows`` as a CSV file."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def line_of(content: bytes, text: str) -> int:
    """The line of ``content`` where ``text`` first appears."""
    decoded = content.decode("utf-8")
    return decoded.count("\n", 0, decoded.index(text)) + 1


def test_a_good_csv_adds_drafts_and_links_them_to_the_queue(
    instructor: FlaskClient, site: Flask
) -> None:
    status, page = upload(instructor, csv_file(teacher_rows(site)), "questions.csv")
    assert status == 200, page
    assert "3 questions imported as drafts" in page
    with site.app_context():
        added = db.session.scalars(select(Question).where(Question.uid.in_(NEW_IDS))).all()
        assert sorted(q.uid for q in added) == list(NEW_IDS)
        assert {q.status for q in added} == {STATUS_DRAFT}
        ids = [q.id for q in added]
    links = re.findall(r'<a href="([^"]+)">Question (\d+)</a>', page)
    assert sorted(int(number) for _, number in links) == sorted(ids)
    for url, number in links:
        url = url.replace("&amp;", "&")
        assert "status=draft" in url and url.endswith(f"#question-{number}")
        queue = instructor.get(url).get_data(as_text=True)
        assert f'id="question-{number}"' in queue  # the link's page shows it


def test_a_csv_with_an_error_imports_nothing_and_gives_the_line(
    instructor: FlaskClient, site: Flask, snapshot: Callable[[Flask], Snapshot]
) -> None:
    rows = teacher_rows(site)
    rows[2]["answer"] = ""  # the third question, after the mcq's four-line row
    content = csv_file(rows)
    line = line_of(content, NEW_IDS[2])
    assert line == 7  # after the header, a one-line row and the mcq's four lines
    before = snapshot(site)
    status, page = upload(instructor, content, "questions.csv")
    assert status == 400
    assert "1 error in questions.csv: nothing was imported" in page
    assert f'<li data-line="{line}">' in page
    assert f"{NEW_IDS[2]}: missing answer" in page
    assert snapshot(site) == before


def test_every_error_is_listed_by_line(instructor: FlaskClient, site: Flask) -> None:
    rows = teacher_rows(site)
    rows[0]["sheet"] = "inconnue"
    rows[2]["anchor"] = "p-nowhere"
    content = csv_file(rows)
    status, page = upload(instructor, content, "questions.csv")
    assert status == 400
    assert "2 errors in questions.csv: nothing was imported" in page
    assert re.findall(r'<li data-line="(\d+)">', page) == ["2", "7"]
    assert "q-00000000aa01: unknown sheet &#39;inconnue&#39;" in page
    assert "has no paragraph p-nowhere" in page
    # A row the parser cannot read is reported before the database is asked anything.
    rows[1]["evidence_end"] = "douze"
    status, page = upload(instructor, csv_file(rows), "questions.csv")
    assert re.findall(r'<li data-line="(\d+)">', page) == ["3"]
    assert "evidence_end must be a whole number, not &#39;douze&#39;" in page


def test_a_json_export_imports_back_unchanged(
    instructor: FlaskClient, site: Flask, snapshot: Callable[[Flask], Snapshot]
) -> None:
    content = instructor.get(f"{EXPORT}?format=json").data
    before = snapshot(site)
    status, page = upload(instructor, content, "quiz.json")
    assert status == 200
    count = len(newest_approved_ids(site))
    assert "0 questions imported as drafts" in page
    assert f"{count} questions were already here, unchanged" in page
    assert snapshot(site) == before


def test_a_malformed_gift_file_gives_its_line(
    instructor: FlaskClient, site: Flask, snapshot: Callable[[Flask], Snapshot]
) -> None:
    response = instructor.get(f"{EXPORT}?format=gift&revisions=all")
    assert response.status_code == 200
    good = response.data
    content = good + b"\n::q-0123456789ad::Unclosed {=answer\n"
    before = snapshot(site)
    status, page = upload(instructor, content, "broken.gift")
    assert status == 400
    assert f'<li data-line="{len(good.decode().splitlines()) + 2}">' in page
    assert "the answer block &#39;{&#39; is not closed" in page
    assert snapshot(site) == before


@pytest.mark.parametrize(
    ("content", "name", "format_name", "message"),
    [
        (b"", "", "", "Choose a file to import."),
        (b"x", "notes.docx", "", "Choose the file&#39;s format: its extension does not say."),
        (b"PK", "deck.apkg", "", "Anki deck (.apkg) files cannot be imported"),
        (b"x", "notes.txt", "zip", "Not a valid choice."),
        (b"\xff\xfe", "latin.csv", "", "not UTF-8 text"),
        (b"id;type\n", "semicolons.txt", "csv", "missing column &#39;prompt&#39;"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_reason(
    instructor: FlaskClient,
    site: Flask,
    snapshot: Callable[[Flask], Snapshot],
    content: bytes,
    name: str,
    format_name: str,
    message: str,
) -> None:
    before = snapshot(site)
    status, page = upload(instructor, content, name, format_name)
    assert status == 400
    assert message in page
    assert snapshot(site) == before


def test_an_import_without_a_csrf_token_is_refused(instructor: FlaskClient, site: Flask) -> None:
    status, _ = upload(instructor, csv_file(teacher_rows(site)), "questions.csv", token="forged")
    assert status == 400
    with site.app_context():
        assert not db.session.scalars(select(Question).where(Question.uid.in_(NEW_IDS))).all()


@pytest.mark.parametrize(("limit", "size"), [(None, 5 * 1024 * 1024 + 1), (2000, 3000)])
def test_a_file_over_the_limit_is_refused(
    imported_database: Path, tmp_path: Path, limit: int | None, size: int
) -> None:
    """Over ``MAX_CONTENT_LENGTH`` when the app sets one, else over 5 MB: a clear 413."""
    app = make_app(
        copy_database(imported_database, tmp_path / "q.sqlite"), MAX_CONTENT_LENGTH=limit
    )
    client = logged_in_client(app)
    token = csrf_token(client.get(IMPORT).get_data(as_text=True))
    status, page = upload(client, b"x" * size, "big.csv", token=token)
    assert status == 413
    shown = "5 MB" if limit is None else "1 KB"  # rounded down
    assert f"This file is larger than {shown}: nothing was imported." in page
    with app.app_context():
        db.engine.dispose()


def test_the_import_page_offers_the_importable_formats(instructor: FlaskClient) -> None:
    page = instructor.get(IMPORT).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    formats = re.search(r'<select[^>]*name="format".*?</select>', page, re.DOTALL)
    assert formats is not None
    offered = re.findall(r'<option (?:selected )?value="(\w*)"', formats[0])
    assert offered == ["", *exchange.IMPORT_FORMATS]


def add_draft_edit(site: Flask) -> str:
    """An edit waiting for approval: version 2 of an approved question, a draft; its stable id."""
    with site.app_context():
        old = db.session.scalars(
            select(Question)
            .join(Revision)
            .where(Revision.label == LATEST_REVISION, Question.status == STATUS_APPROVED)
            .order_by(Question.id)
        ).first()
        columns = ("uid", "revision_id", "paragraph_id", "type", "choices", "answer", "accepted")
        columns += ("lang", "tags", "difficulty", "explanation", "evidence_start", "evidence_end")
        edited = Question(**{name: getattr(old, name) for name in columns})
        edited.prompt, edited.status = f"Édité : {old.prompt}", STATUS_DRAFT
        edited.version, edited.replaces_id = 2, old.id
        db.session.add(edited)
        db.session.commit()
        return old.uid


def test_an_edited_question_is_exported_once_and_imports_back_unchanged(
    instructor: FlaskClient, site: Flask, snapshot: Callable[[Flask], Snapshot]
) -> None:
    uid = add_draft_edit(site)
    approved = instructor.get(f"{EXPORT}?format=json").data
    every = instructor.get(f"{EXPORT}?format=json&status=all").data
    [published] = [q for q in json.loads(approved)["questions"] if q["id"] == uid]
    [newest] = [q for q in json.loads(every)["questions"] if q["id"] == uid]
    assert not published["prompt"].startswith("Édité") and newest["prompt"].startswith("Édité")
    before = snapshot(site)
    for content in (approved, every):  # either version is already here
        status, page = upload(instructor, content, "quiz.json")
        assert status == 200 and "0 questions imported as drafts" in page
    assert snapshot(site) == before
