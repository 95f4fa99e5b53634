"""The live sessions' web forms (Flask-WTF: each carries a CSRF token).

Choices the page offers (revision, scoring, types, topics, control actions)
are checked against their list: a value outside it can only come from a
tampered page, and the view answers 400. Typed values (counts, seconds, a
nickname, a join code) get a message to fix instead.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ...live_models import NICKNAME_MAX_LENGTH, SCORING_CORRECT, SCORING_SPEED
from ...services.classroom.sessions import MAX_COUNT, MAX_SECONDS, MIN_COUNT, MIN_SECONDS
from ..forms import MultiCheckboxField, strip
from ..row_ids import row_id_from

DEFAULT_COUNT, DEFAULT_SECONDS = 10, 20
# The instructor's buttons on the projector, as the services name them.
CONTROL_ACTIONS = ("start", "next", "reveal", "leaderboard", "pause", "resume", "skip", "end")
# A join code typed with spaces or dashes ("ABCD-EFGH"), and a rejoin token.
CODE_MAX_TYPED, TOKEN_MAX = 20, 100
# Hand-picked question ids typed as "12, 15 18": generous for 50 ids.
PICKED_MAX_TYPED = 600
MAX_VERSION = 2**31 - 1
SCORING_CHOICES = [
    (SCORING_CORRECT, _l("Right answers only: 1,000 points each")),
    (SCORING_SPEED, _l("Speed counts: from 1,000 points at once down to 500 at the end")),
]


class LiveSessionForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A new live session on one sheet; revision, type and topic choices come from the view."""

    sheet = HiddenField()
    revision = RadioField(_l("Revision"), validate_choice=True)
    count = IntegerField(
        _l("Number of questions"),
        default=DEFAULT_COUNT,
        validators=[
            InputRequired(message=_l("Give a number of questions.")),
            NumberRange(MIN_COUNT, MAX_COUNT, message=_l("Between %(min)d and %(max)d questions.")),
        ],
    )
    seconds = IntegerField(
        _l("Seconds per question"),
        default=DEFAULT_SECONDS,
        validators=[
            InputRequired(message=_l("Give the time per question, in seconds.")),
            NumberRange(
                MIN_SECONDS, MAX_SECONDS, message=_l("Between %(min)d and %(max)d seconds.")
            ),
        ],
    )
    scoring = RadioField(_l("Scoring"), default=SCORING_CORRECT, validate_choice=True)
    types = MultiCheckboxField(_l("Question types"))
    tags = MultiCheckboxField(_l("Topics"))
    picked = StringField(
        _l("Or these questions, in this order (numbers)"),
        filters=[strip],
        validators=[Optional(), Length(max=PICKED_MAX_TYPED)],
    )


class ControlForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """One of the projector's buttons, with the version of the state the page showed."""

    action = HiddenField(validators=[InputRequired(), AnyOf(CONTROL_ACTIONS)])
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(1, MAX_VERSION)]
    )


class JoinForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A phone joins: the code on the screen and a nickname (and the token of an earlier join)."""

    code = StringField(
        _l("Session code"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Type the code shown on the screen.")),
            Length(max=CODE_MAX_TYPED, message=_l("A code has 8 letters and digits.")),
        ],
    )
    nickname = StringField(
        _l("Nickname"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Choose a nickname.")),
            Length(
                max=NICKNAME_MAX_LENGTH, message=_l("At most %(max)d characters.")
            ),
        ],
    )
    token = HiddenField(validators=[Optional(), Length(max=TOKEN_MAX)])


def picked_ids(typed: str | None) -> list[int] | None:
    """Question numbers typed as "12, 15 18", in order; None if empty; ValueError if one
    cannot be a question's number."""
    parts = (typed or "").replace(",", " ").replace(";", " ").split()
    if not parts:
        return None
    ids = [row_id_from(part) for part in parts]
    if None in ids:
        raise ValueError(typed)
    return [question_id for question_id in ids if question_id is not None]

