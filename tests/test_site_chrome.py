"""The site's frame: its icon, where an instructor lands, and the header on one row.

``/favicon.ico`` was a 404 on every page (browsers ask for it unprompted); an
instructor who logged in landed on the learner's progress page; and at
1280 px the header of an instructor (one more link, a long name) wrapped to
two rows. The header is measured in Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROLE_PASSWORD,
    SCREENSHOTS,
    csrf_token,
    require_chromium,
    served_for_browser,
)
from conftest import make_app, make_empty_app
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import ROLE_INSTRUCTOR, ROLE_STUDENT
from quiz.services.accounts import users

playwright_api = pytest.importorskip("playwright.sync_api")

LAPTOP = {"width": 1280, "height": 800}
# As long a name as the header shows before it cuts it short (10rem).
INSTRUCTOR = "professeure-dupont"


def add_account(app: Flask, username: str, role: str) -> None:
    """An account with the tests' password."""
    with app.app_context():
        users.register(username, ROLE_PASSWORD, role=role)
        db.session.commit()


def log_in(client: FlaskClient, username: str, next_page: str | None = None) -> str:
    """Log in through the form; return where the login sends the browser."""
    url = "/login" + (f"?next={next_page}" if next_page else "")
    data = {"csrf_token": csrf_token(client.get(url).get_data(as_text=True))}
    data |= {"username": username, "password": ROLE_PASSWORD}
    response = client.post(url, data=data)
    assert response.status_code == 302
    return response.headers["Location"]


def test_the_favicon_is_a_real_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert len(response.data) < 10_000
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in page


def test_an_instructor_lands_on_the_review_queue(app: Flask) -> None:
    add_account(app, INSTRUCTOR, ROLE_INSTRUCTOR)
    add_account(app, "apprenante", ROLE_STUDENT)
    instructor, learner = app.test_client(), app.test_client()
    assert log_in(instructor, INSTRUCTOR) == "/author/questions"
    assert instructor.get("/login").headers["Location"] == "/author/questions"
    assert log_in(learner, "apprenante") == "/progress"
    # Where they asked to go still wins.
    assert log_in(app.test_client(), INSTRUCTOR, "/sheets") == "/sheets"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_instructors_header_is_one_row_at_1280(tmp_path: Path, language: str) -> None:
    require_chromium()
    make_empty_app(tmp_path / "quiz.sqlite")
    app = make_app(tmp_path / "quiz.sqlite")
    add_account(app, INSTRUCTOR, ROLE_INSTRUCTOR)
    with served_for_browser(app) as (base, _app), playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=LAPTOP, locale="fr-FR").new_page()
        page.goto(f"{base}/lang/{language}")
        page.goto(f"{base}/login")
        page.fill("#username", INSTRUCTOR)
        page.fill("#password", ROLE_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto(f"{base}/author/questions")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"instructor-header-{language}-1280.png")
        rows = page.evaluate(
            """() => [...document.querySelectorAll('.header-bar > *')].map(e => {
                 const box = e.getBoundingClientRect(); return [box.top, box.bottom]; })"""
        )
        tops = [top for top, _bottom in rows]
        # One row: every part of the header overlaps the brand's height.
        brand_top, brand_bottom = rows[0]
        assert all(top < brand_bottom and bottom > brand_top for top, bottom in rows), tops
        browser.close()
