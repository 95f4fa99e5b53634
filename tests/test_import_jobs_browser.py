"""A long sheet imported in the background while a learner takes quizzes, in Chromium.

A real ``quiz worker`` (embedded SQLite queue) imports a 1 MB sheet uploaded
through the form; meanwhile a learner, in a second browser context, starts
quizzes and answers them. The instructor's progress bar must move without a
reload, every learner page must answer in under a second, and the sheet's
questions must appear once the job ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from big_sheet import write_long_sheet
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROLE_PASSWORD,
    SHEET_SLUG,
    log_in_as,
    require_chromium,
    served_for_browser,
    shoot,
)
from conftest import copy_database, make_app
from flask import Flask
from worker_helpers import HEARTBEAT_SECONDS, running_worker, write_instance_config

from quiz.extensions import db
from quiz.services.library.sheet_pages import find_revision

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHEET_BYTES = 1_000_000
# Generation of a 1 MB sheet takes minutes on a busy two-core machine.
JOB_DEADLINE_S = 1500.0
LEARNER_PAGE_LIMIT_S = 1.0
SLOW_PAGE_S = 0.5


@pytest.fixture
def served(imported_database: Path, tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """The built-in sheets, an instructor and a learner, a live server and a real worker."""
    require_chromium()
    instance = tmp_path / "instance"
    write_instance_config(instance, QUEUE_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS)
    database = copy_database(imported_database, tmp_path / "quiz.sqlite")
    app = make_app(
        database,
        QUEUE_IMMEDIATE=False,
        QUEUE_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS,
        # The learner starts a quiz after another for minutes: not what the limits are about.
        QUIZ_START_RATE_LIMIT="1000/minute",
        QUIZ_START_ADDRESS_RATE_LIMIT="1000/minute",
    )
    for role in ("instructor", "student"):
        log_in_as(app.test_client(), app, role)
    log = tmp_path / "worker.log"
    with running_worker(instance, database, log):
        with served_for_browser(app) as url_and_app:
            yield url_and_app
    print("".join(line for line in log.read_text().splitlines(True) if "written in" in line))


def logged_in_page(browser: Any, base: str, username: str) -> Any:
    """A page of a new browser context, logged in as ``username``, reading English."""
    context = browser.new_context(viewport=DESKTOP, base_url=base)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", ROLE_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto("/lang/en")
    return page


def timed(page: Any, action: Any) -> float:
    """Seconds from ``action`` (a click that navigates) to the new page's load."""
    started = time.monotonic()
    with page.expect_navigation(wait_until="load"):
        action()
    elapsed = time.monotonic() - started
    if elapsed > SLOW_PAGE_S:  # for the record: which page, and when
        print(f"slow page: {elapsed:.3f} s at {time.strftime('%H:%M:%S')} {page.url}")
    return elapsed


def take_a_short_quiz(page: Any) -> list[float]:
    """Start a quiz of choice questions on the built-in sheet and answer it; page times."""
    times = [timed(page, lambda: page.goto(f"/quiz/new?sheet={SHEET_SLUG}"))]
    page.fill("#count", "3")
    for box in page.locator("input[name=types]").all():
        box.set_checked(box.get_attribute("value") in ("mcq", "true_false"))
    times.append(timed(page, lambda: page.click("form.setup-form button[type=submit]")))
    while "/summary" not in page.url:
        choices = page.locator("input[type=radio][name=answer]")
        if choices.count():
            choices.first.check()
        else:
            page.fill("#answer", "1914")
        times.append(timed(page, lambda: page.click("form.answer-form button[type=submit]")))
        times.append(timed(page, lambda: page.click("#continue")))
    return times


def progress_of(page: Any) -> tuple[int, int] | None:
    """(value, max) of the job's progress bar, or None once the page has moved on."""
    if "/author/jobs/" not in page.url:
        return None
    bar = page.locator("progress.import-progress")
    if not bar.count():
        return None
    return int(float(bar.get_attribute("value") or 0)), int(float(bar.get_attribute("max") or 1))


def test_a_long_sheet_imports_while_a_learner_takes_quizzes(
    served: tuple[str, Flask], tmp_path: Path
) -> None:
    base, app = served
    sheet = write_long_sheet(tmp_path / "longue-fiche.md", SHEET_BYTES)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        author = logged_in_page(browser, base, "instructor-one")
        learner = logged_in_page(browser, base, "student-one")
        author.goto("/author/upload")
        author.set_input_files("input[name=file]", sheet)
        author.fill("input[name=slug]", "longue-fiche")
        author.fill("input[name=revision]", "1")
        started = time.monotonic()
        upload_time = timed(author, lambda: author.click("form.upload-form button[type=submit]"))
        assert "/author/jobs/" in author.url
        assert upload_time < 5  # the page answers at once; the worker does the work
        seen, learner_times = [], []
        deadline = time.monotonic() + JOB_DEADLINE_S
        while (shown := progress_of(author)) is not None and time.monotonic() < deadline:
            seen.append(shown)
            if len(seen) == 20:
                shoot(author, "import-progress")
            learner_times += take_a_short_quiz(learner)
        author.wait_for_url("**/author/sheets/longue-fiche/revisions/1", timeout=60_000)
        assert author.locator(".flash-success").inner_text() == "Revision 1 imported."
        feeds = author.locator(".feeds-count a").count()
        browser.close()
    print(  # the figures, for the record (pytest -s)
        f"job {time.monotonic() - started:.0f} s, {len(seen)} progress readings,"
        f" {len(learner_times)} learner pages, slowest {max(learner_times):.3f} s"
    )
    values = sorted({value for value, _ in seen})
    assert len(values) >= 3, seen  # the bar moved, without a reload
    assert seen[-1][1] > 1000  # paragraphs of the 1 MB sheet
    assert learner_times and max(learner_times) < LEARNER_PAGE_LIMIT_S, sorted(learner_times)[-5:]
    assert feeds > 0  # paragraphs feeding questions, shown on the revision's page
    with app.app_context():
        revision = find_revision("longue-fiche", "1")
        assert len(revision.questions) > 0
        db.engine.dispose()
