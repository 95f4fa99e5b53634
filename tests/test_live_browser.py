"""A whole live session in Chromium: the instructor's projector and two phones, on the real
server `make run` starts (gunicorn, two gevent workers, SQLite).

The instructor makes a three-question session with the form, the phones join (one by
the join link, one by typing the code), the lobby lists them without a reload, and the
session goes question, reveal, leaderboard, three times, then ends. Zoé answers right,
wrong, right; Malo reloads his page in the middle of the second question (his cookies
gone: the seat is in localStorage), finds the score he had, answers, then plays the
third question on a laptop with the link his phone offers, and ends with every answer
right. Nobody presses "show the
answer": the projector reveals by itself once every phone has answered. Afterwards the
results page ranks them. The Content-Security-Policy blocks nothing. Screenshots: tests/screenshots/live-*.png (the projector's
lobby, question and reveal, a phone's question and reveal, the results).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    OLD_REVISION,
    PHONE,
    SCREENSHOTS,
    free_port,
)
from browser_helpers import require_chromium as chromium_needed
from conftest import copy_database, database_url, make_app, make_imported_database
from flask import Flask
from server_helpers import server_environment, start_gunicorn, stop_server, wait_until_serving

from quiz.extensions import db
from quiz.live_models import LiveSession
from quiz.models import ROLE_INSTRUCTOR, Question
from quiz.services.accounts import users as accounts

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "relations-otan-russie"
PASSWORD = "correct horse"
TIMEOUT_MS = 30_000  # two shared cores, three browsers and gunicorn


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets and an instructor."""
    return make_imported_database(
        tmp_path_factory, seed=lambda: accounts.register("teacher", PASSWORD, role=ROLE_INSTRUCTOR)
    )


@dataclass(frozen=True)
class Served:
    """The running server's address, and an app on its database (to read the answers)."""

    url: str
    reader: Flask


@pytest.fixture
def served(seeded_database: Path, tmp_path: Path) -> Iterator[Served]:
    """gunicorn as `make run` starts it, on a copy of the seeded database."""
    chromium_needed()
    database = copy_database(seeded_database, tmp_path / "quiz.sqlite")
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = server_environment(database_url(database), tmp_path / "instance")
    process = start_gunicorn(port, env, log)
    reader = make_app(database)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/api/v1/openapi.json", process, log)
        yield Served(f"http://127.0.0.1:{port}", reader)
    finally:
        stop_server(process)
        with reader.app_context():
            db.engine.dispose()
    assert "Traceback" not in log.read_text(), log.read_text()


def current_answer(reader: Flask, code: str) -> tuple[str, str]:
    """The asked question's right answer, and a wrong choice of it (from the database)."""
    with reader.app_context():
        session = db.session.query(LiveSession).filter_by(code=code).one()
        question = db.session.get(Question, session.current_question_id)
        assert question is not None and question.type in ("mcq", "true_false")
        wrong = next(choice for choice in question.choices if choice != question.answer)
        return str(question.answer), str(wrong)


def answer(phone: Any, choice: str) -> None:
    """Pick ``choice`` on the phone, send it, and wait for the receipt."""
    phone.locator("form.answer-form").wait_for()
    phone.get_by_label(choice, exact=True).check()
    phone.locator("form.answer-form button[type=submit]").click()
    phone.locator(".play-message-ok").wait_for()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot of ``page`` in tests/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"live-{name}.png", full_page=True)


def press(projector: Any, action: str) -> None:
    """Click one of the projector's buttons and wait for the page it leads to. The
    projector's script may reload the page on an event at that moment, which aborts the
    wait for this navigation (not the control, which the server has taken or refused): the
    callers then check the phase the projector shows."""
    try:
        with projector.expect_navigation():
            projector.locator(f'button[data-action="{action}"]').click()
    except playwright_api.Error as error:
        if "ERR_ABORTED" not in str(error):
            raise
    projector.wait_for_load_state()


def wait_phase(page: Any, phase: str) -> None:
    """Wait until the projector page shows ``phase``."""
    page.locator(f"#live-projector.projector-{phase}").wait_for()


def make_session(projector: Any, url: str) -> str:
    """Log in, fill in the form (3 questions, choices only), open the lobby; the join code."""
    projector.goto(f"{url}/login")
    projector.fill("#username", "teacher")
    projector.fill("#password", PASSWORD)
    projector.keyboard.press("Enter")
    projector.wait_for_url(lambda address: "/login" not in address)
    projector.goto(f"{url}/teach/live/new?sheet={SLUG}")
    projector.locator(f'input[name="revision"][value="{OLD_REVISION}"]').check()
    projector.fill("#count", "3")
    projector.fill("#seconds", "60")
    for kind in ("cloze", "short", "numeric", "order"):
        projector.locator(f'input[name="types"][value="{kind}"]').uncheck()
    projector.locator('button[type="submit"].button-primary').click()
    wait_phase(projector, "lobby")
    return str(projector.locator("#join-code").inner_text()).replace("-", "")


def test_a_whole_session_with_a_projector_and_two_phones(served: Served) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [
            browser.new_context(viewport=size, locale="fr-FR")
            for size in (DESKTOP, PHONE, PHONE, DESKTOP)
        ]
        for context in contexts:
            context.set_default_timeout(TIMEOUT_MS)
        projector, zoe, malo, laptop = (context.new_page() for context in contexts)
        refused: list[str] = []  # what the Content-Security-Policy blocked, on any page
        for page in (projector, zoe, malo, laptop):
            page.on(
                "console",
                lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text
                else None,
            )
        play_session(served, projector, (zoe, malo, laptop))
        browser.close()
    assert refused == []


def play_session(served: Served, projector: Any, players: tuple[Any, Any, Any]) -> None:
    """The session from the form to the results (see the module's docstring)."""
    url, reader = served.url, served.reader
    zoe, malo, laptop = players
    code = make_session(projector, url)
    zoe.goto(f"{url}/live/{code}")  # the QR code's link: the code is filled in
    zoe.fill("#nickname", "Zoé")
    zoe.locator("#join-form button[type=submit]").click()
    malo.goto(f"{url}/live")
    malo.fill("#code", f"{code[:4].lower()} {code[4:].lower()}")
    malo.fill("#nickname", "Malo")
    malo.locator("#join-form button[type=submit]").click()
    for phone in (zoe, malo):
        phone.wait_for_url(f"**/live/{code}/play")
        phone.locator(".play-stage h2").wait_for()
    # The lobby lists both, without a reload, each with its button to remove it.
    projector.locator(".player-list .player").nth(1).wait_for()
    assert projector.locator(".player-list .player-name:not(.visually-hidden)").all_inner_texts() == ["Zoé", "Malo"]
    shot(projector, "projector-lobby")

    press(projector, "start")
    right, wrong = current_answer(reader, code)
    answer(zoe, right)
    answer(malo, right)
    wait_phase(projector, "reveal")  # everyone answered: the projector revealed by itself
    zoe.locator(".verdict-right").wait_for()
    assert "1000" in zoe.locator('[data-live="standing"]').inner_text()

    press(projector, "next")  # the leaderboard
    press(projector, "next")  # the second question
    wait_phase(projector, "question")
    right, wrong = current_answer(reader, code)
    malo.locator("form.answer-form").wait_for()
    shot(malo, "phone-question")
    # Mid-question, the page reloads with no cookie left: the seat kept in localStorage
    # finds the same participant and score.
    malo.context.clear_cookies()
    malo.reload()
    malo.locator("form.answer-form").wait_for()
    assert "1000" in malo.locator('[data-live="standing"]').inner_text()
    assert "Malo" in malo.locator('[data-live="me"]').inner_text()
    answer(zoe, wrong)
    shot(projector, "projector-question")
    answer(malo, right)
    wait_phase(projector, "reveal")
    malo.locator(".verdict-right").wait_for()
    zoe.locator(".verdict-wrong").wait_for()
    assert zoe.locator(".live-source mark").count() == 1  # the evidence, in its paragraph
    shot(projector, "projector-reveal")
    shot(zoe, "phone-reveal")

    press(projector, "next")
    press(projector, "next")
    wait_phase(projector, "question")
    press(projector, "pause")
    zoe.locator(".play-paused").wait_for()  # the phone hears of it
    press(projector, "resume")
    right, _wrong = current_answer(reader, code)
    answer(zoe, right)
    # Malo goes on on a laptop, with the link his phone offers: the same seat.
    link = malo.locator('[data-live="other-device-link"]').input_value()
    laptop.goto(link)
    laptop.locator("form.answer-form").wait_for()
    assert "2000" in laptop.locator('[data-live="standing"]').inner_text()
    answer(laptop, right)
    wait_phase(projector, "reveal")
    press(projector, "next")
    press(projector, "next")  # "finish": the end
    wait_phase(projector, "ended")
    for phone, score in ((zoe, "2000"), (malo, "3000"), (laptop, "3000")):
        phone.locator(".play-ranks").wait_for()
        assert score in phone.locator(".play-points").inner_text()

    projector.locator('a[href$="/results"]').click()
    projector.locator("#per-student").wait_for()
    rows = projector.locator("#per-student tbody tr").all_inner_texts()
    assert rows[0].split("\t")[:3] == ["1", "Malo", "3000"], rows
    assert rows[1].split("\t")[:3] == ["2", "Zoé", "2000"], rows
    shot(projector, "results")
