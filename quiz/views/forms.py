"""The form pieces every wing's forms share (Flask-WTF: every form carries a CSRF token).

Each wing keeps its own forms beside its views: ``accounts/forms.py``,
``study/forms.py``, ``author/*_forms.py``. Labels and messages are lazy so that
they are translated per request, in the language of whoever reads the page.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


def strip(value: Any) -> Any:
    """Drop the spaces a phone keyboard likes to add around a name."""
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]  # WTForms is untyped
    """A group of checkboxes: several values of a fixed list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A button that changes something (log out, retry, start a review): only the CSRF token."""
