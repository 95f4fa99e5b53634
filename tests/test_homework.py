"""Homework services: classes and their codes, assignments, the server clock, grades.

Real SQLite files (or PostgreSQL with ``--postgres``); sheets built as rows by
``study_data`` (one question per type, answers known). Time passing is the
stored times moving into the past (an instructor's edit, an attempt started
earlier): the services compare them with the server's clock only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select
from study_data import make_sheet, right_answer, wrong_answer

from quiz.class_models import Assignment, AssignmentAttempt, Classroom, Membership
from quiz.extensions import db
from quiz.models import Answer, Attempt, Question, User, utcnow
from quiz.services.accounts.users import register
from quiz.services.classroom import assignments, classes, grades
from quiz.services.classroom.assignments import QuestionChoice, Schedule
from quiz.services.errors import Closed, Invalid, NotFound
from quiz.services.study import attempts, deadlines

PASSWORD = "correct horse battery"


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context with the ``otan`` sheet (revisions 2021 and 2022, six questions each)."""
    with app.app_context():
        make_sheet("otan", ("2021", "2022"))
        db.session.commit()
        yield


def user(name: str, role: str = "student") -> User:
    account = register(name, PASSWORD, role=role)
    db.session.flush()
    return account


def open_schedule(**changes: object) -> Schedule:
    """A schedule open from an hour ago to an hour from now (``changes`` win)."""
    now = utcnow()
    values: dict[str, object] = {
        "title": "Devoir 1",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(hours=1),
    }
    return Schedule(**(values | changes))


def answer_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Answer)) or 0


def question(question_id: int) -> Question:
    found = db.session.get(Question, question_id)
    assert found is not None
    return found


@dataclass
class Homework:
    teacher: User
    classroom: Classroom
    alice: User
    bob: User
    assignment: Assignment


@pytest.fixture
def homework(ctx: None) -> Homework:
    """A teacher's class with two students on its roster and one open assignment of all six."""
    teacher = user("teacher", "instructor")
    classroom = classes.create_class(teacher, "  4e B  ")
    alice, bob = user("alice"), user("bob")
    for student in (alice, bob):
        classes.join_class(student, classroom.code)
    assignment = assignments.create_assignment(
        classroom, open_schedule(attempts_allowed=2), QuestionChoice("otan", "2022", count=6)
    )
    db.session.commit()
    return Homework(teacher, classroom, alice, bob, assignment)


# Classes and codes ----------------------------------------------------------------


def test_a_class_gets_a_readable_code_that_students_join_with(ctx: None) -> None:
    teacher = user("teacher", "instructor")
    classroom = classes.create_class(teacher, "  4e B  ")
    assert classroom.name == "4e B"
    assert len(classroom.code) == 8 and set(classroom.code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    typed = classes.display_code(classroom.code).lower().replace("-", " - ")
    alice = user("alice")
    assert classes.join_class(alice, typed).id == classroom.id
    assert classes.join_class(alice, classroom.code).id == classroom.id  # twice is once
    assert [entry.username for entry in classes.roster(classroom)] == ["alice"]
    assert classes.classes_of_student(alice) == [classroom]
    assert classes.classes_owned_by(teacher) == [(classroom, 1)]


def test_codes_differ_between_classes(ctx: None) -> None:
    teacher = user("teacher", "instructor")
    codes = {classes.create_class(teacher, f"Classe {n}").code for n in range(30)}
    assert len(codes) == 30


@pytest.mark.parametrize("code", ["", "ABC", "ABCD-EFGH-IJ", "ABCD-EF0O", "ABCD\x00EFG"])
def test_a_code_that_cannot_be_one_is_invalid(ctx: None, code: str) -> None:
    with pytest.raises(Invalid):
        classes.join_class(user("alice"), code)


def test_an_unknown_code_or_a_teacher_joining_is_refused(ctx: None) -> None:
    teacher = user("teacher", "instructor")
    classroom = classes.create_class(teacher, "4e B")
    with pytest.raises(NotFound):
        classes.join_class(user("alice"), "ABCD-EFGH" if classroom.code != "ABCDEFGH" else "HGFE-DCBA")
    with pytest.raises(Invalid):
        classes.join_class(user("other", "instructor"), classroom.code)
    with pytest.raises(Invalid):
        classes.create_class(user("carol"), "Pas prof")
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_a_class_is_its_owners_alone(homework: Homework) -> None:
    classroom = homework.classroom
    other = user("other", "instructor")
    with pytest.raises(NotFound):
        classes.owned_class(other, classroom.id)
    with pytest.raises(NotFound):
        assignments.owned_assignment(other, homework.assignment.id)
    with pytest.raises(NotFound):
        classes.member_class(user("carol"), classroom.id)


# Assignments: the same set for everyone ---------------------------------------------


def test_every_student_gets_the_same_fixed_set(homework: Homework) -> None:
    assignment = homework.assignment
    alice, bob = homework.alice, homework.bob
    first = assignments.start_or_resume(alice, assignment.id)
    second = assignments.start_or_resume(bob, assignment.id)
    assert first.question_ids == second.question_ids == assignment.question_ids
    assert len(first.question_ids) == 6


def test_shuffled_assignments_keep_the_set_and_change_the_order(ctx: None) -> None:
    teacher = user("teacher", "instructor")
    classroom = classes.create_class(teacher, "4e B")
    assignment = assignments.create_assignment(
        classroom, open_schedule(shuffle=True), QuestionChoice("otan", count=6)
    )
    orders = []
    for n in range(12):
        student = user(f"student{n}")
        classes.join_class(student, classroom.code)
        orders.append(tuple(assignments.start_or_resume(student, assignment.id).question_ids))
    assert {frozenset(order) for order in orders} == {frozenset(assignment.question_ids)}
    assert len(set(orders)) > 1  # 12 students, 720 orders: one order for all would be a bug


def test_a_hand_picked_set_keeps_its_order(ctx: None) -> None:
    teacher = user("teacher", "instructor")
    classroom = classes.create_class(teacher, "4e B")
    revision_questions = assignments.approved_questions(
        assignments.choose_questions(QuestionChoice("otan", "2021"))[0]
    )
    picked = [revision_questions[3].id, revision_questions[0].id, revision_questions[3].id]
    assignment = assignments.create_assignment(
        classroom, open_schedule(), QuestionChoice("otan", "2021", picked=picked)
    )
    assert assignment.question_ids == picked[:2]
    assert assignment.selection == {"picked": True}


def test_picking_a_question_of_another_revision_or_a_draft_is_invalid(ctx: None) -> None:
    teacher = user("teacher", "instructor")
    classroom = classes.create_class(teacher, "4e B")
    other_revision = db.session.scalars(select(Question.id).order_by(Question.id.desc())).first()
    for picked in ([other_revision], [], [987_654]):
        with pytest.raises(Invalid):
            assignments.create_assignment(
                classroom, open_schedule(), QuestionChoice("otan", "2021", picked=picked)
            )


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "  "},
        {"attempts_allowed": 0},
        {"attempts_allowed": 21},
        {"time_limit_minutes": 0},
        {"time_limit_minutes": 10**9},
        {"closes_at": utcnow() - timedelta(hours=2)},
    ],
)
def test_a_bad_schedule_is_invalid(ctx: None, changes: dict[str, object]) -> None:
    classroom = classes.create_class(user("teacher", "instructor"), "4e B")
    with pytest.raises(Invalid):
        assignments.create_assignment(classroom, open_schedule(**changes), QuestionChoice("otan"))


def test_the_questions_stay_once_someone_started(homework: Homework) -> None:
    assignment = homework.assignment
    assignments.start_or_resume(homework.alice, assignment.id)
    with pytest.raises(Invalid):
        assignments.update_assignment(
            assignment, open_schedule(), QuestionChoice("otan", "2021", count=2)
        )
    assignments.update_assignment(assignment, open_schedule(title="Renommé"))
    assert assignment.title == "Renommé"


# The server's clock -------------------------------------------------------------------


def test_before_the_opening_nothing_starts(ctx: None) -> None:
    classroom = classes.create_class(user("teacher", "instructor"), "4e B")
    alice = user("alice")
    classes.join_class(alice, classroom.code)
    later = utcnow() + timedelta(hours=1)
    assignment = assignments.create_assignment(
        classroom,
        open_schedule(opens_at=later, closes_at=later + timedelta(hours=1)),
        QuestionChoice("otan"),
    )
    with pytest.raises(Closed) as refused:
        assignments.start_or_resume(alice, assignment.id)
    assert refused.value.reason == deadlines.NOT_OPEN
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_after_the_closing_an_answer_is_refused_and_nothing_written(
    homework: Homework,
) -> None:
    assignment, alice = homework.assignment, homework.alice
    attempt = assignments.start_or_resume(alice, assignment.id)
    first, second = (question(qid) for qid in attempt.question_ids[:2])
    attempts.submit_answer(attempt, first.id, right_answer(first))
    db.session.commit()
    now = utcnow()
    assignments.update_assignment(  # the teacher closes it early
        assignment, open_schedule(opens_at=now - timedelta(hours=2), closes_at=now - timedelta(seconds=30))
    )
    db.session.commit()
    with pytest.raises(Closed) as refused:
        attempts.submit_answer(attempt, second.id, right_answer(second))
    assert refused.value.reason == deadlines.CLOSED
    db.session.rollback()
    assert answer_count() == 1
    with pytest.raises(Closed):  # nor may a new attempt start
        assignments.start_or_resume(alice, assignment.id)


def test_an_answer_sent_at_the_closing_time_counts(homework: Homework) -> None:
    """A few seconds late by the server's clock (the request's trip): within the grace."""
    assignment, alice = homework.assignment, homework.alice
    attempt = assignments.start_or_resume(alice, assignment.id)
    now = utcnow()
    assignments.update_assignment(
        assignment, open_schedule(opens_at=now - timedelta(hours=2), closes_at=now - timedelta(seconds=2))
    )
    first = question(attempt.question_ids[0])
    attempts.submit_answer(attempt, first.id, right_answer(first))
    assert answer_count() == 1


def test_the_time_limit_runs_from_the_start_of_the_attempt(ctx: None) -> None:
    classroom = classes.create_class(user("teacher", "instructor"), "4e B")
    alice = user("alice")
    classes.join_class(alice, classroom.code)
    assignment = assignments.create_assignment(
        classroom, open_schedule(time_limit_minutes=10, attempts_allowed=2), QuestionChoice("otan")
    )
    attempt = assignments.start_or_resume(alice, assignment.id)
    first, second = (question(qid) for qid in attempt.question_ids[:2])
    attempts.submit_answer(attempt, first.id, right_answer(first))
    attempt.created_at = utcnow() - timedelta(minutes=11)  # started eleven minutes ago
    db.session.commit()
    with pytest.raises(Closed) as refused:
        attempts.submit_answer(attempt, second.id, right_answer(second))
    assert refused.value.reason == deadlines.TIME_UP
    db.session.rollback()
    assert answer_count() == 1
    # Time up, the attempt is over: the next start is attempt 2, not a resume.
    again = assignments.start_or_resume(alice, assignment.id)
    assert again.id != attempt.id


def test_a_student_taken_off_the_roster_can_no_longer_answer(homework: Homework) -> None:
    assignment, alice = homework.assignment, homework.alice
    attempt = assignments.start_or_resume(alice, assignment.id)
    classes.remove_student(homework.classroom, alice.id)
    first = question(attempt.question_ids[0])
    with pytest.raises(Closed) as refused:
        attempts.submit_answer(attempt, first.id, right_answer(first))
    assert refused.value.reason == deadlines.NOT_MEMBER
    with pytest.raises(NotFound):
        assignments.start_or_resume(alice, assignment.id)


# Attempts allowed ----------------------------------------------------------------------


def finish(attempt: Attempt, right: bool = True) -> None:
    for question_id in attempt.question_ids:
        asked = question(question_id)
        attempts.submit_answer(attempt, question_id, right_answer(asked) if right else wrong_answer(asked))


def test_starting_again_resumes_and_the_attempts_allowed_hold(homework: Homework) -> None:
    assignment, alice = homework.assignment, homework.alice
    first = assignments.start_or_resume(alice, assignment.id)
    assert assignments.start_or_resume(alice, assignment.id).id == first.id
    finish(first, right=False)
    second = assignments.start_or_resume(alice, assignment.id)
    assert second.id != first.id
    finish(second)
    with pytest.raises(Closed) as refused:
        assignments.start_or_resume(alice, assignment.id)
    assert refused.value.reason == deadlines.NO_ATTEMPTS_LEFT
    numbers = db.session.scalars(select(AssignmentAttempt.number).order_by(AssignmentAttempt.number))
    assert list(numbers) == [1, 2]


def test_a_start_that_loses_the_race_gives_back_the_winners_attempt(
    homework: Homework,
) -> None:
    """Attempt number 1 taken between this start's reading and its writing."""
    assignment, alice = homework.assignment, homework.alice
    view = assignments.student_view(alice, assignment)
    winner = assignments._new_attempt(alice, assignment, len(view.attempts) + 1)
    assert winner is not None
    loser = assignments._new_attempt(alice, assignment, len(view.attempts) + 1)
    assert loser is None
    assert assignments.start_or_resume(alice, assignment.id).id == winner.id
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


# Grades -----------------------------------------------------------------------------


def test_results_per_student_and_per_question(homework: Homework) -> None:
    assignment, alice, bob = homework.assignment, homework.alice, homework.bob
    first = assignments.start_or_resume(alice, assignment.id)
    finish(first, right=False)
    second = assignments.start_or_resume(alice, assignment.id)
    finish(second)
    bobs = assignments.start_or_resume(bob, assignment.id)
    asked = question(assignment.question_ids[0])
    attempts.submit_answer(bobs, asked.id, wrong_answer(asked))
    db.session.commit()

    report = grades.results(assignment)
    by_name = {student.username: student for student in report.students}
    assert list(by_name) == ["alice", "bob"]
    assert (by_name["alice"].attempts, by_name["alice"].score, by_name["alice"].percent) == (2, 6, 100.0)
    assert by_name["alice"].best_attempt_id == second.id and by_name["alice"].finished
    assert (by_name["bob"].score, by_name["bob"].answered, by_name["bob"].finished) == (0, 1, False)
    assert by_name["bob"].marks == (False, None, None, None, None, None)
    first_question = report.questions[0]
    assert (first_question.answers, first_question.correct) == (3, 1)
    assert first_question.wrong_answers and first_question.question.id == asked.id
    assert [item.answers for item in report.questions[1:]] == [2] * 5

    student, summaries = grades.student_attempts(assignment, bob.id)
    assert student.username == "bob" and len(summaries) == 1
    item = summaries[0].items[bobs.question_ids.index(asked.id)]
    assert item.correct is False and item.feedback is not None
    assert item.feedback.source.paragraph  # the sheet's words, for the teacher too


def test_a_student_with_no_part_in_it_has_no_results(homework: Homework) -> None:
    with pytest.raises(NotFound):
        grades.student_attempts(homework.assignment, user("carol").id)


def test_grade_exports_in_csv_and_xlsx(homework: Homework) -> None:
    assignment, alice = homework.assignment, homework.alice
    sly = user("=HYPERLINK(1)")
    classes.join_class(sly, homework.classroom.code)
    finish(assignments.start_or_resume(alice, assignment.id))
    db.session.commit()
    headers = ["Élève", "Tentatives", "Score", "Sur", "%", "Terminé", "Dernière réponse"]
    table = grades.grade_table(grades.results(assignment), headers)

    rows = list(csv.reader(io.StringIO(grades.csv_bytes(table).decode("utf-8-sig"))))
    assert rows[0] == [*headers, "Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert rows[1][:6] == ["'=HYPERLINK(1)", "0", "", "6", "", "0"]
    assert rows[2][:6] == ["alice", "1", "6", "6", "100.0", "1"]
    assert rows[2][6].endswith(" UTC") and rows[2][7:] == ["1"] * 6

    workbook = load_workbook(io.BytesIO(grades.xlsx_bytes(table, "Devoir: 1/2")))
    sheet = workbook.active
    assert sheet.title == "Devoir  1 2"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == [*headers, "Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert values[1][0] == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert values[2][:6] == ["alice", 1, 6, 6, 100.0, 1] and values[2][7:] == [1] * 6
    assert sheet["A1"].font.bold
