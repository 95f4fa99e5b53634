"""Shared quiz links: a quiz setup whose sheet, revision, count, types and topics are fixed.

An instructor fills in the usual quiz settings (the study pages' setup form)
and gets a link; whoever opens it sees those settings, which they cannot
change, and starts a quiz of their own with them (a visitor too). The settings
travel in the link, signed with the site's secret key: a link changed by hand
is refused (404), never read as other settings.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from ...extensions import db, limiter
from ...services.errors import Invalid, NotFound
from ...services.library.sheet_pages import find_revision
from ...services.library.sheets import list_sheets
from ...services.study import attempts
from ...services.study.drawing import revision_pool
from ..forms import ActionForm
from ..labels import PICKABLE_TOPICS, QUESTION_TYPES, topic_label, type_label
from ..owner import acting_owner, learner_key
from ..study.forms import QuizSetupForm
from ..study.pages import quiz_start_address_limit, quiz_start_limit
from ..study.quiz_setup import CHOICE_FIELDS, build_setup_form
from .homework import bp, teacher_required

SALT = "quiz.shared-setup"


def share_token(settings: dict[str, Any]) -> str:
    """The signed token of quiz settings (sheet, revision, count, types, tags)."""
    return str(_serializer().dumps(settings))


def read_token(token: str) -> dict[str, Any] | None:
    """The settings a token carries; None if it was not made here or was changed."""
    try:
        settings = _serializer().loads(token)
    except BadSignature:
        return None
    return settings if isinstance(settings, dict) else None


def _serializer() -> URLSafeSerializer:
    """Signs and reads the tokens, with the site's secret key."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


@bp.route("/teach/share-quiz", methods=["GET", "POST"])
@teacher_required
def teach_share_quiz() -> ResponseReturnValue:
    """The quiz setup form; posting it gives a link that fixes those settings."""
    sheets = list_sheets()
    if not sheets:
        return render_template("homework/share_quiz.html", form=None, sheets=sheets, link=None)
    chosen = build_setup_form(sheets)
    if chosen is None:
        abort(404)
    sheet, form = chosen
    link, status = None, 200
    if request.method == "POST":
        settings = _settings_from(form)
        if settings is None:
            status = 400
        else:
            link = url_for(".shared_quiz", token=share_token(settings), _external=True)
    page = render_template(
        "homework/share_quiz.html", form=form, sheet=sheet, sheets=sheets, link=link
    )
    return page, status


def _settings_from(form: QuizSetupForm) -> dict[str, Any] | None:
    """The settings the posted form fixes; None (errors set) if they would give no quiz."""
    if not form.validate_on_submit():
        if any(form[name].errors for name in CHOICE_FIELDS if name in form):
            abort(400)
        return None
    if not form.types.data:
        form.types.errors = [_("Choose at least one type of question.")]
        return None
    types = None if set(form.types.data) == set(QUESTION_TYPES) else sorted(form.types.data)
    tags = form.tags.data or []
    tags = None if set(tags) in (set(), set(PICKABLE_TOPICS)) else sorted(tags)
    revision = find_revision(form.sheet.data, form.revision.data)
    if not revision_pool(revision.id, types, tags):
        form.form_errors.append(
            _("No question matches these settings: choose more types or topics.")
        )
        return None
    return {
        "sheet": form.sheet.data,
        "revision": form.revision.data,
        "count": form.count.data,
        "types": types,
        "tags": tags,
    }


@bp.route("/quiz/shared/<token>", methods=["GET", "POST"])
@limiter.limit(quiz_start_limit, methods=["POST"], key=learner_key)
@limiter.limit(quiz_start_address_limit, methods=["POST"])
def shared_quiz(token: str) -> ResponseReturnValue:
    """The fixed settings of a shared quiz (GET), or a new quiz with them (POST)."""
    settings = read_token(token)
    if settings is None:
        abort(404)
    try:
        revision = find_revision(str(settings.get("sheet")), str(settings.get("revision")))
    except NotFound:
        abort(404)
    error = None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            attempt = attempts.start_attempt(
                acting_owner(),
                revision.sheet.slug,
                revision.label,
                count=settings.get("count"),  # type: ignore[arg-type]  # checked by the service
                types=settings.get("types"),
                tags=settings.get("tags"),
            )
        except Invalid:  # the sheet's questions changed since the link was made
            error = _("No question of the sheet matches these settings any more.")
        else:
            db.session.commit()
            return redirect(url_for("study.quiz_question", attempt_id=attempt.id), code=303)
    page = render_template(
        "homework/shared_quiz.html",
        revision=revision,
        settings=settings,
        type_names=[type_label(code) for code in settings.get("types") or QUESTION_TYPES],
        topic_names=[topic_label(code) for code in settings.get("tags") or ()],
        form=ActionForm(),
        error=error,
    )
    return page, 409 if error else 200
