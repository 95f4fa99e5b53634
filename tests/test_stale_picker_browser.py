"""The stale list's evidence picker in a real Chromium, against a live server.

The Suez sheet in two revisions (``test_author_stale``'s module database): a
2019 question whose paragraph 2021 rewrote is carried forward by selecting,
with the mouse, the words of the new paragraph that prove it (the editor's
picker, ``static/evidence-picker.js``), not by typing character positions.
The copy then cites exactly that span. Screenshots land in
``tests/screenshots/stale-picker-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    ROLE_PASSWORD,
    SCREENSHOTS,
    require_chromium,
    served_for_browser,
)
from conftest import app_on_copy
from flask import Flask
from sqlalchemy import select
from test_author_stale import NEW, SUEZ, TRAVAUX_2021, Imported, imported, travaux_question

from quiz.extensions import db
from quiz.models import Paragraph, Question
from quiz.services.library.sheets import find_revision

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["imported"]  # the module fixture, shared with test_author_stale

# The words the instructor selects in the rewritten paragraph: they hold the answer.
PICKED = "le 25 avril 1859 à Port-Saïd"


@pytest.fixture
def server(imported: Imported, tmp_path: Path) -> Iterator[tuple[str, Flask, int]]:
    """A live server on a copy of the Suez database; yields (URL, app, stale question id)."""
    require_chromium()
    with app_on_copy(imported.database, tmp_path) as app:
        question_id = travaux_question(app)
        with app.app_context():  # a prompt quoting nothing the new text changed
            db.session.get(Question, question_id).prompt = "Quand les travaux commencent-ils ?"
            db.session.commit()
        with served_for_browser(app) as (url, served):
            yield url, served, question_id


@pytest.fixture
def page(server: tuple[str, Flask, int]) -> Iterator[Any]:
    """A logged-in instructor's desktop tab, in English; a script error fails the test."""
    base, _app, _question_id = server
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=DESKTOP, base_url=base)
        context.set_default_timeout(10_000)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto("/login")
        tab.fill("input[name=username]", "instructor-one")
        tab.fill("input[name=password]", ROLE_PASSWORD)
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/author/questions")
        tab.goto("/lang/en")
        yield tab
        assert errors == []
        browser.close()


def rewritten_paragraph(app: Flask) -> Paragraph:
    """The 2021 paragraph that rewrites the Travaux one."""
    with app.app_context():
        revision = find_revision(SUEZ, NEW)
        paragraph = next(p for p in revision.paragraphs if p.text.startswith(TRAVAUX_2021))
        db.session.expunge(paragraph)
        return paragraph


def open_item(page: Any, question_id: int) -> Any:
    """The stale list's page that shows ``question_id``; its item."""
    for number in range(1, 10):
        page.goto(f"/author/sheets/{SUEZ}/stale?page={number}")
        item = page.locator(f"#question-{question_id}")
        if item.count():
            return item
    raise AssertionError(f"question {question_id} is not listed")


def drag_over(page: Any, box_selector: str, text: str, words: str) -> None:
    """Select ``words`` of the picker box's text with the mouse, first to last character."""
    start = text.index(words)
    page.locator(box_selector).scroll_into_view_if_needed()
    first, last = page.evaluate(
        """([selector, start, end]) => {
          const box = document.querySelector(selector);
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          const nodes = [];
          while (walker.nextNode()) nodes.push(walker.currentNode);
          // The code point ``i`` of the box's text: its text node and UTF-16 offset there.
          const at = (i) => {
            for (const node of nodes) {
              const points = Array.from(node.data);
              if (i < points.length) return [node, points.slice(0, i).join('').length];
              i -= points.length;
            }
            throw new Error('outside the text');
          };
          const rect = (i) => {
            const [node, offset] = at(i);
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + Array.from(node.data.slice(offset))[0].length);
            return range.getBoundingClientRect().toJSON();
          };
          return [rect(start), rect(end - 1)];
        }""",
        [box_selector, start, start + len(words)],
    )
    page.mouse.move(first["left"] + 1, first["top"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, last["top"] + last["height"] / 2, steps=8)
    page.mouse.up()


def screenshot(page: Any, item: Any, name: str) -> None:
    """The stale item with its picker, on a desktop and on a phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    item.screenshot(path=SCREENSHOTS / f"{name}-desktop.png")
    page.set_viewport_size(PHONE)
    item.screenshot(path=SCREENSHOTS / f"{name}-phone.png")
    page.set_viewport_size(DESKTOP)


def test_a_stale_question_is_carried_forward_by_selecting_its_new_evidence(
    page: Any, server: tuple[str, Flask, int]
) -> None:
    _base, app, question_id = server
    target = rewritten_paragraph(app)
    item = open_item(page, question_id)
    prefix = f"q{question_id}"
    box = f"#question-{question_id} .picker-text"
    item.locator(f"select[name={prefix}-paragraph]").select_option(str(target.id))
    assert page.locator(box).text_content() == target.text

    drag_over(page, box, target.text, PICKED)

    start = target.text.index(PICKED)
    end = start + len(PICKED)
    assert item.locator(f"input[name={prefix}-start]").input_value() == str(start)
    assert item.locator(f"input[name={prefix}-end]").input_value() == str(end)
    assert page.locator(f"{box} mark").inner_text() == PICKED
    assert item.locator(".picker-selected q").inner_text() == PICKED
    screenshot(page, item, "stale-picker")
    item.get_by_role("button", name="Carry forward re-pointed").click()
    page.wait_for_url(f"**/author/sheets/{SUEZ}/stale**")
    assert f"Question {question_id} carried forward to revision {NEW}" in page.content()

    with app.app_context():
        origin = db.session.get(Question, question_id)
        copy = db.session.scalar(
            select(Question).where(
                Question.uid == origin.uid, Question.revision_id == find_revision(SUEZ, NEW).id
            )
        )
        assert copy is not None
        assert (copy.paragraph_id, copy.evidence_start, copy.evidence_end) == (target.id, start, end)
        assert copy.paragraph.text[copy.evidence_start : copy.evidence_end] == PICKED
