"""The new live session form: which sheet and revision, how many questions, how long, how scored.

The sheet is picked first (``?sheet=<slug>``, as on the new quiz page); the
form then lists its revisions. Choices outside the lists offered can only
come from a tampered page: 400. A setting no question matches, or a
hand-picked number that is not an approved question of the revision, is the
instructor's to fix: the form again, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, request
from flask_babel import gettext as _

from ...live_models import LiveSession
from ...models import User
from ...services.classroom import sessions
from ...services.errors import Invalid, NotFound
from ...services.library.sheets import SheetListing
from ..labels import PICKABLE_TOPICS, QUESTION_TYPES, topic_label, type_label
from ..study.quiz_setup import chosen_sheet, revision_choices
from .live_forms import SCORING_CHOICES, LiveSessionForm, picked_ids

# Fields whose every value comes from a list the page offers.
CHOICE_FIELDS = ("sheet", "revision", "scoring", "types", "tags", "csrf_token")


def build_session_form(
    summaries: Sequence[SheetListing],
) -> tuple[SheetListing, LiveSessionForm] | None:
    """The requested sheet and its form; ``None`` when no such sheet exists."""
    sheet = chosen_sheet(summaries)
    if sheet is None or not sheet.revisions:
        return None
    form = LiveSessionForm()
    form.revision.choices = revision_choices(sheet)
    form.scoring.choices = SCORING_CHOICES
    form.types.choices = [(code, type_label(code)) for code in QUESTION_TYPES]
    form.tags.choices = [(code, topic_label(code)) for code in PICKABLE_TOPICS]
    if request.method == "GET":
        form.sheet.data = sheet.slug
        form.revision.data = form.revision.choices[0][0]
        form.types.data = list(QUESTION_TYPES)
        form.tags.data = []
    return sheet, form


def create_from_form(owner: User, form: LiveSessionForm) -> LiveSession | None:
    """The session the posted form asks for; ``None`` (with errors set) if it cannot be made."""
    if not form.validate_on_submit():
        if any(form[name].errors for name in CHOICE_FIELDS if name in form):
            abort(400)
        return None
    try:
        picked = picked_ids(form.picked.data)
    except ValueError:
        form.picked.errors = [_("Type question numbers separated by commas or spaces.")]
        return None
    if not form.types.data and picked is None:
        form.types.errors = [_("Choose at least one type of question.")]
        return None
    types = None if set(form.types.data) == set(QUESTION_TYPES) else form.types.data
    tags = None if set(form.tags.data or ()) in (set(), set(PICKABLE_TOPICS)) else form.tags.data
    try:
        return sessions.create_session(
            owner,
            form.sheet.data,
            revision_label=form.revision.data,
            count=form.count.data,
            seconds=form.seconds.data,
            scoring=form.scoring.data,
            types=types,
            tags=tags,
            question_ids=picked,
        )
    except NotFound:
        abort(404)  # the sheet or revision went away since the page was shown
    except Invalid as refusal:
        (form.picked.errors if picked else form.form_errors).append(str(refusal))
        return None
