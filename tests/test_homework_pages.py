"""Homework pages: classes and codes, who may see what, the assignment form and bad input.

Through the Flask test client with CSRF on, on a real database; the sheet is
``study_data``'s. Deadlines, attempts, results and exports: test_homework_flow.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from browser_helpers import csrf_token
from conftest import Snapshot
from flask import Flask
from flask.testing import FlaskClient
from homework_helpers import (
    Classroom,
    client_of,
    create_assignment,
    create_class,
    join,
    make_classroom,
    new_assignment_url,
    post_assignment,
    rows,
    seed_sheet_and_accounts,
    start,
    token,
)
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, Rule

from quiz.class_models import Assignment, Membership
from quiz.extensions import db
from quiz.models import Attempt, Question

# Values for URL variables that name nothing in the database.
MISSING_ID, MISSING_TEXT = 987_654, "nothing-here"


@pytest.fixture
def room(app: Flask) -> Classroom:
    """A teacher's class that alice and bob joined (carol did not)."""
    return make_classroom(app)


# Classes and codes -----------------------------------------------------------------


def test_a_teacher_creates_a_class_and_students_join_it_by_code(app: Flask) -> None:
    seed_sheet_and_accounts(app)
    teacher = client_of(app, "teacher")
    class_id, code = create_class(teacher, "Seconde 3")
    assert len(code) == 9 and code[4] == "-"
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert f"/classes?code={code.replace('-', '')}" in page  # the join link
    alice = client_of(app, "alice")
    prefilled = alice.get(f"/classes?code={code.replace('-', '')}").get_data(as_text=True)
    assert f'value="{code.replace("-", "")}"' in prefilled
    typed = code.lower().replace("-", " ")  # as a student types it
    response = join(alice, typed)
    assert response.status_code == 303
    assert "Seconde 3" in alice.get("/classes").get_data(as_text=True)
    assert join(alice, code).status_code == 303  # twice is once
    assert rows(app, Membership) == 1
    roster = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Remove alice" in roster
    listing = teacher.get("/teach/classes").get_data(as_text=True)
    assert "Seconde 3" in listing and code in listing


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("ABCD-EFGH", 404, "No class has this code"),
        ("ABC", 400, "A class code has 8 letters or digits"),
        ("x" * 41, 400, "A class code has 8 letters or digits"),
        ("", 400, "Type the code your teacher gave you"),
    ],
)
def test_a_wrong_code_is_refused_clearly(
    room: Classroom, app: Flask, code: str, status: int, message: str
) -> None:
    carol = client_of(app, "carol")
    before = rows(app, Membership)
    response = join(carol, code)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert rows(app, Membership) == before


def test_a_teacher_cannot_join_a_class(room: Classroom, app: Flask) -> None:
    other = client_of(app, "other-teacher")
    data = {"csrf_token": token(other, "/classes"), "code": room.code}
    response = other.post("/classes/join", data=data)
    assert response.status_code == 400
    assert "Only student accounts join a class" in response.get_data(as_text=True)


def test_guessing_class_codes_is_rate_limited(room: Classroom, app: Flask) -> None:
    carol = client_of(app, "carol")
    statuses = [join(carol, f"ABCD-EFG{digit}").status_code for digit in "2345678923"]
    assert statuses == [404] * 10
    assert join(carol, room.code).status_code == 429  # even the right code, for a minute


def test_a_teacher_removes_a_student_who_then_sees_nothing(room: Classroom, app: Flask) -> None:
    assignment_id = create_assignment(room)
    with app.app_context():
        alice_id = db.session.scalar(select(Membership.student_id).order_by(Membership.joined_at))
    url = f"/teach/classes/{room.class_id}/students/{alice_id}/remove"
    response = room.teacher.post(url, data={"csrf_token": token(room.teacher, "/teach/classes")})
    assert response.status_code == 303
    assert "Remove alice" not in room.teacher.get(f"/teach/classes/{room.class_id}").get_data(as_text=True)
    assert room.alice.get(f"/assignments/{assignment_id}").status_code == 404
    assert room.bob.get(f"/assignments/{assignment_id}").status_code == 200
    again = room.teacher.post(url, data={"csrf_token": token(room.teacher, "/teach/classes")})
    assert again.status_code == 404  # not on the roster any more


# Who may see what -----------------------------------------------------------------------


def teach_rules(app: Flask) -> list[Rule]:
    """Every instructor route of the homework blueprint."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/teach/")]
    assert {rule.endpoint for rule in rules} >= {
        "homework.teach_classes",
        "homework.teach_results",
        "homework.teach_grades_xlsx",
        "homework.teach_share_quiz",
    }
    return rules


def url_for_rule(rule: Rule, number: int) -> str:
    """``rule`` with ``number`` for every id."""
    values = {
        name: number if isinstance(converter, IntegerConverter) else MISSING_TEXT
        for name, converter in rule._converters.items()
    }
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]


def requests_to(client: FlaskClient, rule: Rule, number: int) -> Iterator[tuple[str, int]]:
    """Every method of ``rule`` with ids ``number``: (request, status)."""
    url = url_for_rule(rule, number)
    for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
        data = {"csrf_token": csrf_token(client.get("/quiz/new").get_data(as_text=True))}
        response = client.open(url, method=method, data=data if method != "GET" else None)
        yield f"{method} {url}", response.status_code


@pytest.mark.parametrize(("who", "expected"), [(None, 302), ("alice", 403)])
def test_only_teachers_reach_the_teaching_pages(
    room: Classroom, app: Flask, who: str | None, expected: int
) -> None:
    """On real ids (the room's class and assignment), every route and method."""
    create_assignment(room)
    client = app.test_client() if who is None else room.alice
    wrong = [
        f"{request} -> {status}"
        for rule in teach_rules(app)
        for request, status in requests_to(client, rule, 1)
        if status != expected
    ]
    assert wrong == []


def test_another_teachers_class_is_not_found(room: Classroom, app: Flask) -> None:
    create_assignment(room)
    other = client_of(app, "other-teacher")
    wrong = [
        f"{request} -> {status}"
        for rule in teach_rules(app)
        if rule.arguments
        for request, status in requests_to(other, rule, 1)
        if status != 404
    ]
    assert wrong == []


def test_a_student_sees_only_their_classes_assignments(room: Classroom, app: Flask) -> None:
    assignment_id = create_assignment(room)
    carol = client_of(app, "carol")
    assert carol.get(f"/assignments/{assignment_id}").status_code == 404
    assert start(room.alice, assignment_id).status_code == 303
    url = f"/assignments/{assignment_id}/start"
    refused = carol.post(url, data={"csrf_token": token(carol, "/classes")})
    assert refused.status_code == 404
    with app.app_context():
        alice_attempt = db.session.scalar(select(Attempt.id))
    # Nor another student's attempt, nor the class's results.
    assert carol.get(f"/quiz/{alice_attempt}").status_code == 404
    assert room.bob.get(f"/quiz/{alice_attempt}/summary").status_code == 404
    assert room.bob.get(f"/teach/assignments/{assignment_id}").status_code == 403
    assert "Devoir 1" not in carol.get("/").get_data(as_text=True)


# The assignment form --------------------------------------------------------------------


def test_a_hand_picked_assignment_keeps_the_order_it_was_sent_in(room: Classroom, app: Flask) -> None:
    with app.app_context():
        revision_questions = [
            q.id
            for q in db.session.scalars(select(Question).order_by(Question.id))
            if q.revision.label == "2021"
        ]
    picked = [str(revision_questions[4]), str(revision_questions[1])]
    url = new_assignment_url(room.class_id, revision="2021")
    response = post_assignment(room, url=url, mode="pick", picked=picked, count="")
    assert response.status_code == 303
    with app.app_context():
        assignment = db.session.scalars(select(Assignment)).one()
        assert assignment.question_ids == [int(p) for p in picked]  # as sent
        assert assignment.revision.label == "2021" and assignment.selection == {"picked": True}


def test_editing_changes_the_schedule_and_keeps_questions_once_started(
    room: Classroom, app: Flask
) -> None:
    assignment_id = create_assignment(room, count="3")
    url = f"/teach/assignments/{assignment_id}/edit"
    form = room.teacher.get(url).get_data(as_text=True)
    assert 'value="Devoir 1"' in form and 'name="picked"' in form
    start(room.alice, assignment_id)
    locked = room.teacher.get(url).get_data(as_text=True)
    assert 'name="picked"' not in locked and "no longer change" in locked
    data = {
        "csrf_token": csrf_token(locked),
        "title": "Devoir 1 bis",
        "opens_at": "2020-01-01T08:00",
        "closes_at": "2040-01-01T08:00",
        "attempts_allowed": "3",
        "time_limit_minutes": "30",
        "mode": "draw",
        "count": "1",
        "types": ["mcq"],
    }
    assert room.teacher.post(url, data=data).status_code == 303
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment is not None
        assert (assignment.title, assignment.attempts_allowed) == ("Devoir 1 bis", 3)
        assert assignment.time_limit_minutes == 30 and len(assignment.question_ids) == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"types": ["mcq", "evil"]},
        {"tags": ["nothing-like-it"]},
        {"mode": "guess"},
        {"mode": "pick", "picked": ["987654"]},
        {"mode": "pick", "picked": ["abc"]},
        {"mode": "pick", "picked": [str(2**63)]},
    ],
    ids=["type", "topic", "mode", "unknown question", "not a number", "huge id"],
)
def test_a_tampered_assignment_form_is_a_400_and_writes_nothing(
    room: Classroom,
    app: Flask,
    snapshot: Callable[[Flask], Snapshot],
    changes: dict[str, object],
) -> None:
    before = snapshot(app)
    assert post_assignment(room, **changes).status_code == 400
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": str(10**30)}, "Between 1 and 100 questions."),
        ({"count": "-3"}, "Between 1 and 100 questions."),
        ({"attempts_allowed": str(10**12)}, "Between 1 and 20."),
        ({"time_limit_minutes": "0"}, "Between 1 and 10080."),
        ({"closes_at": "2001-01-01T00:00"}, "The assignment must close after it opens."),
        ({"opens_at": "yesterday"}, "Not a valid datetime value."),
        ({"title": "x" * 201}, "At most 200 characters."),
        ({"types": []}, "Choose at least one type of question."),
        ({"mode": "pick"}, "Tick at least one question."),
    ],
)
def test_bad_numbers_and_times_are_form_errors(
    room: Classroom,
    app: Flask,
    snapshot: Callable[[Flask], Snapshot],
    changes: dict[str, object],
    message: str,
) -> None:
    before = snapshot(app)
    response = post_assignment(room, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "url",
    [
        "/teach/classes/{class_id}/assignments/new?sheet=nothing-here",
        "/teach/classes/{class_id}/assignments/new?sheet=otan&revision=1999",
        "/teach/classes/987654/assignments/new",
        "/teach/assignments/987654/edit",
        "/teach/assignments/987654/grades.csv",
        "/teach/assignments/1/students/987654",
    ],
)
def test_unknown_ids_are_404(room: Classroom, url: str) -> None:
    create_assignment(room)
    assert room.teacher.get(url.format(class_id=room.class_id)).status_code == 404


def test_a_post_without_its_token_is_a_400(room: Classroom, app: Flask) -> None:
    assignment_id = create_assignment(room)
    assert room.alice.post(f"/assignments/{assignment_id}/start", data={}).status_code == 400
    assert room.alice.post("/classes/join", data={"code": room.code}).status_code == 400
    assert room.teacher.post("/teach/classes", data={"name": "x"}).status_code == 400
    assert rows(app, Membership) == 2
