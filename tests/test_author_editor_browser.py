"""The question editor in a real Chromium, against a live server.

An instructor opens a generated question from the review queue, rewrites its
prompt, re-points its evidence by selecting a sentence of another paragraph,
saves, sees every check pass, approves the new version; a learner's next quiz
then asks it. A second test selects words after a character outside the Basic
Multilingual Plane: the positions are the server's (code points), not
JavaScript's UTF-16 units. Screenshots land in tests/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    LATEST_REVISION,
    ROLE_PASSWORD,
    SHEET_SLUG,
    require_chromium,
    served_for_browser,
    shoot,
)
from conftest import build_imported_database, make_app
from flask import Flask
from sqlalchemy import select, update

from quiz.extensions import db
from quiz.generate.model import Span
from quiz.generate.questions.check_registry import Checked
from quiz.generate.questions.checks import findings
from quiz.models import Paragraph, Question, Revision
from quiz.services.accounts import users
from quiz.services.authoring import approval
from quiz.services.authoring.approval import checked_row

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEACHER = "redactrice"
NEW_PROMPT = "Selon la fiche, qui est _____ ? (énoncé revu)"
NON_BMP_TEXT = "Le symbole 𝄞 ouvre la partition ; ensuite Bruxelles accueille le sommet."


def edited(question: Question, other: Paragraph) -> Checked:
    """``question`` as the test edits it: the new prompt, its answer's sentence in ``other``."""
    start, end = sentence_around(other.text, question.answer)
    return replace(
        checked_row(question), prompt=NEW_PROMPT, paragraph=other.text, evidence=Span(start, end)
    )


def target() -> tuple[Question, Paragraph]:
    """The mcq to edit and the other paragraph of its revision to re-point it to.

    The newest revision's first mcq whose answer another quizzable paragraph
    states, in a sentence that makes the edited question pass every check (the
    later built-in revision may have none: its text is mostly page furniture).
    """
    revisions = db.session.scalars(select(Revision).order_by(Revision.position.desc())).all()
    return next(
        (question, other)
        for revision in revisions
        for question in sorted(revision.questions, key=lambda q: q.id)
        if question.type == "mcq"
        for other in revision.paragraphs
        if other.quizzable and other.id != question.paragraph_id and question.answer in other.text
        if not findings(edited(question, other))
    )


def seed() -> None:
    """An instructor, a paragraph with a non-BMP character on the latest revision, and one
    served mcq on its revision (so a learner's quiz asks it): its answer is in another
    paragraph too."""
    users.register(TEACHER, ROLE_PASSWORD, role="instructor")
    question, _other = target()
    db.session.execute(
        update(Question)
        .where(Question.revision_id == question.revision_id, Question.id != question.id)
        .values(status="draft")
    )
    latest = db.session.scalar(select(Revision).filter_by(label=LATEST_REVISION))
    latest.paragraphs.append(
        Paragraph(anchor="p-non-bmp", index=len(latest.paragraphs), text=NON_BMP_TEXT, lang="fr")
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on the built-in sheets plus ``seed``; yields (URL, app)."""
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite", seed))
    with served_for_browser(app) as url_and_app:
        yield url_and_app


@pytest.fixture
def browser(server: tuple[str, Flask]) -> Iterator[Any]:
    """A Chromium; any page error fails the test."""
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser: Any, base: str) -> Any:
    """A desktop-sized tab on ``base`` whose script errors fail the test."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", base_url=base)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def log_in(page: Any) -> None:
    page.goto("/login")
    page.fill("input[name=username]", TEACHER)
    page.fill("input[name=password]", ROLE_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/author/questions")  # an instructor lands on the review queue


def utf16(text: str, index: int) -> int:
    """The JavaScript (UTF-16) offset of the code point ``index`` of ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def select_with_mouse(page: Any, start: int, end: int) -> None:
    """Select [start, end) (UTF-16 offsets) of the picker's text, then release the mouse.

    The text may already be cut in pieces around a mark: offsets run across them."""
    page.evaluate(
        """([start, end]) => {
          const box = document.querySelector('.picker-text');
          const locate = (offset) => {  // the text node and offset at `offset` of the box
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (offset <= node.length) return [node, offset];
              offset -= node.length;
            }
            throw new Error('offset past the text');
          };
          const range = document.createRange();
          range.setStart(...locate(start));
          range.setEnd(...locate(end));
          const selection = getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [start, end],
    )


def picked(page: Any) -> tuple[str, str, str]:
    """The start and end fields and the marked text of the picker."""
    return (
        page.input_value("input[name=evidence_start]"),
        page.input_value("input[name=evidence_end]"),
        page.locator(".picker-text mark").inner_text(),
    )


def served_target(app: Flask) -> tuple[Question, Paragraph, str]:
    """The served question, another paragraph of its revision holding its answer, the label."""
    with app.app_context():
        question, other = target()
        label = question.revision.label
        db.session.expunge_all()
        return question, other, label


def sentence_around(text: str, needle: str) -> tuple[int, int]:
    """The span of the sentence of ``text`` that holds ``needle``."""
    at = text.index(needle)
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    stop = text.find(".", at + len(needle))
    return start, (stop + 1 if stop >= 0 else len(text))


def test_edit_repoint_approve_and_the_learner_gets_the_new_version(
    browser: Any, server: tuple[str, Flask]
) -> None:
    base, app = server
    question, other, label = served_target(app)
    page = new_page(browser, base)
    log_in(page)
    page.goto(f"/author/questions?revision={label}&type=mcq&status=approved")
    page.click(f"a[href='/author/questions/{question.id}/edit']")
    page.wait_for_url(f"**/author/questions/{question.id}/edit")
    page.fill("textarea[name=prompt]", NEW_PROMPT)
    page.select_option("select[name=paragraph]", str(other.id))
    assert page.evaluate("document.querySelector('.picker-text').textContent") == other.text
    start, end = sentence_around(other.text, question.answer)
    # The drag takes the space after the sentence along; the picker trims it.
    stop = end + 1 if other.text[end : end + 1] == " " else end
    select_with_mouse(page, utf16(other.text, start), utf16(other.text, stop))
    assert picked(page) == (str(start), str(end), other.text[start:end])
    shoot(page, "editor")
    page.click("button[type=submit]:has-text('Enregistrer'), button[type=submit]:has-text('Save')")
    page.wait_for_url(re.compile(r".*/author/questions/\d+$"))
    assert page.locator(".check-failed").count() == 0
    assert page.locator(".check-ok").count() == len(approval.check_names())
    assert page.locator(".editor-preview .prompt").inner_text() == NEW_PROMPT
    assert page.locator(".editor-preview mark").inner_text() == other.text[start:end]
    shoot(page, "editor-question")
    page.click("#approve")
    page.wait_for_load_state()
    assert page.locator(".editor-where .badge-ok").count() == 1
    assert page.locator(".history-entry").count() == 2
    assert page.errors == []

    learner = new_page(browser, base)
    learner.goto(f"/quiz/new?sheet={SHEET_SLUG}")
    learner.check(f"input[name=revision][value='{label}']")
    learner.click("form.setup-form button[type=submit]")
    learner.wait_for_url(re.compile(r".*/quiz/\d+$"))
    assert learner.locator(".prompt").inner_text() == NEW_PROMPT
    learner.check(f"input[name=answer][value='{question.answer}']")
    learner.click("form.answer-form button[type=submit]")
    learner.wait_for_url("**/answers/*")
    assert learner.locator(".source mark").inner_text() == other.text[start:end]


def test_positions_count_code_points_and_typing_them_moves_the_mark(
    browser: Any, server: tuple[str, Flask]
) -> None:
    base, app = server
    with app.app_context():
        paragraph_id = db.session.scalar(select(Paragraph.id).filter_by(anchor="p-non-bmp"))
    page = new_page(browser, base)
    log_in(page)
    new_url = f"/author/sheets/{SHEET_SLUG}/revisions/{LATEST_REVISION}/questions/new?type=short"
    page.goto(new_url)
    page.select_option("select[name=paragraph]", str(paragraph_id))
    at = NON_BMP_TEXT.index("Bruxelles")
    assert utf16(NON_BMP_TEXT, at) == at + 1  # the clef takes two UTF-16 units
    select_with_mouse(page, utf16(NON_BMP_TEXT, at), utf16(NON_BMP_TEXT, at + len("Bruxelles")))
    assert picked(page) == (str(at), str(at + len("Bruxelles")), "Bruxelles")
    # The keyboard way: type the positions.
    other = NON_BMP_TEXT.index("partition")
    for name, value in (("evidence_start", other), ("evidence_end", other + len("partition"))):
        page.focus(f"input[name={name}]")
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))
    assert page.locator(".picker-text mark").inner_text() == "partition"
    select_with_mouse(page, utf16(NON_BMP_TEXT, at), utf16(NON_BMP_TEXT, at + len("Bruxelles")))
    page.fill("textarea[name=prompt]", "Quelle ville accueille le sommet ?")
    page.fill("input[name=answer]", "Bruxelles")
    shoot(page, "editor-new")
    page.click("button[type=submit]:has-text('Enregistrer'), button[type=submit]:has-text('Save')")
    page.wait_for_url(re.compile(r".*/author/questions/\d+$"))
    assert page.locator(".editor-preview mark").inner_text() == "Bruxelles"
    assert page.locator(".check-failed").count() == 0
    assert page.errors == []
