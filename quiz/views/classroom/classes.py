"""Classes: the instructor's classes, a class's roster and code; students join with the code.

Joining is rate-limited per account and per address, so a class code cannot be
found by trying codes one after the other (31^8 of them).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...class_models import Assignment, Classroom
from ...extensions import db, limiter
from ...ratelimit import configured
from ...services.classroom import assignments, classes
from ...services.errors import Invalid, NotFound
from ...services.study import deadlines
from ..forms import ActionForm
from ..owner import learner_key
from .assignment_forms import ClassForm, JoinForm
from .homework import account_required, bp, teacher_required

class_join_limit = configured("CLASS_JOIN_RATE_LIMIT", "10/minute")
class_join_address_limit = configured("CLASS_JOIN_ADDRESS_RATE_LIMIT", "60/minute")


# The instructor's side ----------------------------------------------------------------


@bp.route("/teach/classes", methods=["GET", "POST"])
@teacher_required
def teach_classes() -> ResponseReturnValue:
    """The instructor's classes, and the form of a new one."""
    form = ClassForm()
    if request.method == "POST":
        if form.validate_on_submit():
            classroom = classes.create_class(current_user, form.name.data)
            db.session.commit()
            flash(_("Class created: give your students its code."), "success")
            return redirect(url_for(".teach_class", class_id=classroom.id), code=303)
        if form.csrf_token.errors:
            abort(400)
    page = render_template(
        "homework/teach_classes.html", form=form, classes=classes.classes_owned_by(current_user)
    )
    return page, 400 if form.errors else 200


@bp.get("/teach/classes/<int:class_id>")
@teacher_required
def teach_class(class_id: int) -> ResponseReturnValue:
    """A class: its code and join link, its roster, its assignments."""
    classroom = _owned_class(class_id)
    return render_template(
        "homework/teach_class.html",
        classroom=classroom,
        code=classes.display_code(classroom.code),
        join_url=url_for(".my_classes", code=classroom.code, _external=True),
        roster=classes.roster(classroom),
        assignments=classroom.assignments,
        state_of=_state_now,
        form=ActionForm(),
    )


@bp.post("/teach/classes/<int:class_id>/students/<int:student_id>/remove")
@teacher_required
def teach_remove_student(class_id: int, student_id: int) -> ResponseReturnValue:
    """Take a student off the roster (their answers stay)."""
    classroom = _owned_class(class_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        classes.remove_student(classroom, student_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("The student was taken off the roster."), "success")
    return redirect(url_for(".teach_class", class_id=classroom.id), code=303)


def _owned_class(class_id: int) -> Classroom:
    """The current instructor's class; anyone else's, or none, is a 404."""
    try:
        return classes.owned_class(current_user, class_id)
    except NotFound:
        abort(404)


def _state_now(assignment: Assignment) -> str:
    """``upcoming``, ``open`` or ``closed`` by the server's clock."""
    return assignments.state_at(assignment, deadlines.now())


# The student's side -------------------------------------------------------------------


@bp.get("/classes")
@account_required
def my_classes() -> ResponseReturnValue:
    """The student's classes and their assignments, and the form to join one.

    ``?code=`` fills the form in: the join link a teacher shares.
    """
    form = JoinForm(formdata=None, code=request.args.get("code", "")[:40])
    return _classes_page(form)


@bp.post("/classes/join")
@account_required
@limiter.limit(class_join_limit, key=learner_key)
@limiter.limit(class_join_address_limit)
def join() -> ResponseReturnValue:
    """Join the class whose code was typed."""
    form = JoinForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _classes_page(form, 400)
    try:
        classroom = classes.join_class(current_user, form.code.data)
    except NotFound:
        form.code.errors.append(_("No class has this code: check it with your teacher."))
        return _classes_page(form, 404)
    except Invalid:
        if current_user.is_instructor:
            form.code.errors.append(_("Only student accounts join a class."))
        else:
            form.code.errors.append(_("A class code has 8 letters or digits, like ABCD-EFGH."))
        return _classes_page(form, 400)
    db.session.commit()
    flash(_("You joined the class “%(name)s”.", name=classroom.name), "success")
    return redirect(url_for(".my_classes"), code=303)


def _classes_page(form: JoinForm, status: int = 200) -> ResponseReturnValue:
    """The student's classes page with ``form`` as it stands."""
    views = assignments.assignments_of_student(current_user)
    by_class: dict[int, list[assignments.StudentView]] = {}
    for view in views:
        by_class.setdefault(view.assignment.class_id, []).append(view)
    page = render_template(
        "homework/my_classes.html",
        form=form,
        classes=classes.classes_of_student(current_user),
        by_class=by_class,
    )
    return page, status
