"""The learner's forms: a new quiz's settings, one answer (Flask-WTF, lazy labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from ..forms import MultiCheckboxField
from ..row_ids import RowIds

QUIZ_LENGTH_DEFAULT, QUIZ_LENGTH_MAX = 10, 50


class QuizSetupForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """The settings of a new quiz on one sheet; choices are filled in by the view."""

    sheet = HiddenField()
    revision = RadioField(_l("Revision"), validate_choice=True)
    count = IntegerField(
        _l("Number of questions (at most)"),
        default=QUIZ_LENGTH_DEFAULT,
        validators=[
            InputRequired(message=_l("Give a number of questions.")),
            NumberRange(1, QUIZ_LENGTH_MAX, message=_l("Between %(min)d and %(max)d questions.")),
        ],
    )
    types = MultiCheckboxField(_l("Question types"))
    tags = MultiCheckboxField(_l("Topics"))


class AnswerForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """One answer: which question, and what the learner gave.

    The answer inputs depend on the question's type, so the view reads them
    from the request (see ``answers``); the form checks the token.
    """

    question_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), RowIds()])
