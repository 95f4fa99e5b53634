"""The learner's pages: sheets to read, quizzes to take, progress and review.

Views stay thin: they read the request, call ``quiz.services``, commit once
when a service wrote, and render. ``NotFound`` from a service (an unknown
sheet, another owner's attempt) becomes the 404 page; a form only a tampered
page could send becomes the 400 page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...extensions import db, limiter
from ...models import Attempt, Question
from ...ratelimit import configured
from ...services.errors import AlreadyAnswered, Closed, Invalid, NotFound
from ...services.library.sheets import list_sheets, sheet_page
from ...services.study import attempts, stats
from ...services.study.spaced_review import due_for_review, start_review_attempt
from ..forms import ActionForm
from ..homework_refusals import refused_page
from ..labels import topic_label, type_label
from ..owner import acting_owner, current_owner, learner_key
from ..row_ids import row_id_from
from . import answers
from .forms import AnswerForm
from .highlight import parse_highlight, pieces_for, split_at
from .quiz_setup import build_setup_form, start_from_form
from .review_quiz import group_by_revision
from .svg import build_chart

bp = Blueprint("study", __name__)

# Each start writes an attempt: per learner, and per address for visitors who drop
# their cookie to start afresh (high enough for a class behind one address). The
# learner's limit is checked first, so one learner's flood does not use up the
# address's share of a class.
quiz_start_limit = configured("QUIZ_START_RATE_LIMIT", "10/minute")
quiz_start_address_limit = configured("QUIZ_START_ADDRESS_RATE_LIMIT", "60/minute")


@bp.record_once
def add_template_helpers(state: BlueprintSetupState) -> None:
    """Template globals (also seen by imported macros): evidence cuts, type and topic names."""
    state.app.jinja_env.globals.update(
        cut_evidence=split_at,
        evidence_pieces=pieces_for,
        type_label=type_label,
        topic_label=topic_label,
    )


# Sheets ------------------------------------------------------------------


@bp.get("/sheets")
def sheets() -> str:
    """Every sheet: title, language, latest revision, question count."""
    return render_template("study/sheets.html", sheets=list_sheets())


@bp.get("/sheets/<slug>")
@bp.get("/sheets/<slug>/revisions/<label>")
def sheet(slug: str, label: str | None = None) -> str:
    """A revision's text, paragraph by paragraph, with the evidence a link asks for marked."""
    try:
        page = sheet_page(slug, label)
    except NotFound:
        abort(404)
    highlight = parse_highlight(request.args.get("hl"))
    return render_template("study/sheet.html", page=page, highlight=highlight)


# Quizzes -----------------------------------------------------------------


@bp.route("/quiz/new", methods=["GET", "POST"])
@limiter.limit(quiz_start_limit, methods=["POST"], key=learner_key)
@limiter.limit(quiz_start_address_limit, methods=["POST"])
def quiz_new() -> ResponseReturnValue:
    """The settings of a new quiz; starting one redirects to its first question."""
    choices = list_sheets()
    if not choices:
        return render_template("study/quiz_new.html", form=None, sheets=choices)
    chosen = build_setup_form(choices)
    if chosen is None:
        abort(404)
    sheet, form = chosen
    if request.method == "POST":
        attempt = start_from_form(form)
        if attempt is not None:
            db.session.commit()
            return redirect(url_for(".quiz_question", attempt_id=attempt.id))
    status = 400 if form.errors or form.form_errors else 200
    page = render_template("study/quiz_new.html", form=form, sheet=sheet, sheets=choices)
    return page, status


@bp.route("/quiz/<int:attempt_id>", methods=["GET", "POST"])
def quiz_question(attempt_id: int) -> ResponseReturnValue:
    """The current question (GET), or its answer (POST, then the feedback page)."""
    attempt = _attempt_or_404(attempt_id)
    if request.method == "POST":
        return _answer(attempt)
    question = attempts.next_question(attempt)
    if question is None:
        return redirect(url_for(".quiz_summary", attempt_id=attempt.id))
    view = attempts.public_view(question)
    return _question_page(attempt, view)


def _answer(attempt: Attempt) -> ResponseReturnValue:
    """Score one answer once; a second submit of the same question shows the first verdict."""
    form = AnswerForm()
    if not form.validate_on_submit() or form.question_id.data not in attempt.question_ids:
        abort(400)
    question_id = form.question_id.data
    feedback_url = url_for(".quiz_feedback", attempt_id=attempt.id, question_id=question_id)
    if question_id in attempt.answered_ids:
        return redirect(feedback_url, code=303)  # the back button or a double click
    view = attempts.public_view(_question_of(attempt, question_id))
    try:
        given = answers.read_answer(view, request.form)
    except answers.TamperedAnswer:
        abort(400)
    except answers.MissingAnswer as missing:
        return _question_page(attempt, view, error=str(missing), status=400)
    try:
        error = _store_answer(attempt, view, given)
    except Closed as refused:  # an assignment's deadline passed: nothing was stored
        return refused_page(refused)
    if error:
        return _question_page(attempt, view, error=error, status=400)
    return redirect(feedback_url, code=303)


def _store_answer(attempt: Attempt, view: dict[str, Any], given: str | list[str]) -> str | None:
    """Submit and commit the answer; return what the learner must fix, if anything."""
    try:
        attempts.submit_answer(attempt, view["id"], given)
    except AlreadyAnswered:
        db.session.rollback()  # a concurrent submit won: its answer stands
    except Invalid:
        # The form checked everything but whether a numeric answer reads as a number.
        if view["type"] != "numeric":
            abort(400)
        return str(_("Type a number, in digits or in words."))
    except NotFound:
        abort(400)
    else:
        db.session.commit()
    return None


def _question_page(
    attempt: Attempt, view: dict[str, Any], error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """The question form; after a missing answer, the learner's input is kept."""
    order_rows = None
    if view["type"] == answers.ORDER_TYPE:
        if error:
            order_rows = answers.read_order_rows(view["choices"], request.form)
        else:
            order_rows = [answers.OrderRow(item, None) for item in view["choices"]]
    position = attempt.question_ids.index(view["id"]) + 1
    page = render_template(
        "study/question.html",
        attempt=attempt,
        question=view,
        position=position,
        total=len(attempt.question_ids),
        answered=len(attempt.answered_ids),
        form=AnswerForm(formdata=None, question_id=view["id"]),
        error=error,
        previous=request.form.get("answer", "") if error else "",
        order_rows=order_rows,
    )
    return page, status


@bp.get("/quiz/<int:attempt_id>/answers/<int:question_id>")
def quiz_feedback(attempt_id: int, question_id: int) -> ResponseReturnValue:
    """Right or wrong, the expected answer, and the sheet's words that prove it."""
    attempt = _attempt_or_404(attempt_id)
    if question_id not in attempt.answered_ids:
        if question_id in attempt.question_ids:
            return redirect(url_for(".quiz_question", attempt_id=attempt.id))
        abort(404)
    feedback = attempts.feedback_for(attempt, question_id)
    return render_template(
        "study/feedback.html",
        attempt=attempt,
        feedback=feedback,
        finished=attempt.finished,
        answered=len(attempt.answered_ids),
        total=len(attempt.question_ids),
    )


@bp.get("/quiz/<int:attempt_id>/summary")
def quiz_summary(attempt_id: int) -> str:
    """The score, the time taken, every question with its source, and a retry button."""
    attempt = _attempt_or_404(attempt_id)
    return render_template(
        "study/summary.html",
        attempt=attempt,
        summary=attempts.summary(attempt),
        form=ActionForm(),
    )


@bp.post("/quiz/<int:attempt_id>/retry")
@limiter.limit(quiz_start_limit, key=learner_key)
@limiter.limit(quiz_start_address_limit)
def quiz_retry(attempt_id: int) -> ResponseReturnValue:
    """A new attempt on the questions this one got wrong."""
    attempt = _attempt_or_404(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        retry = attempts.retry_mistakes(acting_owner(), attempt)
    except Invalid:
        flash(_("No mistakes to retry in this quiz: well done!"), "info")
        return redirect(url_for(".quiz_summary", attempt_id=attempt.id))
    db.session.commit()
    return redirect(url_for(".quiz_question", attempt_id=retry.id))


def _attempt_or_404(attempt_id: int) -> Attempt:
    """The request owner's attempt; anybody else's, or none, is a 404."""
    owner = current_owner()
    if owner is None:
        abort(404)
    try:
        return attempts.get_attempt(owner, attempt_id)
    except NotFound:
        abort(404)


def _question_of(attempt: Attempt, question_id: int) -> Question:
    """The question row with that id, already checked to be one of the attempt's."""
    question = db.session.get(Question, question_id)
    if question is None or question_id not in attempt.question_ids:
        abort(400)
    return question


# Progress and review -----------------------------------------------------


@bp.get("/progress")
def progress() -> str:
    """Answers, accuracy overall, per sheet and per topic, the chart, the streak."""
    owner = current_owner()
    learner = stats.learner_stats(owner) if owner else None
    chart = build_chart(learner.by_day) if learner else None
    return render_template("study/progress.html", stats=learner, chart=chart)


@bp.get("/review")
def review() -> str:
    """The questions the spaced-repetition schedule says are due today, by sheet revision."""
    owner = current_owner()
    groups = group_by_revision(due_for_review(owner)) if owner else []
    return render_template("study/review.html", groups=groups, form=ActionForm())


@bp.post("/review")
@limiter.limit(quiz_start_limit, key=learner_key)
@limiter.limit(quiz_start_address_limit)
def review_start() -> ResponseReturnValue:
    """A quiz on the due questions of one revision (an attempt covers one revision)."""
    revision_id = row_id_from(request.form.get("revision"))
    if not ActionForm().validate_on_submit() or revision_id is None:
        abort(400)
    owner = current_owner()
    if owner is None:  # a visitor who never answered: nothing can be due
        return _nothing_to_review()
    try:
        attempt = start_review_attempt(owner, revision_id)
    except NotFound:
        abort(404)
    except Invalid:  # answered or no longer due since the page was shown
        return _nothing_to_review()
    db.session.commit()
    return redirect(url_for(".quiz_question", attempt_id=attempt.id))


def _nothing_to_review() -> ResponseReturnValue:
    """Back to the review page, saying why no quiz started."""
    flash(_("Nothing left to review there: well done!"), "info")
    return redirect(url_for(".review"))
