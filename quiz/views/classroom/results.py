"""An assignment's results for its instructor: per student, per question, and grade sheets.

Each student's answers are shown with the sheet's words that prove the expected
answer, as the student saw them after answering.
"""

from __future__ import annotations

import re

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...class_models import Assignment
from ...services.classroom import assignments, grades
from ...services.errors import NotFound
from ...services.study import deadlines
from .homework import bp, teacher_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/teach/assignments/<int:assignment_id>")
@teacher_required
def teach_results(assignment_id: int) -> ResponseReturnValue:
    """Per student (best attempt, attempts, last answer) and per question (answers, right)."""
    assignment = _owned_assignment(assignment_id)
    return render_template(
        "homework/results.html",
        assignment=assignment,
        results=grades.results(assignment),
        state=assignments.state_at(assignment, deadlines.now()),
    )


@bp.get("/teach/assignments/<int:assignment_id>/students/<int:student_id>")
@teacher_required
def teach_student_answers(assignment_id: int, student_id: int) -> ResponseReturnValue:
    """One student's attempts, each answer with the expected one and its source."""
    assignment = _owned_assignment(assignment_id)
    try:
        student, summaries = grades.student_attempts(assignment, student_id)
    except NotFound:
        abort(404)
    return render_template(
        "homework/student_answers.html",
        assignment=assignment,
        student=student,
        summaries=summaries,
    )


@bp.get("/teach/assignments/<int:assignment_id>/grades.csv")
@teacher_required
def teach_grades_csv(assignment_id: int) -> ResponseReturnValue:
    """The grade sheet as CSV (UTF-8, for any spreadsheet)."""
    assignment = _owned_assignment(assignment_id)
    body = grades.csv_bytes(_grade_table(assignment))
    return _download(body, "text/csv; charset=utf-8", _file_name(assignment, "csv"))


@bp.get("/teach/assignments/<int:assignment_id>/grades.xlsx")
@teacher_required
def teach_grades_xlsx(assignment_id: int) -> ResponseReturnValue:
    """The grade sheet as an Excel workbook."""
    assignment = _owned_assignment(assignment_id)
    body = grades.xlsx_bytes(_grade_table(assignment), assignment.title)
    return _download(body, XLSX_TYPE, _file_name(assignment, "xlsx"))


def _grade_table(assignment: Assignment) -> list[list[object]]:
    """The grade sheet, its column names in the reader's language."""
    headers = [
        _("Student"),
        _("Attempts"),
        _("Score"),
        _("Out of"),
        _("Percent"),
        _("Finished"),
        _("Last answer"),
    ]
    return grades.grade_table(grades.results(assignment), headers)


def _download(body: bytes, mimetype: str, name: str) -> Response:
    """``body`` as an attachment named ``name``."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(assignment: Assignment, extension: str) -> str:
    """A safe file name made of the assignment's title: ``notes-devoir-1.csv``."""
    prefix = _("grades")
    name = f"{prefix} {assignment.title}".lower()
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:70] + f".{extension}"


def _owned_assignment(assignment_id: int) -> Assignment:
    """The current instructor's assignment; anyone else's, or none, is a 404."""
    try:
        return assignments.owned_assignment(current_user, assignment_id)
    except NotFound:
        abort(404)
