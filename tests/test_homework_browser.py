"""Homework in a real Chromium, against a live server: a teacher and a student, in French.

The teacher logs in, creates a class and an assignment of three questions of
the built-in sheet; the student logs in on a phone-sized screen, joins with the
class code, finds the assignment due on the home page, takes it through the
quiz pages (each feedback with its source) and sees the score; the teacher then
finds the student's result and answers. Every step is checked in the database
too. Screenshots land in tests/screenshots/homework-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    OLD_REVISION,
    ROLE_PASSWORD,
    SCREENSHOTS,
    require_chromium,
    served_for_browser,
    shoot,
)
from conftest import build_imported_database, make_app
from flask import Flask
from sqlalchemy import select

from quiz.class_models import Assignment, AssignmentAttempt, Membership
from quiz.extensions import db
from quiz.models import Answer, Question
from quiz.services.accounts import users as accounts

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEACHER, STUDENT = "mme-durand", "lea"
CLASS_NAME = "3e B – histoire"
TITLE = "L'OTAN et la Russie"
# Types a student answers by clicking a choice or typing a word.
TYPES_ASKED = ("mcq", "true_false", "cloze", "short", "numeric")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on the built-in sheets with a teacher and a student; yields (URL, app)."""
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite"))
    with app.app_context():
        accounts.register(TEACHER, ROLE_PASSWORD, role="instructor")
        accounts.register(STUDENT, ROLE_PASSWORD)
        db.session.commit()
    with served_for_browser(app) as url_and_app:
        yield url_and_app


@pytest.fixture
def browser() -> Iterator[Any]:
    """One Chromium for both people."""
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def tab(browser: Any, base: str, viewport: dict[str, int], username: str) -> Any:
    """A new French tab of its own (cookies and all), logged in as ``username``."""
    context = browser.new_context(base_url=base, viewport=viewport, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", ROLE_PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url
    return page


def create_class_and_assignment(page: Any) -> str:
    """The teacher's steps; returns the class code as the page shows it."""
    page.get_by_role("link", name="Classes", exact=True).click()
    page.fill("input[name=name]", CLASS_NAME)
    page.get_by_role("button", name="Créer la classe").click()
    page.wait_for_url(re.compile(r"/teach/classes/\d+$"))
    code = page.locator("#class-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    page.get_by_role("link", name="Nouveau devoir").click()
    page.select_option("#revision-picker", OLD_REVISION)  # the larger revision
    page.get_by_role("button", name="Choisir cette révision").click()
    page.wait_for_url(re.compile(rf"revision={OLD_REVISION}"))
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=count]", "3")
    for box in page.locator("input[name=types]").all():
        if box.get_attribute("value") not in TYPES_ASKED:
            box.uncheck()
    page.fill("input[name=attempts_allowed]", "2")
    shoot(page, "homework-assignment-form")
    page.get_by_role("button", name="Créer le devoir").click()
    page.wait_for_url(re.compile(r"/teach/classes/\d+$"))
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    shoot(page, "homework-class")
    return code


def join_and_find_it_due(page: Any, code: str) -> None:
    """The student joins with the code and finds the assignment due on the home page."""
    page.get_by_role("link", name="Classes", exact=True).click()
    page.fill("input[name=code]", code.lower().replace("-", " "))  # as typed in a hurry
    page.get_by_role("button", name="Rejoindre", exact=True).click()
    page.wait_for_load_state("load")
    assert f"Vous avez rejoint la classe « {CLASS_NAME} »." in page.locator(".flash").inner_text()
    page.goto("/")
    homework = page.locator(".homework-home")
    assert TITLE in homework.inner_text() and "À rendre" in homework.inner_text()
    shoot(page, "homework-home")


def take_it(page: Any, app: Flask) -> None:
    """Start the assignment from the home page and answer each question right."""
    page.locator(".homework-home").get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Commencer le devoir").click()
    page.wait_for_url(re.compile(r"/quiz/\d+$"))
    for number in range(3):
        assert TITLE in page.locator("#assignment-banner").inner_text()
        question_id = int(page.locator("input[name=question_id]").get_attribute("value"))
        with app.app_context():
            question = db.session.get(Question, question_id)
            assert question is not None and question.type in TYPES_ASKED
            expected = str(question.answer)
        if number == 0:
            shoot(page, "homework-question")
        if question.type in ("mcq", "true_false"):
            page.locator(f"input[name=answer][value=\"{expected}\"]").check()
        else:
            page.fill("#answer", expected)
        page.get_by_role("button", name="Vérifier ma réponse").click()
        page.wait_for_url(re.compile(r"/answers/\d+$"))
        assert page.locator("blockquote mark").count() >= 1  # the source, highlighted
        if number == 0:
            shoot(page, "homework-feedback")
        page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/summary$"))
    assert page.locator(".score strong").inner_text() == "3"


def read_the_results(page: Any) -> None:
    """The teacher finds the student's score, then their answers with the sources."""
    page.get_by_role("link", name="Classes", exact=True).click()
    page.get_by_role("link", name=CLASS_NAME).click()
    page.get_by_role("link", name=TITLE).first.click()
    row = page.locator("table.results-students tbody tr", has_text=STUDENT)
    assert "3 / 3" in row.inner_text() and row.locator(".mark-right").count() == 3
    shoot(page, "homework-results")
    row.get_by_role("link", name=STUDENT).click()
    assert page.locator(".review-item-right").count() == 3
    assert page.locator("blockquote mark").count() >= 3
    shoot(page, "homework-student-answers")


def test_a_class_takes_an_assignment_and_the_teacher_reads_the_result(
    server: tuple[str, Flask], browser: Any
) -> None:
    base, app = server
    teacher = tab(browser, base, DESKTOP, TEACHER)
    code = create_class_and_assignment(teacher)
    with app.app_context():
        assignment = db.session.scalars(select(Assignment)).one()
        assert assignment.title == TITLE and len(assignment.question_ids) == 3
        assert assignment.attempts_allowed == 2 and assignment.classroom.code == code.replace("-", "")

    student = tab(browser, base, DESKTOP, STUDENT)  # shoot() adds the phone views
    join_and_find_it_due(student, code)
    with app.app_context():
        assert db.session.scalars(select(Membership.student_id)).one()
    take_it(student, app)
    with app.app_context():
        link = db.session.scalars(select(AssignmentAttempt)).one()
        assert link.attempt.question_ids == assignment.question_ids
        answers = db.session.scalars(select(Answer).where(Answer.attempt_id == link.attempt_id))
        assert [answer.correct for answer in answers] == [True, True, True]

    read_the_results(teacher)
    assert (SCREENSHOTS / "homework-results-desktop.png").exists()
