"""An assignment's results: per student, per question, each student's answers; grade exports.

Everything is derived from the attempts' answer rows. A student's grade is
their best attempt (most right answers; the earlier one on a tie); the
question figures count every answer given to the assignment. Students taken
off the roster keep their results, marked as such.

Exports are a table of plain values (``grade_table``), written as CSV or XLSX.
A cell that a spreadsheet would run as a formula (a username such as
``=HYPERLINK(…)``) stays text in both.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...class_models import Assignment, AssignmentAttempt, Membership
from ...extensions import db
from ...models import Answer, Attempt, Question, User, as_utc
from ..authoring.item_statistics import AnswerFact, Learner, frequent_wrong_answers
from ..errors import NotFound
from ..study import attempts as attempt_service

# What a spreadsheet reads as the start of a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Who gave an answer does not matter to the wrong-answer counts.
_ANYONE: Learner = ("", None)


@dataclass(frozen=True)
class StudentResult:
    """One student's results at the assignment."""

    student_id: int
    username: str
    on_roster: bool
    attempts: int
    best_attempt_id: int | None
    score: int | None  # right answers of the best attempt; None before any attempt
    answered: int  # questions answered in the best attempt
    total: int
    finished: bool  # whether any attempt answered every question
    last_answer_at: datetime | None
    marks: tuple[bool | None, ...]  # per question of the assignment, in its order (best attempt)

    @property
    def percent(self) -> float | None:
        """The best score as a percentage of the questions; None before any attempt."""
        if self.score is None or not self.total:
            return None
        return round(100 * self.score / self.total, 1)


@dataclass(frozen=True)
class QuestionResult:
    """How the class answered one question of the assignment."""

    position: int
    question: Question
    answers: int
    correct: int
    wrong_answers: tuple[tuple[str, int], ...]

    @property
    def percent(self) -> float | None:
        """The share of right answers, in percent; None without answers."""
        return round(100 * self.correct / self.answers, 1) if self.answers else None


@dataclass(frozen=True)
class AssignmentResults:
    """The results page and the exports."""

    assignment: Assignment
    students: list[StudentResult]
    questions: list[QuestionResult]


def results(assignment: Assignment) -> AssignmentResults:
    """Per student (by name) and per question (in the assignment's order)."""
    by_student = _attempts_by_student(assignment)
    students = [
        _student_result(assignment, user, on_roster, by_student.get(user.id, []))
        for user, on_roster in _students(assignment, set(by_student))
    ]
    every_answer = [answer for made in by_student.values() for a in made for answer in a.answers]
    return AssignmentResults(assignment, students, _question_results(assignment, every_answer))


def student_attempts(
    assignment: Assignment, student_id: int
) -> tuple[User, list[attempt_service.Summary]]:
    """The student and the summary of each of their attempts (their answers and sources).

    ``NotFound`` unless the student is on the class's roster or made an attempt.
    """
    student = db.session.get(User, student_id)
    made = _attempts_by_student(assignment).get(student_id, [])
    on_roster = db.session.get(Membership, (assignment.class_id, student_id)) is not None
    if student is None or not (made or on_roster):
        raise NotFound("Cet élève n'a pas ce devoir.")
    return student, [attempt_service.summary(attempt) for attempt in made]


def grade_table(results_: AssignmentResults, headers: Sequence[str]) -> list[list[object]]:
    """The grade sheet: ``headers`` (student, attempts, score, out of, percent, finished,
    last answer), then one column per question (1 right, 0 wrong, empty unanswered)."""
    questions = [f"Q{item.position}" for item in results_.questions]
    table: list[list[object]] = [[*headers, *questions]]
    for student in results_.students:
        last = student.last_answer_at
        table.append(
            [
                student.username,
                student.attempts,
                student.score,
                student.total,
                student.percent,
                int(student.finished),
                last.strftime("%Y-%m-%d %H:%M:%S UTC") if last else None,
                *(None if mark is None else int(mark) for mark in student.marks),
            ]
        )
    return table


def csv_bytes(table: list[list[object]]) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark (so that Excel reads the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if cell is None else _inert(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(table: list[list[object]], title: str) -> bytes:
    """The table as an XLSX workbook of one sheet, its header row in bold."""
    from openpyxl import Workbook  # imported here: only the export needs it
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    for row in table:
        sheet.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts like a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _attempts_by_student(assignment: Assignment) -> dict[int, list[Attempt]]:
    """The assignment's attempts per student id, oldest first, with their answers."""
    query = (
        select(AssignmentAttempt.student_id, Attempt)
        .join(Attempt, Attempt.id == AssignmentAttempt.attempt_id)
        .where(AssignmentAttempt.assignment_id == assignment.id)
        .order_by(AssignmentAttempt.student_id, AssignmentAttempt.number)
        .options(selectinload(Attempt.answers))
    )
    made: dict[int, list[Attempt]] = defaultdict(list)
    for student_id, attempt in db.session.execute(query):
        made[student_id].append(attempt)
    return made


def _students(assignment: Assignment, with_attempts: set[int]) -> list[tuple[User, bool]]:
    """The roster and the students with attempts, by name, each with whether on the roster."""
    roster = set(
        db.session.scalars(
            select(Membership.student_id).where(Membership.class_id == assignment.class_id)
        )
    )
    query = select(User).where(User.id.in_(roster | with_attempts))
    users = db.session.scalars(query.order_by(func.lower(User.username), User.id))
    return [(user, user.id in roster) for user in users]


def _student_result(
    assignment: Assignment, user: User, on_roster: bool, made: list[Attempt]
) -> StudentResult:
    """One student's line: their best attempt's score and marks."""
    total = len(assignment.question_ids)
    scores = [sum(answer.correct for answer in attempt.answers) for attempt in made]
    best = made[scores.index(max(scores))] if made else None
    marks_by_id = {answer.question_id: answer.correct for answer in best.answers} if best else {}
    times = [as_utc(answer.created_at) for attempt in made for answer in attempt.answers]
    return StudentResult(
        student_id=user.id,
        username=user.username,
        on_roster=on_roster,
        attempts=len(made),
        best_attempt_id=best.id if best else None,
        score=max(scores) if scores else None,
        answered=len(best.answers) if best else 0,
        total=total,
        finished=any(attempt.finished for attempt in made),
        last_answer_at=max(times) if times else None,
        marks=tuple(marks_by_id.get(question_id) for question_id in assignment.question_ids),
    )


def _question_results(assignment: Assignment, answers: list[Answer]) -> list[QuestionResult]:
    """Per question of the assignment: answers, right ones, the frequent wrong answers."""
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    rows = db.session.scalars(select(Question).where(Question.id.in_(assignment.question_ids)))
    questions = {question.id: question for question in rows}
    items = []
    for position, question_id in enumerate(assignment.question_ids, start=1):
        given = by_question.get(question_id, [])
        facts = [AnswerFact(_ANYONE, a.given, a.correct) for a in given]
        items.append(
            QuestionResult(
                position=position,
                question=questions[question_id],
                answers=len(given),
                correct=sum(answer.correct for answer in given),
                wrong_answers=frequent_wrong_answers(facts),
            )
        )
    return items


def _inert(cell: object) -> object:
    """A CSV cell a spreadsheet shows as written: a leading apostrophe before a formula."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _sheet_title(title: str) -> str:
    """An XLSX sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "Notes"
