"""The review queue's forms: its filters, and approving or rejecting ticked questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import AnyOf, InputRequired, Optional
from wtforms.widgets import HiddenInput

from ..row_ids import RowIds


class QueueFilterForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """The review queue's filters (a GET form: it changes nothing, so no CSRF token).

    Choices are filled in by the view; the empty value means any.
    """

    class Meta:
        csrf = False

    sheet = SelectField(_l("Sheet"), default="", validate_choice=True)
    revision = SelectField(_l("Revision"), default="", validate_choice=True)
    type = SelectField(_l("Type"), default="", validate_choice=True)
    tag = SelectField(_l("Topic"), default="", validate_choice=True)
    status = SelectField(_l("Status"), default="", validate_choice=True)
    stale = BooleanField(_l("Stale only"))
    page = IntegerField(widget=HiddenInput(), default=1, validators=[Optional()])


class BulkReviewForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """Approve or reject the ticked questions of the review queue."""

    question_ids = SelectMultipleField(coerce=int, validate_choice=False, validators=[RowIds()])
    action = StringField(validators=[InputRequired(), AnyOf(["approve", "reject"])])
