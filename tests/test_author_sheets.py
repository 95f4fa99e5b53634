"""The instructor's sheet pages: upload a sheet and a revision, read its facts, compare revisions.

Uploads go through the real path: the view queues an import job, which the
test apps run at once in the request (``QUEUE_IMMEDIATE``, see conftest.py;
test_import_jobs.py runs real workers) with the code of ``quiz import-file``
(seconds each), so the module uploads its sheets once (``uploaded``) and each
test works on its own copy. Pages are
read in English (``/lang/en``); assertions are on data and structure.
A browser test at the end drives the whole flow in Chromium, with screenshots.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROLE_PASSWORD,
    csrf_token,
    log_in_as,
    log_in_with,
    require_chromium,
    served_for_browser,
    shoot,
)
from conftest import (
    REPO_ROOT,
    app_on_copy,
    copy_database,
    database_url,
    isolated_module_environment,
    make_app,
    make_empty_app,
    take_snapshot,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse
from worker_helpers import rows_but_jobs

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Paragraph, Question
from quiz.services.library.sheets import find_revision

UPLOADS = REPO_ROOT / "tests" / "data" / "uploads"
SUEZ_2019 = UPLOADS / "canal-de-suez-2019.md"
SUEZ_2021 = UPLOADS / "canal-de-suez-2021.md"
PANAMA = UPLOADS / "panama-canal.html"
SUEZ = "le-canal-de-suez"  # derived from the title typed in the form
PANAMA_SLUG = "panama"
INSTRUCTOR = "instructor-one"


def log_in(client: FlaskClient, username: str = INSTRUCTOR) -> None:
    """Log ``client`` in with an existing account, and read the pages in English."""
    log_in_with(client, username)
    client.get("/lang/en")


def post_upload(client: FlaskClient, url: str, path: Path | None, **fields: str) -> TestResponse:
    """Post an upload form at ``url`` with ``path`` as its file (a fresh CSRF token)."""
    data: dict[str, object] = {"csrf_token": csrf_token(client.get(url).get_data(as_text=True))}
    data.update({"lang": "auto", **fields})
    if path is not None:
        data["file"] = (path.open("rb"), path.name)
    return client.post(url, data=data, content_type="multipart/form-data")


def post_bytes(
    client: FlaskClient, url: str, name: str, content: bytes, **fields: str
) -> TestResponse:
    """Post an upload form with a file made of ``content``."""
    from io import BytesIO

    data: dict[str, object] = {
        "csrf_token": csrf_token(client.get("/author/sheets").get_data(as_text=True))
    }
    data.update({"lang": "auto", "file": (BytesIO(content), name), **fields})
    return client.post(url, data=data, content_type="multipart/form-data")


@dataclass(frozen=True)
class Uploaded:
    """The module's database after its uploads, and what the upload requests answered."""

    database: Path
    instance: Path
    # name → (status, the job's page, where the job's page sends once the job is done)
    answers: dict[str, tuple[int, str, str]]


def answered(client: FlaskClient, response: TestResponse) -> tuple[int, str, str]:
    """An upload's status and Location (the job's page), and where that page then sends."""
    job_page = response.headers.get("Location", "")
    then = client.get(job_page).headers.get("Location", "") if job_page else ""
    return response.status_code, job_page, then


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory: pytest.TempPathFactory) -> Uploaded:
    """Through the web: the Suez sheet (2019, then 2021) as drafts, Panama auto-approved."""
    folder = tmp_path_factory.mktemp("uploaded")
    database = folder / "quiz.sqlite"
    with isolated_module_environment(folder):
        app = make_empty_app(database)
        client = app.test_client()
        log_in_as(client, app, "instructor")
        client.get("/lang/en")
        answers = {}
        for name, url, path, fields in [
            (
                "sheet",
                "/author/upload",
                SUEZ_2019,
                {"title": "Le canal de Suez", "revision": "2019"},
            ),
            ("revision", f"/author/sheets/{SUEZ}/upload", SUEZ_2021, {"revision": "2021"}),
        ]:
            answers[name] = answered(client, post_upload(client, url, path, **fields))
        approving = make_app(database, AUTO_APPROVE_GENERATED=True)
        other = approving.test_client()
        log_in(other)
        response = post_upload(
            other, "/author/upload", PANAMA, slug=PANAMA_SLUG, revision="1", lang="en"
        )
        answers["html"] = answered(other, response)
        for each in (app, approving):
            with each.app_context():
                db.engine.dispose()
    return Uploaded(database, folder / "instance", answers)


@pytest.fixture
def site(uploaded: Uploaded, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on the test's own copy of the uploaded database."""
    with app_on_copy(uploaded.database, tmp_path) as app:
        yield app


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    client = site.test_client()
    log_in(client)
    return client


def stored_files(instance: Path) -> list[str]:
    folder = instance / "uploads"
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def field_errors(page: str, field: str) -> list[str]:
    """The error messages shown under one field of a form."""
    found = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', page, re.S)
    return (
        [unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]
        if found
        else []
    )


# Uploading -----------------------------------------------------------------------


def test_uploads_go_to_their_job_and_then_to_the_new_revision(uploaded: Uploaded) -> None:
    assert uploaded.answers == {
        "sheet": (303, "/author/jobs/1", f"/author/sheets/{SUEZ}/revisions/2019"),
        "revision": (303, "/author/jobs/2", f"/author/sheets/{SUEZ}/revisions/2021"),
        "html": (303, "/author/jobs/3", f"/author/sheets/{PANAMA_SLUG}/revisions/1"),
    }


def test_uploaded_files_are_kept_in_the_instance_folder(uploaded: Uploaded) -> None:
    assert stored_files(uploaded.instance) == [
        f"{SUEZ}/2019.md",
        f"{SUEZ}/2021.md",
        f"{PANAMA_SLUG}/1.html",
    ]
    assert (uploaded.instance / "uploads" / SUEZ / "2021.md").read_bytes() == SUEZ_2021.read_bytes()
    assert not (REPO_ROOT / "instance" / "uploads" / SUEZ).exists()


def test_web_uploads_make_drafts_unless_the_setting_approves(site: Flask) -> None:
    with site.app_context():
        suez = find_revision(SUEZ)
        assert suez.sheet.title == "Le canal de Suez"
        fresh = [q for q in suez.questions if q.carried_from_id is None]
        assert fresh and {q.status for q in suez.questions} == {STATUS_DRAFT}
        panama = find_revision(PANAMA_SLUG)
        assert panama.questions and {q.status for q in panama.questions} == {STATUS_APPROVED}
        assert panama.sheet.lang == "en"


def test_uploaded_html_is_stored_as_its_text(site: Flask, instructor: FlaskClient) -> None:
    with site.app_context():
        texts = [p.text for p in find_revision(PANAMA_SLUG).paragraphs]
    assert any(text.startswith("The Panama Canal is an artificial waterway") for text in texts)
    for chrome in ("console.log", "About us", "Privacy policy", "<p>", "font-family"):
        assert not any(chrome in text for text in texts)
    page = instructor.get(f"/author/sheets/{PANAMA_SLUG}").get_data(as_text=True)
    assert "tracking" not in page and "<script" not in page


# The revision page ------------------------------------------------------------------


def test_the_revision_page_shows_each_paragraph_with_its_facts_and_questions(
    site: Flask, instructor: FlaskClient
) -> None:
    page = instructor.get(f"/author/sheets/{SUEZ}/revisions/2019").get_data(as_text=True)
    shown = dict(
        (anchor, (int(facts), int(questions)))
        for anchor, facts, questions in re.findall(
            r'class="author-paragraph[^"]*" id="([^"]+)" data-facts="(\d+)" data-questions="(\d+)"',
            page,
        )
    )
    with site.app_context():
        revision = find_revision(SUEZ, "2019")
        fed = dict(
            db.session.execute(
                select(Question.paragraph_id, func.count())
                .where(
                    Question.revision_id == revision.id, Question.status.in_(["draft", "approved"])
                )
                .group_by(Question.paragraph_id)
            )
            .tuples()
            .all()
        )
        expected = {
            p.anchor: (len(p.facts), fed.get(p.id, 0))
            for p in revision.paragraphs
            if p.kind != "heading"
        }
        facts = [(fact["kind"], fact["text"]) for p in revision.paragraphs for fact in p.facts]
    assert shown == expected
    assert sum(count for count, _ in shown.values()) == len(facts) > 5
    for kind, text in facts:
        assert f'<mark class="fact fact-{kind}" data-kinds="{kind}"' in page
        assert f'<span class="fact-kind fact-{kind}">' in page
        assert text.replace("'", "&#39;") in page
    queue = f'href="/author/questions?sheet={SUEZ}&amp;revision=2019"'
    assert queue in page
    assert instructor.get(f"/author/questions?sheet={SUEZ}&revision=2019").status_code == 200


def test_overlapping_facts_are_cut_into_pieces() -> None:
    from quiz.services.authoring.sheet_pages import Segment, fact_segments

    text = "Signé à Rome le 25 mars 1957."
    facts = [
        {"kind": "date", "text": "25 mars 1957", "start": 16, "end": 28},
        {"kind": "number", "text": "1957", "start": 24, "end": 28},
        {"kind": "place", "text": "Rome", "start": 8, "end": 12},
        {"kind": "place", "text": "hors du texte", "start": 20, "end": 99},
    ]
    assert fact_segments(text, facts) == [
        Segment("Signé à "),
        Segment("Rome", ("place",)),
        Segment(" le "),
        Segment("25 mars ", ("date",)),
        Segment("1957", ("date", "number")),
        Segment("."),
    ]


def stale_and_generated_again(old_label: str) -> None:
    """A stale question of revision ``old_label`` whose id the latest revision generated
    again, made by hand (an ordering question keeps its id when its events are rewritten;
    whether the generator gives one on these sheets is its own business)."""
    old, new = find_revision(SUEZ, old_label), find_revision(SUEZ)
    taken = {question.uid for question in old.questions}
    again = next(q for q in sorted(new.questions, key=lambda q: q.id) if q.uid not in taken)
    origin = next(question for question in old.questions if question.stale)
    columns = ("paragraph_id", "type", "prompt", "choices", "answer", "accepted", "lang", "tags")
    copy = Question(uid=again.uid, revision_id=old.id, stale=True, status=STATUS_APPROVED)
    for name in (*columns, "evidence_start", "evidence_end"):
        setattr(copy, name, getattr(origin, name))
    db.session.add(copy)
    db.session.commit()


def test_the_sheet_list_counts_revisions_questions_and_stale_ones(
    site: Flask, instructor: FlaskClient
) -> None:
    with site.app_context():
        stale_and_generated_again("2019")
    page = instructor.get("/author/sheets").get_data(as_text=True)
    with site.app_context():
        old, new = find_revision(SUEZ, "2019"), find_revision(SUEZ)
        # Waiting for a decision: stale, and not generated again by the new revision.
        again = {q.uid for q in new.questions}
        stale = sum(1 for q in old.questions if q.stale and q.uid not in again)
        drafts = sum(1 for q in new.questions if q.status == STATUS_DRAFT)
    assert stale > 0 and any(q.stale and q.uid in again for q in old.questions)
    assert f'href="/author/sheets/{SUEZ}/stale?revision=2019">{stale}</a>' in page
    assert (
        f'href="/author/questions?sheet={SUEZ}&amp;revision=2021&amp;status=draft">{drafts}</a>'
        in page
    )
    assert 'href="/author/upload"' in page
    assert f'href="/author/sheets/{SUEZ}/upload"' in page


# Bad uploads: the form again, the reason under its field, nothing stored -----------


@pytest.mark.parametrize(
    ("url", "name", "content", "fields", "field", "message"),
    [
        (
            "/author/upload",
            "fiche.docx",
            b"PK\x03\x04 a word file",
            {"revision": "1"},
            "file",
            "Upload a .md, .txt, .html or .pdf file.",
        ),
        ("/author/upload", "vide.md", b"", {"revision": "1"}, "file", "The file is empty."),
        (
            "/author/upload",
            "gros.txt",
            b"x" * (2 * 1024 * 1024 + 10),  # the upload limit (SHEET_UPLOAD_MAX_BYTES)
            {"revision": "1"},
            "file",
            "The file is over 2 MB: uploaded sheets are limited to 2 MB.",
        ),
        (
            "/author/upload",
            "suez.md",
            b"# Suez\n\nEn 1869.\n",
            {"title": "Le canal de Suez", "revision": "1"},
            "slug",
            "A sheet already has the address \u201cle-canal-de-suez\u201d: choose another.",
        ),
        (
            "/author/upload",
            "suez.md",
            b"# Suez\n\nEn 1869.\n",
            {"slug": "Canal Suez", "revision": "1"},
            "slug",
            "Lower-case letters, digits and single hyphens only.",
        ),
        (
            "/author/upload",
            "suez.md",
            b"# Suez\n\nEn 1869.\n",
            {"slug": "autre", "revision": ""},
            "revision",
            "Give the revision a label.",
        ),
        (
            "/author/upload",
            "suez.md",
            b"# Suez\n\nEn 1869.\n",
            {"slug": "autre", "revision": "../x"},
            "revision",
            "Letters, digits, dots, hyphens and underscores only.",
        ),
        (
            f"/author/sheets/{SUEZ}/upload",
            "suez.md",
            b"# Suez\n\nEn 1869.\n",
            {"revision": "2019"},
            "revision",
            "This sheet already has a revision with this label.",
        ),
    ],
    ids=[
        "extension",
        "empty",
        "over 5 MB",
        "slug taken",
        "slug shape",
        "no label",
        "label shape",
        "label taken",
    ],
)
def test_the_form_refuses_what_it_can_check(
    site: Flask,
    instructor: FlaskClient,
    tmp_path: Path,
    url: str,
    name: str,
    content: bytes,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = take_snapshot(site)
    response = post_bytes(instructor, url, name, content, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page, field) == [message]
    assert "Please correct the fields marked below." in page
    assert take_snapshot(site) == before
    assert stored_files(Path(site.instance_path)) == []


def test_a_sheet_the_pipeline_refuses_fails_its_job_with_the_reason(
    site: Flask, instructor: FlaskClient
) -> None:
    before = rows_but_jobs(site)
    response = post_bytes(
        instructor,
        "/author/upload",
        "titre.md",
        b"# Rien qu'un titre\n",
        slug="titre",
        revision="1",
    )
    assert response.status_code == 303
    job_page = instructor.get(response.headers["Location"])
    assert job_page.status_code == 200
    page = job_page.get_data(as_text=True)
    assert "No paragraph of text to ask about was found in this file." in page
    assert "Nothing was stored" in page and "Retry the import" in page
    status = instructor.get(response.headers["Location"] + "/status").get_json()
    assert status["state"] == "failed"
    instructor.get("/lang/fr")
    french = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Relancer l’import" in french and "Rien n’a été enregistré" in french
    assert rows_but_jobs(site) == before
    assert stored_files(Path(site.instance_path)) == []  # neither kept nor left staged


def test_a_revision_already_being_imported_is_a_conflict(
    site: Flask, instructor: FlaskClient, tmp_path: Path
) -> None:
    """A job queued (no worker runs it yet): the same revision again is refused, 409."""
    queued = make_app(tmp_path / "quiz.sqlite", QUEUE_IMMEDIATE=False)  # site's database
    client = queued.test_client()
    log_in(client)
    first = post_upload(client, "/author/upload", PANAMA, slug="panama-bis", revision="1")
    assert first.status_code == 303
    again = post_upload(client, "/author/upload", PANAMA, slug="panama-bis", revision="1")
    assert again.status_code == 409
    assert field_errors(again.get_data(as_text=True), "revision") == [
        "This revision is already being imported: wait for it."
    ]
    retry = client.post(
        first.headers["Location"] + "/retry",
        data={"csrf_token": csrf_token(client.get(first.headers["Location"]).get_data(as_text=True))},
    )
    assert retry.status_code == 409  # only a failed job can be retried
    assert "Only a failed import can be retried." in retry.get_data(as_text=True)
    assert instructor.get("/author/jobs/999").status_code == 404
    assert instructor.get("/author/jobs/999/status").status_code == 404
    with queued.app_context():
        db.engine.dispose()


def test_a_request_over_the_limit_gets_the_413_page(instructor: FlaskClient, site: Flask) -> None:
    before = take_snapshot(site)
    response = post_bytes(
        instructor, "/author/upload", "huge.txt", b"x" * (6 * 1024 * 1024), revision="1"
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<h1>File too large</h1>" in page
    assert 'href="/author/upload">Back to the form</a>' in page
    assert take_snapshot(site) == before


def test_the_upload_limit_is_a_setting_and_the_pages_say_it(uploaded: Uploaded, tmp_path: Path) -> None:
    """SHEET_UPLOAD_MAX_BYTES (default 2 MB: what the pipeline imports in minutes)."""
    app = make_app(
        copy_database(uploaded.database, tmp_path / "quiz.sqlite"),
        SHEET_UPLOAD_MAX_BYTES=1024 * 1024,
    )
    client = app.test_client()
    log_in(client)
    assert "a PDF with a text layer; 1 MB at most." in client.get("/author/upload").get_data(
        as_text=True
    )
    response = post_bytes(
        client, "/author/upload", "moyen.txt", b"x" * (1024 * 1024 + 1), revision="1"
    )
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "file") == [
        "The file is over 1 MB: uploaded sheets are limited to 1 MB."
    ]
    client.get("/lang/fr")
    french = client.get("/author/upload").get_data(as_text=True)
    assert "couche texte\u00a0; 1 Mo au plus." in french
    huge = post_bytes(client, "/author/upload", "huge.txt", b"x" * (6 * 1024 * 1024), revision="1")
    assert "Les fiches sont limitées à 1 Mo" in huge.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_without_a_csrf_token_nothing_happens(instructor: FlaskClient, site: Flask) -> None:
    before = take_snapshot(site)
    data = {"file": (PANAMA.open("rb"), PANAMA.name), "slug": "x", "revision": "1", "lang": "auto"}
    response = instructor.post("/author/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert take_snapshot(site) == before


def test_students_cannot_upload(site: Flask) -> None:
    client = site.test_client()
    log_in_as(client, site, "student")
    before = take_snapshot(site)
    response = post_bytes(
        client, "/author/upload", "panama.html", PANAMA.read_bytes(), slug="x", revision="1"
    )
    assert response.status_code == 403
    assert take_snapshot(site) == before


@pytest.mark.parametrize(
    "url",
    [
        "/author/sheets/nowhere",
        f"/author/sheets/{SUEZ}/revisions/1999",
        "/author/sheets/nowhere/upload",
        "/author/sheets/nowhere/diff",
        f"/author/sheets/{SUEZ}/diff?old=1999",
        f"/author/sheets/{SUEZ}/diff?new=1999",
        f"/author/sheets/{SUEZ}/diff?new=2019",  # nothing before the first revision
    ],
)
def test_unknown_sheets_and_revisions_are_404(instructor: FlaskClient, url: str) -> None:
    response = instructor.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


# The diff page --------------------------------------------------------------------------


def test_the_diff_counts_are_those_of_sheet_diff(site: Flask, instructor: FlaskClient) -> None:
    page = instructor.get(f"/author/sheets/{SUEZ}/diff").get_data(as_text=True)
    shown = {
        kind: int(count)
        for kind, count in re.findall(r'data-count="(\w+)"><dt>[^<]*</dt><dd>(\d+)</dd>', page)
    }
    result = site.test_cli_runner().invoke(
        args=["sheet-diff", str(SUEZ_2019), str(SUEZ_2021), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert (
        shown
        == json.loads(result.stdout)["paragraphs"]
        == {"unchanged": 5, "changed": 2, "removed": 1, "added": 1}
    )
    kinds = re.findall(r'class="diff-row diff-\w+" data-kind="(\w+)"', page)
    assert sorted(kinds) == sorted(["unchanged"] * 5 + ["changed"] * 2 + ["removed", "added"])
    # Words marked in the rewritten paragraphs; the removed and added ones whole.
    assert "<del>2018</del>" in page and "<ins>2020</ins>" in page
    assert "<del>plusieurs dizaines de milliers d</del>" in page
    assert "<del>Le canal reste fermé de 1967 à 1975" in page
    assert "<ins>Le 23 mars 2021, le porte-conteneurs Ever Given" in page
    assert f'href="/author/sheets/{SUEZ}/stale?revision=2019"' in page


def test_the_diff_of_chosen_revisions_and_of_a_lone_revision(instructor: FlaskClient) -> None:
    reverse = instructor.get(f"/author/sheets/{SUEZ}/diff?old=2021&new=2019").get_data(as_text=True)
    assert 'data-count="added"><dt>Added</dt><dd>1</dd>' in reverse  # what 2021 dropped
    same = instructor.get(f"/author/sheets/{SUEZ}/diff?old=2019&new=2019")
    assert same.status_code == 400 and "Pick two different revisions." in same.get_data(
        as_text=True
    )
    lone = instructor.get(f"/author/sheets/{PANAMA_SLUG}/diff")
    assert lone.status_code == 200
    assert "This sheet has one revision so far" in lone.get_data(as_text=True)


def test_marked_words() -> None:
    from quiz.services.authoring.paragraph_diff import Piece, marked_words

    old, new = marked_words("En 2018, plus de 18 000 navires.", "En 2020, près de 19 000 navires.")
    assert [p.text for p in old if p.changed] == ["2018", "plus", "18"]
    assert [p.text for p in new if p.changed] == ["2020", "près", "19"]
    assert "".join(p.text for p in new) == "En 2020, près de 19 000 navires."
    assert marked_words("Même texte.", "Même texte.") == (
        [Piece("Même texte.")],
        [Piece("Même texte.")],
    )


# The web process never loads spaCy -------------------------------------------------------


def test_the_sheet_pages_do_not_load_spacy(uploaded: Uploaded, tmp_path: Path) -> None:
    database = copy_database(uploaded.database, tmp_path / "quiz.sqlite")
    code = f"""
import sys
sys.path.insert(0, "tests")
from browser_helpers import log_in_with
from quiz import create_app
import quiz.services.authoring.stale, quiz.services.library.uploads, quiz.services.authoring.sheet_pages
import quiz.services.authoring.paragraph_diff, quiz.services.library.import_jobs
import quiz.views.author.import_jobs
app = create_app({{"TESTING": True, "SQLALCHEMY_DATABASE_URI": "{database_url(database)}"}})
client = app.test_client()
log_in_with(client, "{INSTRUCTOR}")
for url in ["/author/sheets", "/author/upload", "/author/sheets/{SUEZ}", "/author/sheets/{SUEZ}/diff",
            "/author/sheets/{SUEZ}/stale", "/author/sheets/{SUEZ}/upload"]:
    assert client.get(url).status_code == 200, url
assert "spacy" not in sys.modules
"""
    environment = {**os.environ, "QUIZ_INSTANCE_PATH": str(tmp_path / "instance")}
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=environment, check=True)


# In a browser -----------------------------------------------------------------------------


def waiting_count(page: Any) -> int:
    """The number of stale questions the list says are waiting for a decision."""
    text = page.locator(".stale-toolbar .queue-count").inner_text()
    return int(text.split()[0])


@pytest.fixture
def browser_site(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on an empty database with one instructor; yields (URL, app)."""
    require_chromium()
    app = make_empty_app(tmp_path / "quiz.sqlite")
    log_in_as(app.test_client(), app, "instructor")
    with served_for_browser(app) as url_and_app:
        yield url_and_app


def upload_a_new_sheet(page: Any) -> None:
    """From the sheet list, upload Suez 2019 as a new sheet: its page shows the facts found."""
    page.goto("/author/sheets")
    page.get_by_role("link", name="Upload a new sheet").click()
    page.set_input_files("input[name=file]", SUEZ_2019)
    page.fill("input[name=title]", "Le canal de Suez")
    page.fill("input[name=revision]", "2019")
    shoot(page, "author-upload")
    page.get_by_role("button", name="Upload and write the questions").click()
    page.wait_for_url(f"**/author/sheets/{SUEZ}/revisions/2019")
    assert page.locator(".flash-success").inner_text() == "Revision 2019 imported."
    assert page.locator(".author-paragraph mark.fact").count() >= 10
    assert page.locator("mark.fact-date", has_text="17 novembre 1869").is_visible()
    assert page.locator(".fact-list").first.is_visible()
    shoot(page, "author-sheet")


def upload_a_revision_and_compare(page: Any) -> int:
    """Upload Suez 2021 (two paragraphs rewritten, one removed, one added), compare it with
    2019, then open 2019's stale questions; return how many wait for a decision."""
    page.get_by_role("link", name="Upload a new revision").click()
    page.set_input_files("input[name=file]", SUEZ_2021)
    page.fill("input[name=revision]", "2021")
    page.get_by_role("button", name="Upload and write the questions").click()
    page.wait_for_url(f"**/author/sheets/{SUEZ}/revisions/2021")
    notice = page.locator(".flash-warning").inner_text()
    announced = int(notice.split()[0])

    page.get_by_role("link", name="Compare with revision 2019").click()
    page.wait_for_url("**/diff?**")
    counts = page.locator(".diff-counts dd").all_inner_texts()
    assert counts == ["5", "2", "1", "1"]
    assert page.locator(".diff-changed del").first.is_visible()
    shoot(page, "author-diff")

    page.get_by_role("link", name="See the stale questions").click()
    page.wait_for_url("**/stale?revision=2019")
    waiting = waiting_count(page)
    assert waiting > 2 and page.locator(".stale-item").count() == min(waiting, 10)
    assert announced == waiting and "stale list" in notice
    shoot(page, "author-stale")
    return waiting


def repoint_one_and_retire_one(page: Any, waiting: int) -> tuple[int, int]:
    """On the stale list, carry the first re-pointable question forward on the suggested
    span and retire another; return their ids."""
    item = page.locator(".stale-item:has(.stale-repoint):has(.candidate-best .badge-ok)").first
    repointed = int(item.get_attribute("data-question") or 0)
    with page.expect_navigation():
        item.get_by_role("button", name="Carry forward re-pointed").click()
    assert "/stale?revision=2019#question-" in page.url  # back where it was
    assert (
        f"Question {repointed} carried forward to revision 2021"
        in page.locator(".flash-success").inner_text()
    )
    retired = int(page.locator(".stale-item").first.get_attribute("data-question") or 0)
    with page.expect_navigation():
        page.locator(".stale-item").first.get_by_role("button", name="Retire").click()
    assert page.locator(".flash-success").inner_text() == f"Question {retired} retired."
    assert waiting_count(page) == waiting - 2
    assert page.locator(f"#question-{repointed}, #question-{retired}").count() == 0
    shoot(page, "author-stale-after")
    return repointed, retired


@pytest.mark.browser
@pytest.mark.slow
def test_an_instructor_uploads_revises_compares_and_decides(
    browser_site: tuple[str, Flask],
) -> None:
    base, app = browser_site
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=DESKTOP, base_url=base)
        context.set_default_timeout(30_000)  # an upload generates questions: seconds
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", INSTRUCTOR)
        page.fill("input[name=password]", ROLE_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.goto("/lang/en")
        upload_a_new_sheet(page)
        waiting = upload_a_revision_and_compare(page)
        repointed, retired = repoint_one_and_retire_one(page, waiting)
        context.close()
        browser.close()
    with app.app_context():
        copy = db.session.scalar(select(Question).filter_by(carried_from_id=repointed))
        assert copy is not None and copy.revision.label == "2021"
        assert copy.paragraph.revision_id == copy.revision_id and copy.edited_at is not None
        assert db.session.get(Question, retired).status == "retired"  # type: ignore[union-attr]
        assert db.session.scalar(select(func.count()).select_from(Paragraph)) > 0
