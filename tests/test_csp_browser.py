"""The Content-Security-Policy in a real Chromium: the pages keep working under it.

An instructor who answered two questions (one right, one wrong) visits the pages that
carry scripts or drawn bars; the browser reports no violation of the policy, the
evidence picker's script runs, and the bars keep their widths without style attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROLE_PASSWORD,
    SHEET_SLUG,
    require_chromium,
    served_for_browser,
)
from conftest import attempt_on
from flask import Flask
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Answer, Question
from quiz.services.accounts import users
from quiz.services.study.attempts import Owner

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
BAR_SHARE = """
(selector) => [...document.querySelectorAll(selector)].map((fill) =>
  fill.getBoundingClientRect().width / fill.parentElement.getBoundingClientRect().width)
"""


def answered_by_an_instructor(app: Flask) -> dict[str, int]:
    """An instructor with one right and one wrong answer; the ids the pages need."""
    with app.app_context():
        teacher = users.register("teacher", ROLE_PASSWORD, role="instructor")
        approved = select(Question).filter_by(status="approved").order_by(Question.id)
        mcq = db.session.scalars(approved.filter_by(type="mcq")).first()
        assert mcq is not None
        other = db.session.scalars(
            approved.filter_by(revision_id=mcq.revision_id).where(Question.id != mcq.id)
        ).first()
        assert other is not None
        attempt = attempt_on(Owner(user_id=teacher.id, visitor_id=None), [mcq, other])
        db.session.add(Answer(attempt=attempt, question=mcq, given=mcq.answer, correct=True))
        db.session.add(Answer(attempt=attempt, question=other, given="zzzz", correct=False))
        db.session.commit()
        return {"mcq": mcq.id, "attempt": attempt.id}


@pytest.fixture
def browser_page(site: Flask) -> Iterator[tuple[Any, str, dict[str, int]]]:
    """A Chromium page logged in as the instructor on a live server; (page, URL, ids)."""
    require_chromium()
    ids = answered_by_an_instructor(site)
    with served_for_browser(site) as (base, _app), playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.add_init_script(WATCH_VIOLATIONS)
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "teacher")
        page.fill("input[name=password]", ROLE_PASSWORD)
        page.click("form.auth-form button[type=submit], main form button[type=submit]")
        page.wait_for_url(f"{base}/author/questions")  # an instructor lands on the queue
        yield page, base, ids
        browser.close()


def test_the_pages_run_under_the_policy(browser_page: tuple[Any, str, dict[str, int]]) -> None:
    page, base, ids = browser_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    paths = [
        "/", "/sheets", f"/sheets/{SHEET_SLUG}", "/quiz/new", f"/quiz/{ids['attempt']}/summary",
        "/progress", "/review", "/author/questions", "/author/sheets", "/author/analysis",
        f"/author/questions/{ids['mcq']}/analysis", f"/author/questions/{ids['mcq']}/edit",
        f"/author/sheets/{SHEET_SLUG}", "/author/upload",
    ]  # fmt: skip
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert "Content-Security-Policy" in {name.title() for name in response.headers} or (
            "content-security-policy" in response.headers
        ), path
        assert page.evaluate("window.__csp") == [], path
        if path.endswith("/edit"):  # the evidence picker's script ran: it marked the span
            assert page.locator(".picker-text mark").count() == 1
        if path == "/progress":  # one right answer of two: the sheet's bar is half full
            assert page.evaluate(BAR_SHARE, ".meter-fill")[0] == pytest.approx(0.5, abs=0.02)
        if path.endswith("/analysis") and str(ids["mcq"]) in path:
            shares = page.evaluate(BAR_SHARE, ".choice-bar-right .choice-bar-fill")
            assert shares == [pytest.approx(1.0, abs=0.02)]  # the one answer was right
    assert not [text for text in console if "Content Security Policy" in text]
