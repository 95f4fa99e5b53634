"""Taking an assignment through the pages: the server's clock, attempts, results, exports.

The study pages (``/quiz/<id>``) take an assignment's answers; past the closing
time or the time limit they refuse with a 409 page and store nothing. Also the
API's answer path, the home page's homework, the grade sheets (read back with
the csv module and openpyxl) and the shared quiz link.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from browser_helpers import bearer, csrf_token
from conftest import Snapshot
from flask import Flask
from homework_helpers import (
    PASSWORD,
    Classroom,
    answer_page,
    answers_and_attempts,
    client_of,
    create_assignment,
    form_time,
    join,
    make_classroom,
    move_assignment,
    start,
    token,
)
from openpyxl import load_workbook
from sqlalchemy import select

from quiz.class_models import AssignmentAttempt
from quiz.extensions import db
from quiz.models import Attempt, Question, utcnow
from quiz.services.accounts import users as accounts


@pytest.fixture
def room(app: Flask) -> Classroom:
    """A teacher's class that alice and bob joined."""
    return make_classroom(app)


def started(room: Classroom, assignment_id: int) -> str:
    """Alice starts the assignment; the URL of her attempt's question page."""
    response = start(room.alice, assignment_id)
    assert response.status_code == 303, response.get_data(as_text=True)
    return str(response.headers["Location"])


# The server's clock ------------------------------------------------------------------


def test_the_question_pages_show_the_assignment_and_its_deadline(room: Classroom) -> None:
    quiz_url = started(room, create_assignment(room))
    page = room.alice.get(quiz_url).get_data(as_text=True)
    assert 'id="assignment-banner"' in page and "Devoir 1" in page and "Due " in page
    feedback = room.alice.get(answer_page(room.alice, room.app, quiz_url).headers["Location"])
    text = feedback.get_data(as_text=True)
    assert 'id="assignment-banner"' in text and "<blockquote" in text  # the source, as ever


def test_an_answer_after_the_closing_is_refused_with_nothing_written(
    room: Classroom, app: Flask, snapshot: Callable[[Flask], Snapshot]
) -> None:
    assignment_id = create_assignment(room)
    quiz_url = started(room, assignment_id)
    assert answer_page(room.alice, app, quiz_url).status_code == 303
    now = utcnow()
    move_assignment(app, assignment_id, opens_at=now - timedelta(hours=2), closes_at=now - timedelta(minutes=1))
    before = snapshot(app)
    response = answer_page(room.alice, app, quiz_url)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your answer was not recorded" in page and "This assignment closed on" in page
    assert "The answers you gave before still count." in page
    assert snapshot(app) == before
    banner = room.alice.get(quiz_url).get_data(as_text=True)
    assert "Closed: answers are no longer recorded." in banner
    refused = start(room.alice, assignment_id)  # nor does a new attempt start
    assert refused.status_code == 409 and snapshot(app) == before


def test_before_the_opening_nothing_starts(room: Classroom, app: Flask) -> None:
    later = utcnow() + timedelta(days=2)
    assignment_id = create_assignment(
        room, opens_at=form_time(later), closes_at=form_time(later + timedelta(days=1))
    )
    page = room.alice.get(f"/assignments/{assignment_id}").get_data(as_text=True)
    assert "Start the assignment" not in page and "Opens" in page
    response = start(room.alice, assignment_id)
    assert response.status_code == 409
    assert "This assignment opens on" in response.get_data(as_text=True)
    assert answers_and_attempts(app) == (0, 0)


def test_an_attempt_past_its_time_limit_takes_no_answer(room: Classroom, app: Flask) -> None:
    assignment_id = create_assignment(room, time_limit_minutes="20")
    quiz_url = started(room, assignment_id)
    assert answer_page(room.alice, app, quiz_url).status_code == 303
    with app.app_context():
        attempt = db.session.scalars(select(Attempt)).one()
        attempt.created_at = utcnow() - timedelta(minutes=21)  # started 21 minutes ago
        db.session.commit()
    response = answer_page(room.alice, app, quiz_url)
    assert response.status_code == 409
    assert "The time for this attempt ran out" in response.get_data(as_text=True)
    assert answers_and_attempts(app) == (1, 1)


def test_the_api_refuses_a_late_answer_too(room: Classroom, app: Flask) -> None:
    assignment_id = create_assignment(room)
    quiz_url = started(room, assignment_id)
    attempt_id = int(quiz_url.rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        question = db.session.get(Question, attempt.question_ids[0])
        assert question is not None
        body = {"question_id": question.id, "answer": question.answer}
    url = f"/api/v1/attempts/{attempt_id}/answers"
    now = utcnow()
    move_assignment(app, assignment_id, opens_at=now - timedelta(hours=2), closes_at=now - timedelta(minutes=1))
    response = app.test_client().post(url, json=body, headers=bearer(app, "alice"))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == 409
    assert "fermé" in response.get_json()["error"]["message"]
    assert answers_and_attempts(app) == (0, 1)
    move_assignment(app, assignment_id, closes_at=now + timedelta(hours=1))
    accepted = app.test_client().post(url, json=body, headers=bearer(app, "alice"))
    assert accepted.status_code == 200 and answers_and_attempts(app) == (1, 1)


# Attempts allowed ---------------------------------------------------------------------


def test_the_attempts_allowed_hold_and_a_double_start_is_one_attempt(
    room: Classroom, app: Flask
) -> None:
    assignment_id = create_assignment(room, count="2", attempts_allowed="1")
    quiz_url = started(room, assignment_id)
    assert started(room, assignment_id) == quiz_url  # the second click resumes
    for _ in range(2):
        assert answer_page(room.alice, app, quiz_url).status_code == 303
    page = room.alice.get(f"/assignments/{assignment_id}").get_data(as_text=True)
    assert "You have used every attempt this assignment allows." in page
    refused = start(room.alice, assignment_id)
    assert refused.status_code == 409
    assert "You have used every attempt" in refused.get_data(as_text=True)
    with app.app_context():
        assert list(db.session.scalars(select(AssignmentAttempt.number))) == [1]


def test_the_same_questions_for_everyone_shuffled_when_asked(room: Classroom, app: Flask) -> None:
    fixed = create_assignment(room, title="Fixe")
    shuffled = create_assignment(room, title="Mélangé", shuffle="y")
    orders: dict[int, list[list[int]]] = {fixed: [], shuffled: []}
    students = [room.alice, room.bob]
    for number in range(6):
        name = f"student{number}"
        with app.app_context():
            accounts.register(name, PASSWORD)
            db.session.commit()
        student = client_of(app, name)
        assert join(student, room.code).status_code == 303
        students.append(student)
    for assignment_id in (fixed, shuffled):
        for student in students:
            start(student, assignment_id)
        with app.app_context():
            query = select(Attempt.question_ids).join(
                AssignmentAttempt, AssignmentAttempt.attempt_id == Attempt.id
            ).where(AssignmentAttempt.assignment_id == assignment_id)
            orders[assignment_id] = [list(ids) for ids in db.session.scalars(query)]
    assert len(orders[fixed]) == len(orders[shuffled]) == 8
    assert all(order == orders[fixed][0] for order in orders[fixed])
    assert all(sorted(order) == sorted(orders[shuffled][0]) for order in orders[shuffled])
    assert len({tuple(order) for order in orders[shuffled]}) > 1  # 8 students, 720 orders


# Home page ------------------------------------------------------------------------


def test_the_home_page_says_what_is_due(room: Classroom, app: Flask) -> None:
    now = utcnow()
    create_assignment(room, title="À rendre bientôt")
    create_assignment(
        room,
        title="Plus tard",
        opens_at=form_time(now + timedelta(days=3)),
        closes_at=form_time(now + timedelta(days=5)),
    )
    closed = create_assignment(room, title="Fini")
    move_assignment(app, closed, opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1))
    home = room.alice.get("/").get_data(as_text=True)
    due = home.index("À rendre bientôt")
    assert due < home.index("Plus tard") and "Fini" not in home
    assert re.search(r"Due\s*<time", home) and "in 24 hours" in home  # a day, less a moment
    assert "Your assignments" in home
    elsewhere = client_of(app, "carol").get("/").get_data(as_text=True)  # in no class
    assert "No assignment to do." in elsewhere and "À rendre bientôt" not in elsewhere


# Results and exports -------------------------------------------------------------------


def test_results_per_student_and_question_with_answers_and_sources(
    room: Classroom, app: Flask
) -> None:
    assignment_id = create_assignment(room, count="3", attempts_allowed="2")
    quiz_url = started(room, assignment_id)
    for _ in range(3):
        answer_page(room.alice, app, quiz_url, right=True)
    bob_url = start(room.bob, assignment_id).headers["Location"]
    answer_page(room.bob, app, bob_url, right=False)

    page = room.teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    alice_row = page[page.index(">alice<") :].split("</tr>")[0]
    assert "3 / 3" in alice_row and alice_row.count("✓") == 3
    bob_row = page[page.index(">bob<") :].split("</tr>")[0]
    assert "0 / 3" in bob_row and bob_row.count("✗") == 1 and "1 / 3" in bob_row
    assert page.count("Q1") >= 2  # a column per question and a row per question

    with app.app_context():
        bob_id = db.session.scalar(
            select(AssignmentAttempt.student_id).where(AssignmentAttempt.attempt_id == int(bob_url.rsplit("/", 1)[1]))
        )
    answers = room.teacher.get(f"/teach/assignments/{assignment_id}/students/{bob_id}")
    text = answers.get_data(as_text=True)
    assert answers.status_code == 200 and "Answers of bob" in text
    assert "Their answer" in text and "<mark>" in text and "Not answered" in text
    assert room.alice.get(f"/teach/assignments/{assignment_id}/students/{bob_id}").status_code == 403


def test_grade_sheets_in_csv_and_xlsx(room: Classroom, app: Flask) -> None:
    assignment_id = create_assignment(room, title="Devoir n°1", count="2")
    quiz_url = started(room, assignment_id)
    for _ in range(2):
        answer_page(room.alice, app, quiz_url, right=True)

    response = room.teacher.get(f"/teach/assignments/{assignment_id}/grades.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="grades-devoir-n-1.csv"' in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert table[0] == ["Student", "Attempts", "Score", "Out of", "Percent", "Finished", "Last answer", "Q1", "Q2"]
    assert table[1][:6] == ["alice", "1", "2", "2", "100.0", "1"] and table[1][7:] == ["1", "1"]
    assert table[2][:6] == ["bob", "0", "", "2", "", "0"]

    xlsx = room.teacher.get(f"/teach/assignments/{assignment_id}/grades.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Devoir n°1"
    assert values[0][:3] == ["Student", "Attempts", "Score"]
    assert values[1][:6] == ["alice", 1, 2, 2, 100.0, 1] and values[1][7:] == [1, 1]
    assert values[2][:4] == ["bob", 0, None, 2]

    room.teacher.get("/lang/fr")
    french = room.teacher.get(f"/teach/assignments/{assignment_id}/grades.csv").get_data()
    assert french.decode("utf-8-sig").startswith("Élève,Tentatives,Score,Sur")


# Shared quiz links ---------------------------------------------------------------------


def share(room: Classroom, **fields: object) -> str:
    """Post the share form; the link it gives."""
    url = "/teach/share-quiz?sheet=otan"
    data = {
        "csrf_token": token(room.teacher, url),
        "sheet": "otan",
        "revision": "2021",
        "count": "1",
        "types": ["mcq", "true_false"],
        "tags": ["place"],
        **fields,
    }
    response = room.teacher.post("/teach/share-quiz", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    match = re.search(r'id="shared-link" class="join-link" value="([^"]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1).removeprefix("http://localhost")


def test_a_shared_link_fixes_count_types_and_topics(room: Classroom, app: Flask) -> None:
    link = share(room)
    visitor = app.test_client()
    visitor.get("/lang/en")
    page = visitor.get(link).get_data(as_text=True)
    assert re.search(r'id="shared-count">1<', page)
    assert "Multiple choice, True or false" in page and "Places" in page
    response = visitor.post(link, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.scalars(select(Attempt)).one()
        assert attempt.settings == {"count": 1, "types": ["mcq", "true_false"], "tags": ["place"]}
        assert attempt.revision.label == "2021" and attempt.visitor_id
        [question] = [db.session.get(Question, qid) for qid in attempt.question_ids]
        assert question is not None and question.type == "mcq" and "place" in question.tags


@pytest.mark.parametrize("change", ["tampered", "truncated"])
def test_a_shared_link_changed_by_hand_is_a_404(room: Classroom, app: Flask, change: str) -> None:
    link = share(room)
    prefix, token_text = link.rsplit("/", 1)
    payload, signature = token_text.split(".", 1)
    if change == "tampered":
        altered = payload[:-2] + ("AA" if not payload.endswith("AA") else "BB") + "." + signature
    else:
        altered = payload
    assert app.test_client().get(f"{prefix}/{altered}").status_code == 404


def test_the_share_form_refuses_tampered_choices(room: Classroom, app: Flask) -> None:
    url = "/teach/share-quiz?sheet=otan"
    data = {"csrf_token": token(room.teacher, url), "sheet": "otan", "revision": "2021", "count": "1", "types": ["evil"]}
    assert room.teacher.post("/teach/share-quiz", data=data).status_code == 400
    data |= {"types": ["mcq"], "count": str(10**40)}
    response = room.teacher.post("/teach/share-quiz", data=data)
    assert response.status_code == 400 and 'id="shared-link"' not in response.get_data(as_text=True)
    assert room.alice.get("/teach/share-quiz").status_code == 403
