"""A learner in a real Chromium, keyboard only, against a live server.

A visitor registers, takes a five-question quiz with Tab, Space, arrows,
Enter and typing, sees the evidence highlighted after each answer, follows
the source link to the sheet paragraph, and finds the score on the progress
page. Screenshots of the question, feedback and progress pages (desktop and
phone) land in tests/screenshots/ for a human to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import (
    ALL_TYPES,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    OLD_REVISION,
    SHEET_SLUG,
    date_order_events,
    require_chromium,
    served_for_browser,
    shoot,
)
from conftest import build_imported_database, make_app
from flask import Flask

from quiz.extensions import db
from quiz.models import Question

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUIZ_LENGTH = 5
MAX_TABS = 60


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on a database with the built-in sheets; yields (URL, app)."""
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite"))
    with served_for_browser(app) as url_and_app:
        yield url_and_app


@pytest.fixture
def page(base_url: tuple[str, Flask]) -> Iterator[playwright_api.Page]:
    """A desktop-sized Chromium tab."""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def focused(page: playwright_api.Page) -> str:
    """``tag#id.name`` of the element that has the focus."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id}.${e.getAttribute('name') || ''}`; }"
    )


def tab_to(page: playwright_api.Page, selector: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the CSS ``selector``."""
    for _ in range(MAX_TABS):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {selector!r}; focus is on {focused(page)}")


def register_with_keyboard(page: playwright_api.Page, base: str) -> None:
    page.goto(f"{base}/register")
    assert focused(page) == "input#username.username"  # autofocus
    page.keyboard.type("camille")
    page.keyboard.press("Tab")
    page.keyboard.type("un mot de passe sûr")
    page.keyboard.press("Tab")
    page.keyboard.type("un mot de passe sûr")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/progress")
    assert page.locator(".username").inner_text() == "camille"


def start_quiz_with_keyboard(page: playwright_api.Page, base: str) -> None:
    page.goto(f"{base}/quiz/new")
    tab_to(page, "input[name=revision]")  # one tab stop for the group: the latest is checked
    page.keyboard.press("ArrowDown")  # the earlier revision has every type of question
    tab_to(page, "#count")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(QUIZ_LENGTH))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/quiz/*")


def question_on_page(page: playwright_api.Page, app: Flask) -> Question:
    question_id = int(page.locator("input[name=question_id]").get_attribute("value"))
    with app.app_context():
        question = db.session.get(Question, question_id)
        _ = question.paragraph.anchor
        db.session.expunge_all()
        return question


def answer_with_keyboard(page: playwright_api.Page, question: Question) -> None:
    """Give the right answer with the keys a keyboard user would press."""
    if question.type in ("mcq", "true_false"):
        choices = page.locator("input[name=answer]").evaluate_all("els => els.map(e => e.value)")
        assert focused(page).startswith("input#choice-1")  # autofocus on the first choice
        page.keyboard.press("Space")
        for _ in range(choices.index(question.answer)):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    elif question.type == "order":
        items = page.locator("input[name^=item-]").evaluate_all("els => els.map(e => e.value)")
        for index, item in enumerate(items):
            assert focused(page) == f"select#position-{index}.position-{index}"
            page.keyboard.type(str(question.answer.index(item) + 1))
            page.keyboard.press("Tab")
        assert focused(page).startswith("button")
        page.keyboard.press("Enter")
    else:
        assert focused(page) == "input#answer.answer"
        page.keyboard.type(str(question.answer))
        page.keyboard.press("Enter")
    page.wait_for_url("**/answers/*")


def cited_evidence(question: Question) -> list[str]:
    """The sentences the feedback highlights: each event's for an order question that
    knows them (its own source is its first event's), else its own evidence."""
    if question.type == "order" and question.item_sources:
        spans = [(s["paragraph"], s["evidence"]) for s in question.item_sources]
        return [text[span["start"] : span["end"]] for text, span in spans]
    return [question.paragraph.text[question.evidence_start : question.evidence_end]]


def check_feedback(page: playwright_api.Page, question: Question) -> None:
    """Right, and the evidence highlighted in the quoted paragraph (each event's, for order)."""
    assert page.locator(".verdict-right").is_visible()
    marks = page.locator(".source mark")
    assert marks.first.is_visible()
    assert marks.all_inner_texts() == cited_evidence(question)


def follow_source_link(page: playwright_api.Page, question: Question) -> None:
    """From the feedback page, keyboard only: the sheet at the paragraph, evidence marked."""
    assert focused(page) == "h1#verdict."  # the page opens on its verdict
    tab_to(page, ".source figcaption a")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    anchor = href.rsplit("#", 1)[1]  # the first source's: an order question's first event
    cited = [s["anchor"] for s in question.item_sources] if question.type == "order" else []
    assert anchor == (cited[0] if cited else question.paragraph.anchor)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sheets/**")
    assert page.evaluate("location.hash") == f"#{anchor}"
    mark = page.locator(f"[id='{anchor}'] mark")
    assert mark.is_visible()
    # Scrolled to: the evidence starts within the window.
    assert mark.evaluate("m => { const top = m.getBoundingClientRect().top;"
                         " return top >= 0 && top < innerHeight; }")  # fmt: skip
    page.go_back()


def test_keyboard_only_quiz_with_sources_and_progress(
    page: playwright_api.Page, base_url: tuple[str, Flask]
) -> None:
    base, app = base_url
    register_with_keyboard(page, base)
    start_quiz_with_keyboard(page, base)
    for position in range(1, QUIZ_LENGTH + 1):
        assert page.locator(".quiz-progress-label").inner_text() == (
            f"Question {position} sur {QUIZ_LENGTH}"
        )
        question = question_on_page(page, app)
        if position == 1:
            shoot(page, "question")
        answer_with_keyboard(page, question)
        check_feedback(page, question)
        if position == 1:
            shoot(page, "feedback")
            follow_source_link(page, question)
        tab_to(page, "#continue")  # after the verdict (focused on arrival) and the sources
        page.keyboard.press("Enter")
    page.wait_for_url("**/summary")
    assert page.locator(".score strong").inner_text() == str(QUIZ_LENGTH)
    page.goto(f"{base}/progress")
    assert page.locator(".stat dd").first.inner_text() == str(QUIZ_LENGTH)
    assert page.locator("svg.chart-svg rect.chart-correct").count() == 1
    shoot(page, "progress")


def start_order_quiz(page: playwright_api.Page, base: str) -> None:
    """A one-question quiz on the earlier revision's order questions, set up with the mouse."""
    page.goto(f"{base}/quiz/new")
    page.check(f"input[name=revision][value='{OLD_REVISION}']")
    for kind in ALL_TYPES:
        if kind != "order":
            page.uncheck(f"input[name=types][value='{kind}']")
    page.fill("#count", "1")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/quiz/\d+$"))


def test_order_feedback_shows_each_event_with_its_date_and_source(
    page: playwright_api.Page, base_url: tuple[str, Flask]
) -> None:
    base, app = base_url
    dates = date_order_events(app)  # the generator does not write them yet: by hand
    start_order_quiz(page, base)
    question = question_on_page(page, app)
    assert question.type == "order"
    answer_with_keyboard(page, question)
    events = page.locator(".event")
    assert events.count() == len(question.answer) == len(question.item_sources)
    assert page.locator(".event-text").all_inner_texts() == question.answer
    assert page.locator(".event-date").all_inner_texts() == dates[question.id]
    for index, source in enumerate(question.item_sources):
        event = events.nth(index)
        start, end = source["evidence"]["start"], source["evidence"]["end"]
        assert event.locator(".event-date").is_visible()
        assert event.locator(".source mark").inner_text() == source["paragraph"][start:end]
        link = event.locator(".source figcaption a")
        anchor = source["anchor"]
        assert link.get_attribute("href") == (
            f"/sheets/{SHEET_SLUG}/revisions/{OLD_REVISION}?hl={anchor}:{start}-{end}#{anchor}"
        )
    # Its own source is its first event's: quoted once, in the list.
    assert page.locator(".source").count() == events.count()
    shoot(page, "order-feedback")
    last = question.item_sources[-1]
    events.last.locator(".source figcaption a").click()
    page.wait_for_url("**/sheets/**")
    assert page.evaluate("location.hash") == f"#{last['anchor']}"
    mark = page.locator(f"[id='{last['anchor']}'] mark")
    start, end = last["evidence"]["start"], last["evidence"]["end"]
    assert mark.is_visible() and mark.inner_text() == last["paragraph"][start:end]
