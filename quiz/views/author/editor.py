"""The question editor: write or edit a question of any type, pick its evidence, approve it.

- ``/author/questions/new``: choose a sheet revision and a type;
  ``/author/sheets/<slug>/revisions/<label>/questions/new?type=…``: the blank editor.
- ``/author/questions/<id>``: the question, its automatic checks and its versions.
- ``/author/questions/<id>/edit``: the editor; saving an approved or answered
  question makes a new draft version (``services.authoring.editing``).
- ``/author/questions/<id>/approve``: approve that version if it passes every check.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import db
from ...models import Question, Revision, as_utc
from ...services.authoring import approval, editing
from ...services.errors import Invalid, NotFound
from ...services.library.sheet_pages import find_revision
from ...services.study import feedback
from ..forms import ActionForm
from ..labels import QUESTION_TYPES
from .blueprint import bp, instructor_required
from .check_labels import CHECK_NAMES, check_message
from .editor_base import QuestionForm
from .editor_forms import FORMS, editor_form
from .queue import STATUS_NAMES, flash_approved_elsewhere

EDITOR_STATUS_NAMES: dict[str, LazyString] = {**STATUS_NAMES, "superseded": _l("Superseded")}


# Pages ------------------------------------------------------------------------------


@bp.get("/questions/new")
@instructor_required
def choose_new_question() -> ResponseReturnValue:
    """Where a new question goes: every sheet's revisions, each with the six types."""
    sheets = editing.sheets_with_revisions()
    return render_template("author/edit.html", form=None, sheets=sheets, revision=None, **_labels())


@bp.route("/sheets/<slug>/revisions/<label>/questions/new", methods=["GET", "POST"])
@instructor_required
def new_question(slug: str, label: str) -> ResponseReturnValue:
    """The blank editor for a question of ``?type=`` in this revision; saving makes a draft."""
    revision = _revision_or_404(slug, label)
    question_type = request.args.get("type")
    if question_type is None:
        return render_template(
            "author/edit.html", form=None, sheets=None, revision=revision, **_labels()
        )
    if question_type not in FORMS:
        abort(404)
    paragraphs = editing.editable_paragraphs(revision)
    posted = request.method == "POST"
    form = editor_form(question_type, paragraphs, submitted=posted, lang=revision.sheet.lang)
    if not posted:
        return _editor_page(form, revision, None)
    if not form.validate_on_submit():
        return _editor_page(form, revision, None), 400
    try:
        question = editing.create_question(revision, form.content(), current_user.id)
    except Invalid:
        abort(400)  # the form already refused any other paragraph: a race with an import
    db.session.commit()
    flash(_("Question saved as a draft. Approve it once every check passes."), "success")
    return redirect(url_for(".question_detail", question_id=question.id), code=303)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit_question(question_id: int) -> ResponseReturnValue:
    """The editor on a stored question; an older version opens its newest one instead."""
    question = _question_or_404(question_id)
    head = editing.head_version(question)
    posted = request.method == "POST"
    if not posted and head.id != question.id:
        flash(_("This is an earlier version: here is the newest one."), "warning")
        return redirect(url_for(".edit_question", question_id=head.id))
    paragraphs = editing.editable_paragraphs(question.revision, question.paragraph)
    form = editor_form(question.type, paragraphs, question, submitted=posted)
    if not posted:
        form.stamp.data = editing.stamp(question)
        return _editor_page(form, question.revision, question)
    if not form.validate_on_submit():
        return _editor_page(form, question.revision, question), 400
    try:
        outcome = editing.edit_question(
            question, form.content(), current_user.id, form.stamp.data or ""
        )
    except editing.EditConflict as conflict:
        return _editor_page(form, question.revision, question, conflict.current), 409
    except Invalid:
        abort(400)
    db.session.commit()
    flash(_edit_message(outcome), "success")
    return redirect(url_for(".question_detail", question_id=outcome.question.id), code=303)


@bp.get("/questions/<int:question_id>")
@instructor_required
def question_detail(question_id: int) -> ResponseReturnValue:
    """One question: as learners see it, its source, its checks and its versions."""
    question = _question_or_404(question_id)
    evidence = question.paragraph.text[question.evidence_start : question.evidence_end]
    return render_template(
        "author/question.html",
        question=question,
        # As the learner's feedback prints them: nothing the page already says.
        explanation=feedback.explanation_to_show(question.explanation, evidence),
        also_accepted=feedback.accepted_to_show(question.answer, question.accepted),
        checks=approval.question_checks(question),
        head=editing.head_version(question),
        served=editing.served_version(question),
        history=_history_rows(question),
        **_labels(),
    )


@bp.post("/questions/<int:question_id>/approve")
@instructor_required
def approve_question(question_id: int) -> ResponseReturnValue:
    """Approve this version (the newest, a draft passing every check); learners then get it."""
    question = _question_or_404(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = editing.approve_version(question)
    db.session.commit()
    if outcome.changed:
        approved = _("Version %(version)d approved: learners get it now.", version=question.version)
        flash(approved, "success")
        flash_approved_elsewhere(outcome)
    elif question.id in outcome.refused:
        reasons = "; ".join(check_message(failure) for failure in outcome.refused[question.id])
        flash(_("Not approved: %(reasons)s", reasons=reasons), "warning")
    else:
        flash(_("Only the newest version, as a draft, can be approved."), "warning")
    return redirect(url_for(".question_detail", question_id=question.id), code=303)


# Helpers ----------------------------------------------------------------------------


def _question_or_404(question_id: int) -> Question:
    """The question with this id, or the 404 page."""
    try:
        return editing.get_question(question_id)
    except NotFound:
        abort(404)


def _revision_or_404(slug: str, label: str) -> Revision:
    """The sheet's revision with this label, or the 404 page."""
    try:
        return find_revision(slug, label)
    except NotFound:
        abort(404)


def _editor_page(
    form: QuestionForm,
    revision: Revision,
    question: Question | None,
    conflict: Question | None = None,
) -> str:
    """The editor page; ``conflict`` is the newest version when the save came too late."""
    checks = approval.question_checks(question) if question is not None else []
    return render_template(
        "author/edit.html",
        form=form,
        revision=revision,
        question=question,
        question_type=form.type,
        paragraph_texts=form.sources,
        evidence=_current_evidence(form),
        checks=checks,
        approvable=question is not None and all(check.ok for check in checks),
        is_head=question is None or editing.is_head(question),
        conflict=conflict,
        **_labels(),
    )


def _current_evidence(form: QuestionForm) -> dict[str, Any]:
    """The paragraph the form cites and its span, for the page without JavaScript."""
    return picker_evidence(
        form.sources, form.paragraph.data, form.evidence_start.data, form.evidence_end.data
    )


def picker_evidence(
    sources: list[dict[str, Any]], paragraph_id: Any, start: Any, end: Any
) -> dict[str, Any]:
    """What the evidence picker shows before any script runs: the chosen paragraph of
    ``sources`` (``{id, text, lang}``; the first if none is chosen) and its span, if valid."""
    source = next((s for s in sources if s["id"] == paragraph_id), None)
    source = source or (sources[0] if sources else {"text": "", "lang": ""})
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        start = end = -1
    return {**source, "start": start, "end": end, "span": source["text"][start:end]}


def _history_rows(question: Question) -> list[dict[str, Any]]:
    """The question's versions, oldest first, dated in the reader's language."""
    return [
        {
            "question": entry.question,
            "when": format_datetime(as_utc(entry.when), "medium"),
            "editor": entry.editor,
            "answers": entry.answers,
        }
        for entry in editing.history(question)
    ]


def _labels() -> dict[str, Any]:
    """What both editor pages use to name checks, statuses and types."""
    return {
        "check_names": CHECK_NAMES,
        "check_message": check_message,
        "status_names": EDITOR_STATUS_NAMES,
        "question_types": QUESTION_TYPES,
        "action_form": ActionForm(formdata=None),
    }


def _edit_message(outcome: editing.EditOutcome) -> str:
    """What the flash says after a save."""
    if not outcome.changed:
        return str(_("Nothing changed."))
    if outcome.new_version:
        return str(
            _(
                "Saved as version %(version)d, a draft: learners keep the approved version"
                " until you approve this one.",
                version=outcome.question.version,
            )
        )
    return str(_("Saved."))
