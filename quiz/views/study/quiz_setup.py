"""The new-quiz form: which sheet, which revision, how many questions, of what kind.

The sheet is picked first (``?sheet=<slug>``, a plain GET, or the only sheet);
the form then lists that sheet's revisions, newest first, each with its
question count, the latest checked. Every choice comes from a fixed list, so a
value outside it can only come from a tampered page: 400.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import ngettext

from ...models import Attempt
from ...services.errors import Invalid
from ...services.library.sheets import SheetListing
from ...services.study import attempts
from ..labels import PICKABLE_TOPICS, QUESTION_TYPES, topic_label, type_label
from ..owner import acting_owner
from .forms import QuizSetupForm

# Fields whose every value comes from a list the page offers.
CHOICE_FIELDS = ("sheet", "revision", "types", "tags", "csrf_token")


def chosen_sheet(summaries: Sequence[SheetListing]) -> SheetListing | None:
    """The sheet named by the request (``sheet`` in the query or the form), else the first."""
    slug = request.values.get("sheet")
    if not slug:
        return summaries[0] if summaries else None
    return next((sheet for sheet in summaries if sheet.slug == slug), None)


def revision_choices(sheet: SheetListing) -> list[tuple[str, str]]:
    """``(label, text)`` per revision, newest first; the text gives the question count."""
    choices = []
    for label, question_count in reversed(sheet.revisions.items()):
        count = ngettext("%(num)d question", "%(num)d questions", question_count)
        text = f"{label} · {count}"
        if label == sheet.latest_revision:
            text += " · " + _("latest")
        choices.append((label, text))
    return choices


def build_setup_form(
    summaries: Sequence[SheetListing],
) -> tuple[SheetListing, QuizSetupForm] | None:
    """The requested sheet and its form; ``None`` when no such sheet exists."""
    sheet = chosen_sheet(summaries)
    if sheet is None or not sheet.revisions:
        return None
    form = QuizSetupForm()
    form.revision.choices = revision_choices(sheet)
    form.types.choices = [(code, type_label(code)) for code in QUESTION_TYPES]
    form.tags.choices = [(code, topic_label(code)) for code in PICKABLE_TOPICS]
    if request.method == "GET":
        form.sheet.data = sheet.slug
        asked = request.args.get("revision")
        labels = [label for label, _text in form.revision.choices]
        form.revision.data = asked if asked in labels else labels[0]
        form.types.data = list(QUESTION_TYPES)
        form.tags.data = []
    return sheet, form


def start_from_form(form: QuizSetupForm) -> Attempt | None:
    """Start the attempt the posted form asks for; ``None`` (with errors set) if it cannot."""
    if not form.validate_on_submit():
        if any(form[name].errors for name in CHOICE_FIELDS if name in form):
            abort(400)
        return None
    if not form.types.data:
        form.types.errors = [_("Choose at least one type of question.")]
        return None
    types = None if set(form.types.data) == set(QUESTION_TYPES) else form.types.data
    tags = None if set(form.tags.data or ()) in (set(), set(PICKABLE_TOPICS)) else form.tags.data
    try:
        return attempts.start_attempt(
            acting_owner(),
            form.sheet.data,
            form.revision.data,
            count=form.count.data,
            types=types,
            tags=tags,
        )
    except Invalid:
        form.form_errors.append(
            _("No question matches these settings: choose more types or topics.")
        )
        return None
