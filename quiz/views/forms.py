"""The web forms (Flask-WTF: every one carries a CSRF token).

Labels and messages are lazy so that they are translated per request, in the
language of whoever reads the page.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import AnyOf, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from .row_ids import RowIds

USERNAME_MIN, USERNAME_MAX = 3, 40
PASSWORD_MIN, PASSWORD_MAX = 8, 1000
QUIZ_LENGTH_DEFAULT, QUIZ_LENGTH_MAX = 10, 50


def strip(value: Any) -> Any:
    """Drop the spaces a phone keyboard likes to add around a name."""
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]  # WTForms is untyped
    """A group of checkboxes: several values of a fixed list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegisterForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """Create an account (a student; instructors are created on the command line)."""

    username = StringField(
        _l("Username"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Choose a username.")),
            Length(
                USERNAME_MIN,
                USERNAME_MAX,
                message=_l("Between %(min)d and %(max)d characters."),
            ),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Choose a password.")),
            Length(min=PASSWORD_MIN, message=_l("At least %(min)d characters.")),
            Length(max=PASSWORD_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class LoginForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """Log in with a username and a password."""

    username = StringField(
        _l("Username"),
        filters=[strip],
        validators=[InputRequired(message=_l("Enter your username."))],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Enter your password."))]
    )


class ActionForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A button that changes something (log out, retry, start a review): only the CSRF token."""


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
    from the request (see ``quiz.views.answers``); the form checks the token.
    """

    question_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), RowIds()])


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
