"""The review queue opens on drafts, and flags approved questions that fail a check.

On conftest's ``site`` (the built-in sheets imported, every question approved,
a real SQLite file, CSRF on) through the Flask test client.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

import pytest
from browser_helpers import csrf_token, logged_in_client
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Question

QUEUE = "/author/questions"


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    return logged_in_client(site)


def listed(page: str) -> list[int]:
    """The question ids a queue page lists."""
    return [int(i) for i in re.findall(r'name="question_ids" value="(\d+)"', page)]


def cloze_ids(site: Flask, count: int) -> list[int]:
    """The first ``count`` cloze questions, by id."""
    with site.app_context():
        query = select(Question.id).where(Question.type == "cloze").order_by(Question.id)
        return list(db.session.scalars(query.limit(count)))


def queue_items(page: str) -> dict[str, str]:
    """Each listed question's HTML, by id (up to the next question)."""
    parts = page.split('<li class="queue-item')[1:]
    return {re.search(r'id="question-(\d+)"', part)[1]: part for part in parts}


def set_rows(site: Flask, ids: list[int], **values: object) -> None:
    with site.app_context():
        db.session.execute(update(Question).where(Question.id.in_(ids)).values(**values))
        db.session.commit()


def test_the_queue_opens_on_drafts(site: Flask, instructor: FlaskClient) -> None:
    [draft] = cloze_ids(site, 1)
    set_rows(site, [draft], status=STATUS_DRAFT)

    page = instructor.get(QUEUE).get_data(as_text=True)

    assert listed(page) == [draft]
    assert re.search(r'<option selected value="draft">Draft</option>', page), "filter shows it"
    assert "a draft that fails a check cannot be approved" in page


def test_any_status_stays_chosen_across_pages_and_bulk_actions(
    site: Flask, instructor: FlaskClient
) -> None:
    page = instructor.get(f"{QUEUE}?status=").get_data(as_text=True)
    assert len(listed(page)) == 20  # approved ones too
    next_page = re.search(r'rel="next" href="/author/questions\?([^"]*)"', page)
    assert next_page is not None
    assert parse_qs(html.unescape(next_page[1]), keep_blank_values=True) == {
        "page": ["2"],
        "status": [""],
    }
    [first] = listed(page)[:1]
    response = instructor.post(
        f"{QUEUE}?status=",
        data={"csrf_token": csrf_token(page), "question_ids": [first], "action": "reject"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{QUEUE}?status="


def test_an_approved_question_failing_a_check_needs_attention(
    site: Flask, instructor: FlaskClient
) -> None:
    failing, passing = cloze_ids(site, 2)
    # What a check added after approval finds on an old row: here, two blanks.
    with site.app_context():
        prompt = db.session.get(Question, failing).prompt
    set_rows(site, [failing], prompt=prompt + " _____ ?")

    page = instructor.get(f"{QUEUE}?status={STATUS_APPROVED}").get_data(as_text=True)

    items = queue_items(page)
    assert "needs attention" in items[str(failing)]
    assert "learners still get it" in items[str(failing)]
    assert "badge-ok" not in items[str(failing)]
    assert "needs attention" not in items[str(passing)]
    assert "badge-ok" in items[str(passing)]
