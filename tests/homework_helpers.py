"""Helpers of the homework page tests: accounts, a class made through the pages, assignments.

The sheet is ``study_data``'s (one question per type, answers known), so the
page tests need no spaCy; the browser test uses the built-in sheets instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from browser_helpers import csrf_token, log_in_with, right_answer_form, wrong_answer_form
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from study_data import make_sheet

from quiz.class_models import Assignment
from quiz.extensions import db
from quiz.models import Answer, Attempt, Question, utcnow
from quiz.services.accounts import users as accounts

PASSWORD = "correct horse battery"
ALL_TYPES = ["mcq", "true_false", "cloze", "short", "numeric", "order"]
FORM_TIME = "%Y-%m-%dT%H:%M"


@dataclass
class Classroom:
    """A class made through the pages, with logged-in clients (English pages)."""

    app: Flask
    teacher: FlaskClient
    alice: FlaskClient
    bob: FlaskClient
    class_id: int
    code: str


def seed_sheet_and_accounts(app: Flask) -> None:
    """The ``otan`` sheet (revisions 2021, 2022), a teacher, another teacher, three students."""
    with app.app_context():
        make_sheet("otan", ("2021", "2022"))
        accounts.register("teacher", PASSWORD, role="instructor")
        accounts.register("other-teacher", PASSWORD, role="instructor")
        for name in ("alice", "bob", "carol"):
            accounts.register(name, PASSWORD)
        db.session.commit()


def client_of(app: Flask, username: str) -> FlaskClient:
    """A new client logged in as ``username``, reading English."""
    client = app.test_client()
    log_in_with(client, username, PASSWORD)
    client.get("/lang/en")
    return client


def token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the page at ``url``."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return csrf_token(response.get_data(as_text=True))


def create_class(teacher: FlaskClient, name: str = "4e B") -> tuple[int, str]:
    """Create a class through the page; its id and its code as shown (``ABCD-EFGH``)."""
    data = {"csrf_token": token(teacher, "/teach/classes"), "name": name}
    response = teacher.post("/teach/classes", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    class_id = int(location.rsplit("/", 1)[1])
    page = teacher.get(location).get_data(as_text=True)
    match = re.search(r'id="class-code">([^<]+)<', page)
    assert match
    return class_id, match.group(1)


def join(student: FlaskClient, code: str) -> Any:
    """Post the join form with ``code``; the response."""
    data = {"csrf_token": token(student, "/classes"), "code": code}
    return student.post("/classes/join", data=data)


def make_classroom(app: Flask) -> Classroom:
    """A teacher's class that alice and bob joined."""
    seed_sheet_and_accounts(app)
    teacher = client_of(app, "teacher")
    class_id, code = create_class(teacher)
    alice, bob = client_of(app, "alice"), client_of(app, "bob")
    for student in (alice, bob):
        assert join(student, code).status_code == 303
    return Classroom(app, teacher, alice, bob, class_id, code)


def form_time(moment: datetime) -> str:
    """A UTC time as the form takes it, in the site's zone (Europe/Paris)."""
    return moment.astimezone(ZoneInfo("Europe/Paris")).strftime(FORM_TIME)


def assignment_form(**changes: Any) -> dict[str, Any]:
    """The fields of an assignment open from an hour ago for a day, drawing six questions."""
    now = utcnow()
    fields: dict[str, Any] = {
        "title": "Devoir 1",
        "mode": "draw",
        "count": "6",
        "types": ALL_TYPES,
        "opens_at": form_time(now - timedelta(hours=1)),
        "closes_at": form_time(now + timedelta(days=1)),
        "attempts_allowed": "1",
    }
    return fields | changes


def new_assignment_url(class_id: int, sheet: str = "otan", revision: str = "2022") -> str:
    """The new-assignment page of the class, on that revision."""
    return f"/teach/classes/{class_id}/assignments/new?sheet={sheet}&revision={revision}"


def post_assignment(room: Classroom, url: str | None = None, **changes: Any) -> Any:
    """Post the new-assignment form (with a valid token); the response."""
    url = url or new_assignment_url(room.class_id)
    data = {"csrf_token": token(room.teacher, url), **assignment_form(**changes)}
    return room.teacher.post(url, data=data)


def create_assignment(room: Classroom, **changes: Any) -> int:
    """Create an assignment through the page; its id."""
    response = post_assignment(room, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)
    with room.app.app_context():
        return int(db.session.scalar(select(func.max(Assignment.id))) or 0)


def start(student: FlaskClient, assignment_id: int) -> Any:
    """Press the start (or resume) button of the assignment; the response."""
    url = f"/assignments/{assignment_id}"
    return student.post(f"{url}/start", data={"csrf_token": token(student, url)})


def answer_page(student: FlaskClient, app: Flask, quiz_url: str, right: bool = True) -> Any:
    """Answer the question the page shows, right or wrong; the response of the POST."""
    page = student.get(quiz_url).get_data(as_text=True)
    match = re.search(r'name="question_id" type="hidden" value="(\d+)"', page)
    assert match, page[:2000]
    question_id = int(match.group(1))
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        fields = form_answer(question, page, right)
    data = {"csrf_token": csrf_token(page), "question_id": str(question_id), **fields}
    return student.post(quiz_url, data=data)


def form_answer(question: Question, page: str, right: bool) -> dict[str, str]:
    """The form fields of a right (or wrong) answer to ``question`` as its page shows it."""
    return right_answer_form(question, page) if right else wrong_answer_form(question, page)


def rows(app: Flask, model: type[Any]) -> int:
    """How many rows ``model``'s table holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def answers_and_attempts(app: Flask) -> tuple[int, int]:
    """(answers, attempts) stored."""
    return rows(app, Answer), rows(app, Attempt)


def move_assignment(app: Flask, assignment_id: int, **times: datetime) -> None:
    """Set the assignment's times in the database (what an instructor's edit does)."""
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment is not None
        for name, value in times.items():
            setattr(assignment, name, value)
        db.session.commit()
