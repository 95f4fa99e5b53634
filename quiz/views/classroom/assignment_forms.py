"""The homework forms: a new class, joining one, an assignment (Flask-WTF, CSRF on).

Every choice (revision, types, topics, picked questions, how the set is
chosen) comes from a list the page offered: a value outside it can only come
from a tampered page, which the views answer with a 400. Numbers are bounded
by the models' limits, so a huge one is a form error, never a database error.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...class_models import (
    ASSIGNMENT_TITLE_MAX_LENGTH,
    CLASS_NAME_MAX_LENGTH,
    MAX_ASSIGNMENT_QUESTIONS,
    MAX_ATTEMPTS_ALLOWED,
    MAX_TIME_LIMIT_MINUTES,
)
from ..forms import MultiCheckboxField, strip

# What ``<input type="datetime-local">`` sends (minutes; seconds when the browser adds them).
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
DRAW, PICK = "draw", "pick"
# A code as typed may carry spaces and a dash; anything longer is not a code.
CODE_INPUT_MAX = 40

# How the questions are chosen (``AssignmentForm.mode``; set per form, as WTForms wants).
MODE_CHOICES = [
    (DRAW, _l("Draw them by number, type and topic")),
    (PICK, _l("Pick them one by one")),
]
# Fields whose every value comes from a list the page offers.
CHOICE_FIELDS = ("mode", "types", "tags", "picked", "csrf_token")
# The fields that choose the questions (left out once someone started the assignment).
QUESTION_FIELDS = ("mode", "count", "types", "tags", "picked")


class ClassForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A new class: its name."""

    name = StringField(
        _l("Name of the class"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Give the class a name.")),
            Length(max=CLASS_NAME_MAX_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )


class JoinForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """Join a class with the code the teacher gave."""

    code = StringField(
        _l("Class code"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Type the code your teacher gave you.")),
            Length(max=CODE_INPUT_MAX, message=_l("A class code has 8 letters or digits.")),
        ],
    )


class PickedQuestionsField(SelectMultipleField):  # type: ignore[misc]  # WTForms is untyped
    """Questions ticked in a list: their ids, each one the page offered."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """An assignment: its title, its questions, when and how it may be taken.

    The revision is chosen before (in the page's address); the view fills in
    the choices: the types, the topics, the revision's approved questions.
    """

    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Give the assignment a title.")),
            Length(max=ASSIGNMENT_TITLE_MAX_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )
    mode = RadioField(_l("Questions"), default=DRAW, validate_choice=True)
    count = IntegerField(
        _l("Number of questions (at most)"),
        default=10,
        validators=[
            Optional(),
            NumberRange(
                1, MAX_ASSIGNMENT_QUESTIONS, message=_l("Between %(min)d and %(max)d questions.")
            ),
        ],
    )
    types = MultiCheckboxField(_l("Question types"))
    tags = MultiCheckboxField(_l("Topics"))
    picked = PickedQuestionsField(_l("Questions picked"), coerce=int, validate_choice=True)
    opens_at = DateTimeLocalField(
        _l("Opens"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(message=_l("Give a date and a time."))],
    )
    closes_at = DateTimeLocalField(
        _l("Closes"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(message=_l("Give a date and a time."))],
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed"),
        default=1,
        validators=[
            InputRequired(message=_l("Give a number of attempts.")),
            NumberRange(1, MAX_ATTEMPTS_ALLOWED, message=_l("Between %(min)d and %(max)d.")),
        ],
    )
    time_limit_minutes = IntegerField(
        _l("Time limit in minutes (optional)"),
        validators=[
            Optional(),
            NumberRange(1, MAX_TIME_LIMIT_MINUTES, message=_l("Between %(min)d and %(max)d.")),
        ],
    )
    shuffle = BooleanField(_l("Shuffle the order of the questions for each student"))

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then what ties them: closing after opening, a count or a pick."""
        valid: bool = super().validate(extra_validators)
        # Before the errors below, which are the author's to fix, not signs of tampering.
        self.tampered_with = any(self[name].errors for name in CHOICE_FIELDS if name in self)
        if valid and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The assignment must close after it opens."))
            valid = False
        if "mode" in self and self.mode.data == DRAW:
            if self.count.data is None:
                self.count.errors.append(_l("Give a number of questions."))
                valid = False
            if not self.types.data:
                self.types.errors.append(_l("Choose at least one type of question."))
                valid = False
        elif "mode" in self and not self.picked.data:
            self.picked.errors.append(_l("Tick at least one question."))
            valid = False
        return valid

    def tampered(self) -> bool:
        """Whether a field with a fixed list of values got one outside it (after ``validate``)."""
        return bool(getattr(self, "tampered_with", False))

    def lock_questions(self) -> None:
        """Leave out the fields that choose the questions: someone started the assignment."""
        for name in QUESTION_FIELDS:
            delattr(self, name)
