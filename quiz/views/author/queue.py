"""The review queue: questions filtered, with their automatic checks; bulk approve/reject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...services.authoring import approval, item_analysis
from ..labels import topic_label, type_label
from .blueprint import bp, instructor_required
from .check_labels import CHECK_NAMES, check_message
from .queue_forms import BulkReviewForm, QueueFilterForm

STATUS_NAMES: dict[str, LazyString] = {
    "draft": _l("Draft"),
    "approved": _l("Approved"),
    "retired": _l("Retired"),
}

FILTER_FIELDS = ("sheet", "revision", "type", "tag", "status", "stale")
# The queue is work to do: it opens on drafts. "Any" status is an explicit empty ``status=``.
DEFAULT_STATUS = "draft"


@bp.get("/questions")
@instructor_required
def questions() -> ResponseReturnValue:
    """The review queue: filtered, paginated, each question with its source and its checks."""
    filters_form = _filter_form()
    if not filters_form.validate():
        return _queue_page(filters_form, None), 400
    filters = approval.QueueFilters(
        sheet=filters_form.sheet.data or None,
        revision=filters_form.revision.data or None,
        type=filters_form.type.data or None,
        tag=filters_form.tag.data or None,
        status=filters_form.status.data or None,
        stale=bool(filters_form.stale.data),
    )
    queue = approval.review_queue(filters, filters_form.page.data or 1)
    return _queue_page(filters_form, queue)


@bp.post("/questions")
@instructor_required
def review() -> ResponseReturnValue:
    """Approve or reject the ticked questions (one commit); a failing question stays as it is."""
    form = BulkReviewForm()
    if not form.validate_on_submit():
        abort(400)
    if form.action.data == "approve":
        outcome = approval.approve(form.question_ids.data)
        count = len(outcome.changed)
        done = ngettext("%(num)d question approved.", "%(num)d questions approved.", count)
    else:
        outcome = approval.reject(form.question_ids.data)
        count = len(outcome.changed)
        done = ngettext(
            "%(num)d question sent back to draft.", "%(num)d questions sent back to draft.", count
        )
    db.session.commit()
    flash(done, "success")
    flash_approved_elsewhere(outcome)
    for question_id, failures in outcome.refused.items():
        reasons = "; ".join(check_message(failure) for failure in failures)
        flash(
            _("Question %(id)d not approved: %(reasons)s", id=question_id, reasons=reasons),
            "warning",
        )
    kept: dict[str, Any] = _kept_filters()
    if request.args.get("page"):
        kept["page"] = request.args["page"]
    return redirect(url_for(".questions", **kept), code=303)


def _kept_filters() -> dict[str, str]:
    """The filters of the query string to keep in links: those set, and the status even
    when empty (any status), since without it the queue shows drafts only."""
    return {
        name: request.args[name]
        for name in FILTER_FIELDS
        if request.args.get(name) or (name == "status" and name in request.args)
    }


def flash_approved_elsewhere(outcome: approval.ReviewOutcome) -> None:
    """Say which other revisions an approved edit reached (a pending edit a new
    revision carried along is approved in both: learners of either get it)."""
    for question_id, labels in outcome.also_in.items():
        flash(
            _(
                "Question %(id)d: the same edit is approved in revision %(labels)s too.",
                id=question_id,
                labels=", ".join(labels),
            ),
            "success",
        )


def _filter_form() -> QueueFilterForm:
    """The filter form read from the query string, its choices those present in the database."""
    form = QueueFilterForm(formdata=request.args)
    options = approval.filter_options()
    any_value = ("", _("Any"))
    labels: dict[str, Callable[[str], str]] = {
        "type": type_label,
        "tag": topic_label,
        "status": lambda code: str(STATUS_NAMES.get(code, code)),
    }
    for name, values in options.items():
        label = labels.get(name, str)
        getattr(form, name).choices = [any_value, *((value, label(value)) for value in values)]
    if "status" not in request.args:
        form.status.data = DEFAULT_STATUS
    return form


def _queue_page(filters_form: QueueFilterForm, queue: approval.QueuePage | None) -> str:
    """The review queue page; ``queue`` is None when the filters were invalid."""
    query = _kept_filters()
    return render_template(
        "author/questions.html",
        filters=filters_form,
        queue=queue,
        query=query,
        form=BulkReviewForm(formdata=None),
        check_names=CHECK_NAMES,
        check_message=check_message,
        status_names=STATUS_NAMES,
        # p, D and flags per question: a few queries for the whole page.
        analyses=item_analysis.analyse(item.question.id for item in queue.items) if queue else {},
    )
