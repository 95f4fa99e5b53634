"""An instructor in a real Chromium: export, import and item analysis, against a live server.

The instructor downloads the approved set as GIFT and as JSON (the files are
parsed back), uploads a spreadsheet with a mistake (sees its line, nothing is
imported), fixes it and imports it (sees the new drafts, finds one in the
review queue), then opens the item analysis of a question eight visitors
answered. Screenshots (desktop and phone) land in tests/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    require_chromium,
    served_for_browser,
    shoot,
)
from conftest import attempt_on, build_imported_database, make_app
from flask import Flask
from sqlalchemy import func, select
from test_author_exchange import NEW_IDS, csv_file, newest_approved_ids, teacher_rows

from quiz import exchange
from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Question, Revision
from quiz.services.accounts import users
from quiz.services.authoring import approval
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
LEARNERS = 8


def class_mcq() -> Question:
    """The approved multiple-choice question whose analysis the test opens, of the newest
    revision that has one with ``id % 8 == 5``: three of the eight visitors get it right."""
    revisions = db.session.scalars(select(Revision).order_by(Revision.position.desc())).all()
    return next(
        question
        for revision in revisions
        for question in sorted(revision.questions, key=lambda q: q.id)
        if question.type == "mcq" and question.status == STATUS_APPROVED
        if question.id % LEARNERS == 5
    )


def answer_as_a_class() -> None:
    """Eight visitors answer every approved question of ``class_mcq``'s revision.

    Visitor ``i`` gets question ``k`` right when ``i >= k % 8``: the questions
    range from easy (everyone right) to hard, and stronger visitors do better.
    """
    revision = class_mcq().revision
    approved = [q for q in revision.questions if q.status == STATUS_APPROVED]
    for learner in range(LEARNERS):
        # Every question in one attempt, by hand: a drawn quiz leaves out those that
        # would give another away.
        attempt = attempt_on(Owner(visitor_id=f"visitor-{learner}"), approved)
        for question_id in sorted(attempt.question_ids):
            question = db.session.get(Question, question_id)
            right = learner >= question_id % LEARNERS
            attempts.submit_answer(attempt, question_id, given_for(question, right, learner))


def given_for(question: Question, right: bool, learner: int) -> object:
    """A right answer, or a wrong one (wrong choices differ from learner to learner)."""
    if right:
        return question.answer
    if question.type in ("mcq", "true_false"):
        wrong = [choice for choice in question.choices if choice != question.answer]
        return wrong[learner % len(wrong)]
    if question.type == "order":
        return list(reversed(question.answer))
    return "987654321" if question.type == "numeric" else "je ne sais pas"


def seed() -> None:
    """An instructor, and the class's answers."""
    users.register("professeure", PASSWORD, role="instructor")
    answer_as_a_class()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on the built-in sheets, an instructor and answers; yields (URL, app)."""
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite", seed))
    with served_for_browser(app) as url_and_app:
        yield url_and_app


@pytest.fixture
def page(served: tuple[str, Flask]) -> Iterator[playwright_api.Page]:
    """A desktop-sized Chromium tab that accepts downloads."""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def log_in(page: playwright_api.Page, base: str) -> None:
    """Log in as the instructor, in English, and reach the export page from the menu."""
    page.goto(f"{base}/lang/en?next=/login")
    page.fill("#username", "professeure")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Authoring")
    page.click(".author-nav >> text=Export")
    page.wait_for_url(f"{base}/author/export")


def download(page: playwright_api.Page, format_label: str) -> tuple[str, bytes]:
    """Pick a format on the export page (approved, latest revision: the defaults) and download."""
    page.get_by_label(format_label).check()
    with page.expect_download() as info:
        page.click("text=Download the file")
    file = info.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def question_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question)) or 0


def export_gift_and_json(page: playwright_api.Page, app: Flask) -> None:
    """The approved set downloaded as GIFT and as JSON: each file holds exactly its questions."""
    approved = newest_approved_ids(app)
    assert page.locator("input[name=status][value=approved]").is_checked()
    shoot(page, "author-export")

    name, content = download(page, "GIFT (Moodle, text)")
    assert re.fullmatch(r"quiz-all-\d{4}-\d{2}-\d{2}\.gift", name)
    assert {item.record["id"] for item in exchange.parse("gift", content)} == approved
    name, content = download(page, "JSON")
    assert name.endswith(".json")
    assert {item.record["id"] for item in exchange.parse("json", content)} == approved


def import_a_spreadsheet(page: playwright_api.Page, app: Flask) -> None:
    """A spreadsheet whose third question has lost its answer: line 7, nothing imported.
    Fixed, it adds three drafts; the first is found in the review queue."""
    rows = teacher_rows(app)
    broken = [dict(row) for row in rows]
    broken[2]["answer"] = ""
    before = question_count(app)
    page.click(".author-nav >> text=Import")
    page.set_input_files(
        "#file", {"name": "questions.csv", "mimeType": "text/csv", "buffer": csv_file(broken)}
    )
    page.click("button:text('Import')")
    error = page.locator(".error-lines li")
    assert error.count() == 1
    assert error.get_attribute("data-line") == "7"
    assert f"{NEW_IDS[2]}: missing answer" in error.inner_text()
    assert question_count(app) == before
    shoot(page, "author-import-errors")

    page.set_input_files(
        "#file", {"name": "questions.csv", "mimeType": "text/csv", "buffer": csv_file(rows)}
    )
    page.click("button:text('Import')")
    imported = page.locator(".imported li")
    assert imported.count() == 3
    assert question_count(app) == before + 3
    shoot(page, "author-import-done")
    first = imported.first.get_attribute("data-question")
    imported.first.locator("a").click()
    page.wait_for_url(f"**/author/questions?**#question-{first}")
    assert page.locator(f"#question-{first} .status-draft").is_visible()


def open_an_item_analysis(page: playwright_api.Page, base: str, app: Flask) -> None:
    """The item analysis of a multiple-choice question, from its figures in the queue."""
    with app.app_context():
        question = class_mcq()
        mcq, label = question.id, question.revision.label
        before = db.session.scalar(
            select(func.count())
            .select_from(Question)
            .where(Question.revision_id == question.revision_id, Question.type == "mcq")
            .where(Question.id < mcq)
        )
    number = (before or 0) // approval.QUEUE_PAGE_SIZE + 1  # the queue page that lists it
    page.goto(f"{base}/author/questions?status=&revision={label}&type=mcq&page={number}")
    figures = page.locator(f"[data-analysis='{mcq}']")
    assert "p 38%" in " ".join(figures.inner_text().split())  # 3 of the 8 visitors: 5, 6, 7
    figures.locator("a").click()
    page.wait_for_url(f"**/author/questions/{mcq}/analysis")
    assert page.locator("[data-figure=learners]").inner_text() == str(LEARNERS)
    assert page.locator(".choice-bar").count() >= 2
    assert page.locator(".choice-bar-right").get_attribute("data-count") == "3"
    shoot(page, "author-analysis")


def test_export_import_and_item_analysis(
    page: playwright_api.Page, served: tuple[str, Flask]
) -> None:
    base, app = served
    log_in(page, base)
    export_gift_and_json(page, app)
    import_a_spreadsheet(page, app)
    open_an_item_analysis(page, base, app)
