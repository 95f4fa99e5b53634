"""Live sessions' pages, blueprint ``classroom``: the instructor's side, under ``/teach/live``.

Only instructors reach these pages (``instructor_required``: a visitor is sent
to log in, a student gets the 403 page), and only their own sessions (another
instructor's is a 404). The projector page is drawn by the server for the
session's current version; its script (``static/live-projector.js``) counts
down from the server's deadline, shows who joined and who answered, and
reloads the page when the version changes. Each button is a plain form that
sends the version the page showed, so a double click moves the session once:
the second gets the page again with a 409 and the reason.

The players' pages (join, play) are in ``live_play``.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...live_models import LiveSession
from ...models import User
from ...services.classroom import participants, results, sessions, state
from ...services.classroom.answers import grace_seconds
from ...services.classroom.codes import display_code
from ...services.classroom.errors import Conflict
from ...services.classroom.history import recent_sessions
from ...services.classroom.push import hub_for
from ...services.errors import NotFound
from ...services.library.sheets import list_sheets
from ..author.blueprint import instructor_required
from ..forms import ActionForm
from .live_forms import ControlForm
from .live_setup import build_session_form, create_from_form

bp = Blueprint("classroom", __name__)

CONTROLS = {
    "start": sessions.start,
    "next": sessions.advance,
    "reveal": sessions.reveal,
    "leaderboard": sessions.show_leaderboard,
    "pause": sessions.pause,
    "resume": sessions.resume,
    "skip": sessions.skip,
    "end": sessions.end,
}
NO_STORE = {"Cache-Control": "no-store"}


@bp.app_template_filter("join_code")
def join_code(code: str) -> str:
    """A join code as the pages show it: ``ABCD-EFGH``."""
    return display_code(code)


def _instructor() -> User:
    """The logged-in instructor (``instructor_required`` let them through)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _owned(session_id: int) -> LiveSession:
    """The instructor's session; 404 for another's or none."""
    try:
        return sessions.owned_session(_instructor(), session_id)
    except NotFound:
        abort(404)


def join_link(code: str) -> str:
    """The address phones open (the QR code's), with the site's host."""
    return url_for("classroom.join_page", code=code, _external=True)


def announce(session: LiveSession) -> None:
    """Tell the event streams of every worker that the session changed (after the commit)."""
    hub_for(current_app._get_current_object()).announce(session.id, session.version)  # type: ignore[attr-defined]


@bp.get("/teach/live")
@instructor_required
def sessions_page() -> str:
    """The instructor's live sessions, newest first, and the button to make one."""
    return render_template("classroom/live_sessions.html", rows=recent_sessions(_instructor()))


@bp.route("/teach/live/new", methods=["GET", "POST"])
@instructor_required
def new_session() -> ResponseReturnValue:
    """The settings of a new session; making one opens its lobby on the projector page."""
    choices = list_sheets()
    if not choices:
        return render_template("classroom/live_new.html", form=None, sheets=choices)
    chosen = build_session_form(choices)
    if chosen is None:
        abort(404)
    sheet, form = chosen
    if request.method == "POST":
        session = create_from_form(_instructor(), form)
        if session is not None:
            db.session.commit()
            return redirect(url_for(".projector", session_id=session.id), code=303)
    status = 400 if form.errors or form.form_errors else 200
    page = render_template("classroom/live_new.html", form=form, sheet=sheet, sheets=choices)
    return page, status


@bp.get("/teach/live/<int:session_id>")
@instructor_required
def projector(session_id: int) -> ResponseReturnValue:
    """The projector: lobby, question, reveal, leaderboard or the end, as the session is now."""
    return _projector_page(_owned(session_id))


def _projector_page(
    session: LiveSession, refusal: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """The projector page of the session's current state (with a refused action's reason)."""
    live = state.instructor_state(session)
    page = render_template(
        "classroom/live_projector.html",
        live=live,
        join_url=join_link(session.code),
        refusal=refusal,
        grace_ms=int(grace_seconds() * 1000),
    )
    return page, status, NO_STORE


@bp.get("/teach/live/<int:session_id>/state.json")
@instructor_required
def projector_state(session_id: int) -> ResponseReturnValue:
    """The projector's state as JSON (who joined, how many answered), for its script."""
    return state.instructor_state(_owned(session_id)), 200, NO_STORE


@bp.post("/teach/live/<int:session_id>/control")
@instructor_required
def control(session_id: int) -> ResponseReturnValue:
    """One button: start, next, reveal, leaderboard, pause, resume, skip or end."""
    session = _owned(session_id)
    form = ControlForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        CONTROLS[form.action.data](session, form.version.data)
    except Conflict as refusal:
        db.session.rollback()
        return _projector_page(session, str(refusal), 409)
    db.session.commit()
    announce(session)
    return redirect(url_for(".projector", session_id=session.id), code=303)


@bp.post("/teach/live/<int:session_id>/participants/<int:participant_id>/remove")
@instructor_required
def remove_participant(session_id: int, participant_id: int) -> ResponseReturnValue:
    """Remove a nickname: its phone is told, and it leaves the ranking."""
    session = _owned(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        participants.remove_participant(session, participant_id)
    except NotFound:
        abort(404)
    db.session.commit()
    announce(session)
    return redirect(url_for(".projector", session_id=session.id), code=303)


@bp.get("/teach/live/<int:session_id>/qr.svg")
@instructor_required
def qr_code(session_id: int) -> ResponseReturnValue:
    """The join link as a QR code (SVG, black on white whatever the theme)."""
    session = _owned(session_id)
    buffer = io.BytesIO()
    segno.make(join_link(session.code), error="m").save(
        buffer, kind="svg", border=2, dark="#000", light="#fff", xmldecl=False, omitsize=True
    )
    headers = {"Cache-Control": "private, max-age=3600"}
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers=headers)


@bp.get("/teach/live/<int:session_id>/results")
@instructor_required
def results_page(session_id: int) -> str:
    """Results per student and per question, with the CSV link."""
    session = _owned(session_id)
    return render_template(
        "classroom/live_results.html", session=session, results=results.session_results(session)
    )


@bp.get("/teach/live/<int:session_id>/results/<int:participant_id>")
@instructor_required
def participant_page(session_id: int, participant_id: int) -> str:
    """One student's answers, question by question."""
    session = _owned(session_id)
    found = results.session_results(session)
    student = next((row for row in found["participants"] if row["id"] == participant_id), None)
    if student is None:
        abort(404)
    prompts: dict[int, Any] = {row["id"]: row for row in found["questions"]}
    return render_template(
        "classroom/live_student.html",
        session=session,
        student=student,
        answers=results.participant_answers(session, participant_id),
        questions=prompts,
    )


@bp.get("/teach/live/<int:session_id>/results.csv")
@instructor_required
def results_csv(session_id: int) -> ResponseReturnValue:
    """The results as a CSV file (one line per student)."""
    session = _owned(session_id)
    name = _("live-session-%(code)s.csv", code=session.code)
    return Response(
        results.results_csv(session),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
