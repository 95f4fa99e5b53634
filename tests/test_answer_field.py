"""A typed-answer field is tied to its question for screen readers.

Its label says "Your answer"; its description must carry the question itself
(then the hint and the error, when there are some), not the hint alone.
Checked in the HTML and, in Chromium, in the accessible description a screen
reader announces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    OLD_REVISION,
    require_chromium,
    served_for_browser,
    start_quiz,
    token_for,
)
from conftest import build_imported_database, make_app
from flask import Flask
from flask.testing import FlaskClient

playwright_api = pytest.importorskip("playwright.sync_api")


def described_by(page: str) -> list[str]:
    """The ids the answer field's ``aria-describedby`` names, in order."""
    field = re.search(r'<input type="text" id="answer"[^>]*>', page, re.S)
    assert field, "no typed-answer field"
    names = re.search(r'aria-describedby="([^"]*)"', field.group())
    return names.group(1).split() if names else []


def typed_question_page(client: FlaskClient, kind: str) -> str:
    """The first question page of a one-question quiz of type ``kind``."""
    return client.get(start_quiz(client, count=1, revision=OLD_REVISION, types=(kind,))).get_data(
        as_text=True
    )


@pytest.mark.parametrize(("kind", "hint"), [("cloze", False), ("short", False), ("numeric", True)])
def test_the_field_is_described_by_its_question(site: Flask, kind: str, hint: bool) -> None:
    page = typed_question_page(site.test_client(), kind)
    ids = described_by(page)
    assert ids == (["prompt", "answer-hint"] if hint else ["prompt"])
    for name in ids:
        assert f'id="{name}"' in page


def test_an_empty_answer_adds_the_error_after_the_question(site: Flask) -> None:
    client = site.test_client()
    url = start_quiz(client, count=1, revision=OLD_REVISION, types=("numeric",))
    page = client.get(url).get_data(as_text=True)
    question_id = re.search(r'name="question_id" type="hidden" value="(\d+)"', page).group(1)
    data = {"csrf_token": token_for(client, url), "question_id": question_id, "answer": ""}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert described_by(response.get_data(as_text=True)) == ["prompt", "answer-hint", "answer-error"]


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_announces_the_question_with_the_field(tmp_path: Path) -> None:
    require_chromium()
    app = make_app(build_imported_database(tmp_path / "quiz.sqlite"))
    with served_for_browser(app) as (base, _app), playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
        page.goto(f"{base}/quiz/new")
        page.check(f"input[name=revision][value='{OLD_REVISION}']")
        for kind in ("mcq", "true_false", "short", "numeric", "order"):
            page.uncheck(f"input[name=types][value={kind}]")
        page.fill("#count", "1")
        page.click("form.setup-form button[type=submit]")
        page.wait_for_selector("#answer")
        prompt = " ".join(page.locator("#prompt").inner_text().split())
        answer = page.locator("#answer")
        playwright_api.expect(answer).to_have_accessible_name("Votre réponse")
        playwright_api.expect(answer).to_have_accessible_description(prompt)
        browser.close()
