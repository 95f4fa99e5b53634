"""Stale questions: carry each forward (re-pointed, or citing its old revision), or retire it.

The list shows each open stale question with its old evidence and the
closest paragraphs of the latest revision; every decision is a POST form
(CSRF) answered by a redirect (303). Deciding twice (a double submit) changes
nothing and says so.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...extensions import db
from ...services.authoring import stale as stale_service
from ...services.errors import NotFound
from ..forms import ActionForm
from .blueprint import bp, instructor_required
from .editor import picker_evidence
from .sheet_forms import RepointForm

EXCERPT_LENGTH = 90

SPAN_REASONS: dict[str, LazyString] = {
    stale_service.NOT_A_CHOICE: _l("Choose a paragraph of the latest revision."),
    stale_service.ORDER_QUESTION: _l("An ordering question cites several paragraphs."),
    stale_service.START_OUTSIDE: _l("The start lies outside the paragraph."),
    stale_service.END_OUTSIDE: _l("The end must come after the start, inside the paragraph."),
    stale_service.ANSWER_OUTSIDE: _l("The answer is not inside this span."),
}


@bp.get("/sheets/<slug>/stale")
@instructor_required
def stale(slug: str) -> ResponseReturnValue:
    """The sheet's open stale questions (``?revision=`` for one revision's), a page at a time."""
    try:
        listing = _listing(slug)
    except NotFound:
        abort(404)
    return _stale_page(listing)


@bp.post("/sheets/<slug>/stale/<int:question_id>/repoint")
@instructor_required
def stale_repoint(slug: str, question_id: int) -> ResponseReturnValue:
    """Carry a stale question into the latest revision, citing a span of one of its paragraphs."""
    form = RepointForm(prefix=_prefix(question_id))
    if not form.validate():
        if "csrf_token" in form.errors:
            abort(400)
        return _refused(slug, question_id, form)
    try:
        copy = stale_service.carry_repointed(
            question_id, form.paragraph.data, form.start.data, form.end.data, current_user.id, slug
        )
    except NotFound:
        abort(404)
    except stale_service.AlreadyDecided:
        return _already_decided(slug, question_id)
    except stale_service.SpanRejected as error:
        db.session.rollback()
        for field, reason in error.errors.items():
            getattr(form, field).errors.append(str(SPAN_REASONS.get(reason, reason)))
        return _refused(slug, question_id, form)
    db.session.commit()
    label = copy.revision.label
    if copy.status == "approved":
        done = _(
            "Question %(id)d carried forward to revision %(label)s, approved.",
            id=question_id,
            label=label,
        )
    else:
        done = _(
            "Question %(id)d carried forward to revision %(label)s as a draft to review.",
            id=question_id,
            label=label,
        )
    flash(done, "success")
    return _back(slug)


@bp.post("/sheets/<slug>/stale/<int:question_id>/keep")
@instructor_required
def stale_keep(slug: str, question_id: int) -> ResponseReturnValue:
    """Carry a stale question into the latest revision, still citing its old revision."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        copy = stale_service.carry_citing_old(question_id, current_user.id, slug)
    except NotFound:
        abort(404)
    except stale_service.AlreadyDecided:
        return _already_decided(slug, question_id)
    db.session.commit()
    cited = copy.paragraph.revision.label
    flash(
        _(
            "Question %(id)d carried forward to revision %(label)s; it still cites revision"
            " %(cited)s.",
            id=question_id,
            label=copy.revision.label,
            cited=cited,
        ),
        "success",
    )
    return _back(slug)


@bp.post("/sheets/<slug>/stale/<int:question_id>/retire")
@instructor_required
def stale_retire(slug: str, question_id: int) -> ResponseReturnValue:
    """Retire a stale question: learners never see it again."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        stale_service.retire(question_id, current_user.id, slug)
    except NotFound:
        abort(404)
    except stale_service.AlreadyDecided:
        return _already_decided(slug, question_id)
    db.session.commit()
    flash(_("Question %(id)d retired.", id=question_id), "success")
    return _back(slug)


def _listing(slug: str, showing: int | None = None) -> stale_service.StaleList:
    """The page of stale questions the query string asks for (or the one ``showing`` is on)."""
    label = request.args.get("revision") or None
    page = request.args.get("page", 1, type=int) or 1
    return stale_service.stale_list(slug, label, page, showing)


def _prefix(question_id: int) -> str:
    """Each question's re-point form has its own field names (and ids) on the page."""
    return f"q{question_id}"


def _repoint_form(item: stale_service.StaleItem, targets: list[Any]) -> RepointForm:
    """The re-point form of ``item``, on the best candidate and its suggested span."""
    best = item.best
    values: dict[str, Any] = {}
    if best is not None:
        start, end = best.span or (0, len(best.paragraph.text))
        values = {"paragraph": best.paragraph.id, "start": start, "end": end}
    form = RepointForm(formdata=None, prefix=_prefix(item.question.id), **values)
    form.paragraph.choices = _paragraph_choices(targets)
    return form


def _paragraph_choices(paragraphs: list[Any]) -> list[SelectChoice]:
    """The paragraphs as the select names them: their number and their first words."""
    choices = []
    for paragraph in paragraphs:
        text = " ".join(paragraph.text.split())
        if len(text) > EXCERPT_LENGTH:
            text = text[: EXCERPT_LENGTH - 1].rstrip() + "…"
        choices.append(SelectChoice(paragraph.id, f"¶{paragraph.index + 1} · {text}"))
    return choices


def _stale_page(
    listing: stale_service.StaleList, failed: tuple[int, RepointForm] | None = None
) -> str:
    """The stale list; ``failed`` is a question's refused re-point form, shown with its errors."""
    forms = {item.question.id: _repoint_form(item, listing.targets) for item in listing.items}
    if failed is not None:
        question_id, form = failed
        form.paragraph.choices = _paragraph_choices(listing.targets)
        forms[question_id] = form
    # The evidence picker's paragraphs, embedded as the editor does (author/_evidence_picker.html).
    sources = [{"id": p.id, "text": p.text, "lang": p.lang} for p in listing.targets]
    evidence = {
        question_id: picker_evidence(sources, form.paragraph.data, form.start.data, form.end.data)
        for question_id, form in forms.items()
    }
    return render_template(
        "author/stale.html",
        listing=listing,
        forms=forms,
        evidence=evidence,
        paragraph_texts=sources,
        query=_list_query(),
    )


def _refused(slug: str, question_id: int, form: RepointForm) -> ResponseReturnValue:
    """The stale list again, the refused form showing why (400)."""
    try:
        listing = _listing(slug, showing=question_id)
    except NotFound:
        abort(404)
    if not any(item.question.id == question_id for item in listing.items):
        abort(404)  # not an open stale question of this sheet
    return _stale_page(listing, failed=(question_id, form)), 400


def _already_decided(slug: str, question_id: int) -> ResponseReturnValue:
    """A second decision about the same question: nothing changes, the list says so."""
    db.session.rollback()
    flash(_("Question %(id)d was already carried forward or retired.", id=question_id), "info")
    return _back(slug)


def _back(slug: str) -> ResponseReturnValue:
    """Back to the stale list the form was posted from (303)."""
    return redirect(url_for(".stale", slug=slug, **_list_query()), code=303)


def _list_query() -> dict[str, Any]:
    """The stale list's place in the query string: its revision filter and page, when given."""
    return {name: request.args[name] for name in ("revision", "page") if request.args.get(name)}
