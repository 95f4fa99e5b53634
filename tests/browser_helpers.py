"""Helpers for the web page tests (Flask test client) and the browser test (Playwright).

The database the tests work on comes from conftest: the built-in sheets imported
once per module (``imported_database``), and each test's own copy (``site``).
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.serving import make_server

from quiz.extensions import db
from quiz.models import Answer, Question
from quiz.services.accounts import users

SHEET_SLUG = "relations-otan-russie"
ALL_TYPES = ("mcq", "true_false", "cloze", "short", "numeric", "order")
OLD_REVISION, LATEST_REVISION = "2022-01", "2022-later"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ROLE_PASSWORD = "correct horse battery"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A date as a French or English sheet writes it: "18 décembre 2021", "avril 2014", "1994".
_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DATE = re.compile(rf"(?:(?:\d{{1,2}}(?:er)? )?(?:{_MONTHS}) )?\b(?:1[89]|20)\d\d\b", re.I)

_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
_QUESTION_ID = re.compile(r'id="question_id" name="question_id" type="hidden" value="(\d+)"')


def csrf_token(page: str) -> str:
    """The CSRF token of the first form of ``page``."""
    match = _CSRF.search(page)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def token_for(client: FlaskClient, url: str = "/login") -> str:
    """A CSRF token valid for ``client``'s session."""
    return csrf_token(client.get(url).get_data(as_text=True))


def question_id_of(page: str) -> int:
    """The id of the question a question page asks."""
    match = _QUESTION_ID.search(page)
    assert match, "no question on the page"
    return int(match.group(1))


def question_row(app: Flask, question_id: int) -> Question:
    """The question's row, detached with its paragraph loaded."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        _ = question.paragraph.text, question.revision.label
        db.session.expunge_all()
        return question


def right_answer_form(question: Question, page: str) -> dict[str, str]:
    """The form fields that answer ``question`` correctly, as its page offers them."""
    if question.type != "order":
        return {"answer": str(question.answer)}
    shown = re.findall(r'name="item-(\d+)" value="([^"]*)"', page)
    fields = {}
    for index, item in shown:
        text = unescape(item)
        fields[f"item-{index}"] = text
        fields[f"position-{index}"] = str(question.answer.index(text) + 1)
    return fields


def wrong_answer_form(question: Question, page: str) -> dict[str, str]:
    """Form fields that answer ``question`` wrongly."""
    if question.type in ("mcq", "true_false"):
        return {"answer": next(choice for choice in question.choices if choice != question.answer)}
    if question.type == "order":
        fields = right_answer_form(question, page)
        count = len(question.answer)
        for key in [k for k in fields if k.startswith("position-")]:
            fields[key] = str(count + 1 - int(fields[key]))
        return fields
    if question.type == "numeric":
        return {"answer": "987654321"}
    return {"answer": "zzzz"}


def date_order_events(app: Flask) -> dict[int, list[str]]:
    """Make sure each event of every order question has its date (the ``date`` key of its
    item source): the generator's, or else one set by hand, the date its sentence states
    as written there.

    Returns the dates per question id, in answer order.
    """
    dated: dict[int, list[str]] = {}
    with app.app_context():
        for question in db.session.scalars(select(Question).filter_by(type="order")):
            sources = []
            for source in question.item_sources:
                evidence = source["evidence"]
                match = _DATE.search(source["paragraph"][evidence["start"] : evidence["end"]])
                assert source.get("date") or match, source
                sources.append({**source, "date": source.get("date") or match.group()})
            question.item_sources = sources
            dated[question.id] = [source["date"] for source in sources]
        db.session.commit()
    return dated


# Page flows -------------------------------------------------------------------


def start_quiz(
    client: FlaskClient,
    count: int = 5,
    revision: str = OLD_REVISION,
    types: tuple[str, ...] = ALL_TYPES,
    tags: tuple[str, ...] = (),
) -> str:
    """Start a quiz through the setup form; return the URL of its question page."""
    data = {
        "csrf_token": token_for(client, "/quiz/new"),
        "sheet": SHEET_SLUG,
        "revision": revision,
        "count": str(count),
        "types": list(types),
        "tags": list(tags),
    }
    response = client.post("/quiz/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def answer_current(
    client: FlaskClient, app: Flask, quiz_url: str, right: bool = True
) -> tuple[int, str]:
    """Answer the current question right (or wrong); return its id and the feedback page."""
    page = client.get(quiz_url).get_data(as_text=True)
    question = question_row(app, question_id_of(page))
    fields = right_answer_form(question, page) if right else wrong_answer_form(question, page)
    data = {"csrf_token": token_for(client, quiz_url), "question_id": str(question.id), **fields}
    response = client.post(quiz_url, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return question.id, client.get(response.headers["Location"]).get_data(as_text=True)


def answer_count(app: Flask) -> int:
    """How many answer rows the database holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer)) or 0


def main_of(page: str) -> str:
    """The page's <main>, without the CSRF token (random text may contain anything)."""
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrf_token"[^>]*>', "", main)


def log_in_with(client: FlaskClient, username: str, password: str = ROLE_PASSWORD) -> None:
    """Log ``client`` in with an existing account."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    data = {"csrf_token": token, "username": username, "password": password}
    assert client.post("/login", data=data).status_code == 302


def log_in_as(client: FlaskClient, app: Flask, role: str, password: str = ROLE_PASSWORD) -> None:
    """Create an account ``<role>-one`` with ``role`` and log ``client`` in with it."""
    username = f"{role}-one"
    with app.app_context():
        users.register(username, password, role=role)
        db.session.commit()
    log_in_with(client, username, password)


def logged_in_client(app: Flask, role: str = "instructor") -> FlaskClient:
    """A new client of ``app`` logged in as a new ``<role>-one`` account, reading English."""
    client = app.test_client()
    log_in_as(client, app, role)
    client.get("/lang/en")
    return client


def url_of(rule: Rule, number: int, text: str) -> str:
    """``rule`` built with ``number`` for each integer variable and ``text`` for the others."""
    values: dict[str, Any] = {
        name: number if isinstance(converter, IntegerConverter) else text
        for name, converter in rule._converters.items()
    }
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]


def bearer(app: Flask, username: str) -> dict[str, str]:
    """The Authorization header of a seeded account (a token issued without HTTP)."""
    with app.app_context():
        user = users.find_user(username)
        assert user is not None
        return {"Authorization": f"Bearer {users.issue_token(user)}"}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_chromium() -> None:
    """Skip the test when Chromium is missing (fail it on CI, which installs Chromium)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 in a thread; yield its base URL."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def served_for_browser(app: Flask) -> Iterator[tuple[str, Flask]]:
    """``app`` on a live server for a browser test: yields (URL, app), then closes its database."""
    with live_server(app) as url:
        yield url, app
    with app.app_context():
        db.engine.dispose()


def shoot(page: Any, name: str) -> None:
    """Full-page screenshots of the current page, on a desktop and on a phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
