"""The feedback page opens on its verdict, on a desktop and on a phone (real Chromium).

A learner answers a question whose source paragraph is the longest of the
built-in sheet: the feedback below the verdict is then taller than a phone's
screen. On arrival the verdict must be inside the window and the page not
scrolled past it. Screenshots of the window on arrival (not the whole page:
what the learner sees first) land in tests/screenshots/feedback-arrival-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OLD_REVISION,
    PHONE,
    ROLE_PASSWORD,
    SCREENSHOTS,
    require_chromium,
    served_for_browser,
)
from conftest import attempt_on, build_imported_database, make_app
from flask import Flask
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Paragraph, Question, Revision
from quiz.services.accounts import users
from quiz.services.study.attempts import Owner

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAPTOP = {"width": 1280, "height": 800}
LEARNER = "camille"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on the built-in sheets with the account ``camille``; yields (URL, app)."""
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite"))
    with app.app_context():
        users.register(LEARNER, ROLE_PASSWORD)
        db.session.commit()
    with served_for_browser(app) as url_and_app:
        yield url_and_app


def long_source_attempt(app: Flask) -> int:
    """A new attempt of ``camille`` asking the typed-answer question with the longest source."""
    with app.app_context():
        question = db.session.scalars(
            select(Question)
            .join(Paragraph, Question.paragraph_id == Paragraph.id)
            .join(Revision, Question.revision_id == Revision.id)
            .where(
                Revision.label == OLD_REVISION,
                Question.status == STATUS_APPROVED,
                Question.type == "cloze",
            )
            .order_by(func.length(Paragraph.text).desc(), Question.id)
        ).first()
        assert question is not None
        user = users.find_user(LEARNER)
        assert user is not None
        attempt = attempt_on(Owner(user_id=user.id), [question])
        db.session.commit()
        return attempt.id


def arrive_on_feedback(base: str, app: Flask, viewport: dict[str, int], name: str) -> None:
    """Log in, answer one question with the keyboard, and check the feedback page on arrival."""
    attempt_id = long_source_attempt(app)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("#username", LEARNER)
        page.fill("#password", ROLE_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/progress")
        page.goto(f"{base}/quiz/{attempt_id}")
        page.keyboard.type("une réponse fausse")  # the answer field has the focus
        page.keyboard.press("Enter")
        page.wait_for_url("**/answers/*")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"feedback-arrival-{name}.png")
        verdict = page.locator("#verdict .verdict")
        box = verdict.bounding_box()
        assert box is not None
        assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], box
        assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], box
        scrolled = page.evaluate("window.scrollY")
        assert scrolled == 0 or verdict.is_visible(), scrolled
        # The page really is taller than the window: without care it would have scrolled.
        assert page.evaluate("document.documentElement.scrollHeight") > viewport["height"]
        context.close()
        browser.close()


@pytest.mark.parametrize(("viewport", "name"), [(LAPTOP, "desktop"), (PHONE, "phone")])
def test_the_verdict_is_on_screen_on_arrival(
    served: tuple[str, Flask], viewport: dict[str, int], name: str
) -> None:
    base, app = served
    arrive_on_feedback(base, app, viewport, name)
