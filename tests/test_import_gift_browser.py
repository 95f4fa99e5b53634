"""An instructor in a real Chromium imports a GIFT file written by hand, in the French interface.

The file is ``docs/examples/teacher-questions.gift``: no ids, no ``// quiz:``
lines, sources cited by a sheet and a paragraph's first words (or anchor), one
question citing its sheet alone. Screenshots land in tests/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, require_chromium, served_for_browser
from browser_helpers import shoot as shoot_page
from conftest import build_imported_database, make_app
from flask import Flask
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import STATUS_DRAFT, Question
from quiz.services.accounts import users

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "teacher-questions.gift"


def seed() -> None:
    """An instructor."""
    users.register("professeure", PASSWORD, role="instructor")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on the built-in sheets with an instructor; yields (URL, app)."""
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite", seed))
    with served_for_browser(app) as url_and_app:
        yield url_and_app


def test_an_instructor_imports_a_gift_file_written_by_hand(served: tuple[str, Flask]) -> None:
    base, app = served
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{base}/lang/fr?next=/login")
        page.fill("#username", "professeure")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/author/import")
        assert page.locator("#by-hand pre").inner_text().startswith("// source: ")
        page.set_input_files("input[type=file]", str(EXAMPLE))
        page.click("button[type=submit] >> text=Importer")
        report = page.locator(".import-report")
        assert "4 questions importées comme brouillons" in report.inner_text()
        assert report.locator("li").count() == 4
        shoot_page(page, "import-ordinary-gift")
        browser.close()
    with app.app_context():
        drafts = db.session.scalars(select(Question).where(Question.status == STATUS_DRAFT)).all()
        unplaced = [q for q in drafts if q.evidence_start == q.evidence_end == 0]
        assert len(unplaced) == 1 and unplaced[0].prompt.startswith("Quelle guerre")
