"""The account forms: register, log in (Flask-WTF, lazy labels: translated per request)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..forms import strip

USERNAME_MIN, USERNAME_MAX = 3, 40
PASSWORD_MIN, PASSWORD_MAX = 8, 1000


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
