"""Assignments: the instructor creates and edits them; a student opens one and starts it.

The sheet and revision an assignment asks are chosen first, in the page's
address (``?sheet=…&revision=…``, a plain GET form): the assignment form then
offers that revision's approved questions to pick, or a draw by number, types
and topics. Once a student started it, its questions no longer change.

Starting redirects to the study pages' question (``/quiz/<id>``): the same
pages, the same feedback with its source, under the assignment's deadlines.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...class_models import Assignment, Classroom
from ...extensions import db
from ...services.classroom import assignments, classes
from ...services.classroom.assignments import QuestionChoice, Schedule
from ...services.errors import Closed, Invalid, NotFound
from ...services.library.sheet_pages import find_revision
from ...services.library.sheets import SheetListing, list_sheets
from ...services.study import deadlines
from ..forms import ActionForm
from ..homework_refusals import refused_page
from ..labels import PICKABLE_TOPICS, QUESTION_TYPES, topic_label, type_label
from .assignment_forms import DRAW, MODE_CHOICES, PICK, AssignmentForm
from .homework import (
    account_required,
    bp,
    site_timezone,
    teacher_required,
    to_local,
    to_utc,
)

# A new assignment opens now and closes a week later, unless the instructor says otherwise.
DEFAULT_LENGTH = timedelta(days=7)


# The instructor's side ----------------------------------------------------------------


@bp.route("/teach/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
@teacher_required
def teach_new_assignment(class_id: int) -> ResponseReturnValue:
    """A new assignment of the class, on the revision the address names."""
    classroom = _owned_class(class_id)
    sheet, label = _chosen_revision(None)
    form = _form_for(sheet, label, locked=False)
    if request.method == "GET":
        _fill_defaults(form)
    elif _valid(form):
        try:
            assignments.create_assignment(classroom, _schedule(form), _choice(form, sheet, label))
        except Invalid:
            form.form_errors.append(_("No question matches these settings."))
        else:
            db.session.commit()
            return redirect(url_for(".teach_class", class_id=classroom.id), code=303)
    return _form_page(form, classroom, None, sheet, label)


@bp.route("/teach/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@teacher_required
def teach_edit_assignment(assignment_id: int) -> ResponseReturnValue:
    """Change an assignment: its schedule always, its questions until someone starts it."""
    assignment = _owned_assignment(assignment_id)
    locked = assignments.has_attempts(assignment)
    sheet, label = _chosen_revision(assignment, use_address=not locked)
    form = _form_for(sheet, label, locked)
    if request.method == "GET":
        _fill_from(form, assignment, same_revision=label == assignment.revision.label)
    elif _valid(form):
        choice = None if locked else _choice(form, sheet, label)
        try:
            assignments.update_assignment(assignment, _schedule(form), choice)
        except Invalid:
            form.form_errors.append(_("No question matches these settings."))
        else:
            db.session.commit()
            return redirect(url_for(".teach_class", class_id=assignment.class_id), code=303)
    return _form_page(form, assignment.classroom, assignment, sheet, label)


def _valid(form: AssignmentForm) -> bool:
    """Whether the posted form is valid; a tampered one is a 400 at once."""
    if form.validate_on_submit():
        return True
    if form.tampered():
        abort(400)
    return False


def _chosen_revision(
    fallback: Assignment | None, use_address: bool = True
) -> tuple[SheetListing, str]:
    """The sheet and revision label the address names (``?sheet=…&revision=…``), else
    ``fallback``'s, else the first sheet's latest; 404 when they name none."""
    listings = list_sheets()
    if use_address and request.args.get("sheet"):
        slug, label = request.args["sheet"], request.args.get("revision", "")
    elif fallback is not None:
        slug, label = fallback.revision.sheet.slug, fallback.revision.label
    else:
        slug, label = (listings[0].slug if listings else ""), ""
    sheet = next((listing for listing in listings if listing.slug == slug), None)
    if sheet is None:
        abort(404)
    label = label or sheet.latest_revision
    if label not in sheet.revisions:
        abort(404)
    return sheet, label


def _form_for(sheet: SheetListing, label: str, locked: bool) -> AssignmentForm:
    """The assignment form with the revision's choices, or without question fields."""
    form = AssignmentForm()
    if locked:
        form.lock_questions()
        return form
    form.mode.choices = MODE_CHOICES
    form.types.choices = [(code, type_label(code)) for code in QUESTION_TYPES]
    form.tags.choices = [(code, topic_label(code)) for code in PICKABLE_TOPICS]
    revision = find_revision(sheet.slug, label)
    form.picked.choices = [
        (question.id, question.prompt) for question in assignments.approved_questions(revision)
    ]
    return form


def _fill_defaults(form: AssignmentForm) -> None:
    """A new assignment: open now for a week, every type, one attempt."""
    now = to_local(deadlines.now()).replace(second=0, microsecond=0)
    form.opens_at.data = now
    form.closes_at.data = now + DEFAULT_LENGTH
    form.types.data = list(QUESTION_TYPES)
    form.tags.data = []


def _fill_from(form: AssignmentForm, assignment: Assignment, same_revision: bool) -> None:
    """The edit form as the assignment stands."""
    form.title.data = assignment.title
    form.opens_at.data = to_local(assignment.opens_at)
    form.closes_at.data = to_local(assignment.closes_at)
    form.attempts_allowed.data = assignment.attempts_allowed
    form.time_limit_minutes.data = assignment.time_limit_minutes
    form.shuffle.data = assignment.shuffle
    if "mode" not in form:
        return
    selection = assignment.selection
    form.mode.data = PICK if selection.get("picked") else DRAW
    form.count.data = selection.get("count") or len(assignment.question_ids)
    form.types.data = selection.get("types") or list(QUESTION_TYPES)
    form.tags.data = selection.get("tags") or []
    form.picked.data = list(assignment.question_ids) if same_revision else []


def _schedule(form: AssignmentForm) -> Schedule:
    """The schedule the form gives, its times in UTC."""
    return Schedule(
        title=form.title.data,
        opens_at=to_utc(form.opens_at.data),
        closes_at=to_utc(form.closes_at.data),
        attempts_allowed=form.attempts_allowed.data,
        time_limit_minutes=form.time_limit_minutes.data,
        shuffle=bool(form.shuffle.data),
    )


def _choice(form: AssignmentForm, sheet: SheetListing, label: str) -> QuestionChoice:
    """The questions the form asks for: the picked ones, or a draw (every type/topic: any)."""
    if form.mode.data == PICK:
        return QuestionChoice(sheet.slug, label, picked=list(form.picked.data))
    types = None if set(form.types.data) == set(QUESTION_TYPES) else form.types.data
    tags = None if set(form.tags.data or ()) in (set(), set(PICKABLE_TOPICS)) else form.tags.data
    return QuestionChoice(sheet.slug, label, count=form.count.data, types=types, tags=tags)


def _form_page(
    form: AssignmentForm,
    classroom: Classroom,
    assignment: Assignment | None,
    sheet: SheetListing,
    label: str,
) -> ResponseReturnValue:
    """The assignment form page; 400 when the posted form has errors."""
    page = render_template(
        "homework/assignment_form.html",
        form=form,
        classroom=classroom,
        assignment=assignment,
        sheet=sheet,
        label=label,
        sheets=list_sheets(),
        locked="mode" not in form,
        timezone=str(site_timezone()),
    )
    return page, 400 if form.errors or form.form_errors else 200


def _owned_class(class_id: int) -> Classroom:
    """The current instructor's class; anyone else's, or none, is a 404."""
    try:
        return classes.owned_class(current_user, class_id)
    except NotFound:
        abort(404)


def _owned_assignment(assignment_id: int) -> Assignment:
    """The current instructor's assignment; anyone else's, or none, is a 404."""
    try:
        return assignments.owned_assignment(current_user, assignment_id)
    except NotFound:
        abort(404)


# The student's side -------------------------------------------------------------------


@bp.get("/assignments/<int:assignment_id>")
@account_required
def assignment_page(assignment_id: int) -> ResponseReturnValue:
    """An assignment as the student sees it: when it closes, their attempts, start or resume."""
    assignment = _student_assignment(assignment_id)
    view = assignments.student_view(current_user, assignment)
    return render_template("homework/assignment.html", view=view, form=ActionForm())


@bp.post("/assignments/<int:assignment_id>/start")
@account_required
def start_assignment(assignment_id: int) -> ResponseReturnValue:
    """Start an attempt, or resume the one under way; then its first unanswered question."""
    assignment = _student_assignment(assignment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = assignments.start_or_resume(current_user, assignment.id)
    except Closed as refused:
        return refused_page(refused, assignment.id)
    db.session.commit()
    return redirect(url_for("study.quiz_question", attempt_id=attempt.id), code=303)


def _student_assignment(assignment_id: int) -> Assignment:
    """An assignment of one of the student's classes; any other, or none, is a 404."""
    try:
        return assignments.student_assignment(current_user, assignment_id)
    except NotFound:
        abort(404)
