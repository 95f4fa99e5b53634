"""Item analysis pages: one question's figures, and the answered questions with their flags.

The figures come from ``quiz.services.authoring.item_analysis`` (``item_statistics``
defines p, D and the flags); the review queue shows them compactly and links here.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ...services.authoring import approval, item_analysis
from ...services.errors import NotFound
from .blueprint import bp, instructor_required
from .exchange_forms import FLAG_NAMES, AnalysisFilterForm, analysis_filter_form
from .queue import STATUS_NAMES

FLAG_HINTS: dict[str, LazyString] = {
    item_analysis.TOO_EASY: _l("Nine answers in ten or more are right."),
    item_analysis.TOO_HARD: _l("One answer in five or fewer is right."),
    item_analysis.POOR_DISCRIMINATION: _l(
        "Strong learners do not do clearly better on it than weak ones (D below 0.2)."
    ),
}

# Statuses the queue does not name (versions replaced by an edit).
EXTRA_STATUS_NAMES: dict[str, LazyString] = {"superseded": _l("Superseded")}


def status_name(code: str) -> str:
    """A question status in the reader's language."""
    return str(STATUS_NAMES.get(code) or EXTRA_STATUS_NAMES.get(code) or code)


@bp.context_processor
def author_context() -> dict[str, Any]:
    """What every author page may show: the flags' names."""
    return {"flag_names": FLAG_NAMES}


@bp.get("/questions/<int:question_id>/analysis")
@instructor_required
def question_analysis(question_id: int) -> ResponseReturnValue:
    """One question's figures: p, D, its thirds, and how often each choice was given."""
    try:
        report = item_analysis.question_report(question_id)
    except NotFound:
        abort(404)
    return render_template(
        "author/analysis.html",
        report=report,
        overview=None,
        question=report.question,
        analysis=report.analysis,
        min_learners=item_analysis.MIN_LEARNERS,
        flag_names=FLAG_NAMES,
        flag_hints=FLAG_HINTS,
        status_name=status_name,
        queue_url=_queue_url(report),
    )


def _queue_url(report: item_analysis.QuestionReport) -> str | None:
    """The review queue page listing the question, scrolled to it (None: not listed)."""
    if report.queue_position is None:
        return None
    question = report.question
    return url_for(
        "author.questions",
        sheet=question.revision.sheet.slug,
        revision=question.revision.label,
        type=question.type,
        status=question.status,
        page=report.queue_position // approval.QUEUE_PAGE_SIZE + 1,
        _anchor=f"question-{question.id}",
    )


@bp.get("/analysis")
@instructor_required
def analysis_overview() -> ResponseReturnValue:
    """The answered questions with their figures; ``flag`` keeps the too easy, too hard, …."""
    form = analysis_filter_form(request.args)
    if not form.validate():
        return _overview_page(form, None), 400
    overview = item_analysis.overview(form.flag.data or None, form.page.data or 1)
    return _overview_page(form, overview)


def _overview_page(form: AnalysisFilterForm, overview: item_analysis.OverviewPage | None) -> str:
    """The overview page; ``overview`` is None when the filter was invalid."""
    return render_template(
        "author/analysis.html",
        form=form,
        report=None,
        overview=overview,
        flag=form.flag.data if overview is not None else "",
        min_learners=item_analysis.MIN_LEARNERS,
        flag_names=FLAG_NAMES,
        status_name=status_name,
    )
