"""The instructor's export and import forms, and the item analysis filter (Flask-WTF).

The export form is a GET form (a download changes nothing, so no CSRF token);
the import form posts a file and carries a CSRF token. Build them with the
functions below, which fill in the choices once the form exists (as the
other forms of the app do: WTForms deprecates tuples given to the
constructor); the empty value means "all" or "from the file's extension".
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import HiddenInput

from ...exchange import EXPORT_FORMATS, IMPORT_FORMATS
from ...services.authoring.item_analysis import FLAGS

FORMAT_NAMES = {
    "gift": _l("GIFT (Moodle, text)"),
    "moodle": _l("Moodle XML"),
    "apkg": _l("Anki deck (.apkg)"),
    "csv": _l("CSV (spreadsheet)"),
    "json": _l("JSON"),
}
FLAG_NAMES = {
    "too_easy": _l("Too easy"),
    "too_hard": _l("Too hard"),
    "poor_discrimination": _l("Poor discrimination"),
}


class ExportForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """What to export, and in which format (read from the query string)."""

    class Meta:
        csrf = False

    sheet = SelectField(_l("Sheet"), default="", validate_choice=True)
    tag = SelectField(_l("Topic"), default="", validate_choice=True)
    status = RadioField(
        _l("Questions"),
        default="approved",
        validators=[InputRequired(message=_l("Choose which questions."))],
    )
    revisions = RadioField(
        _l("Revisions"),
        default="latest",
        validators=[InputRequired(message=_l("Choose the revisions."))],
    )
    format = RadioField(
        _l("Format"), default="gift", validators=[InputRequired(message=_l("Choose a format."))]
    )


class ImportForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A question file to add as drafts."""

    file = FileField(
        _l("Question file"), validators=[FileRequired(message=_l("Choose a file to import."))]
    )
    format = SelectField(_l("Format"), default="", validate_choice=True)
    sheet = SelectField(_l("Sheet of questions that cite none"), default="", validate_choice=True)


class AnalysisFilterForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """The item analysis overview's filter (a GET form, no CSRF token)."""

    class Meta:
        csrf = False

    flag = SelectField(_l("Show"), default="", validate_choice=True)
    page = IntegerField(widget=HiddenInput(), default=1, validators=[Optional()])


def export_form(
    formdata: Any, sheets: list[tuple[str, str]], tags: list[tuple[str, str]]
) -> ExportForm:
    """The export form on ``formdata``; ``sheets`` and ``tags`` as ``(value, label)``."""
    form = ExportForm(formdata=formdata)
    form.sheet.choices = [("", _l("Every sheet")), *sheets]
    form.tag.choices = [("", _l("Any topic")), *tags]
    form.status.choices = [
        ("approved", _l("Approved only")),
        ("draft", _l("Drafts only")),
        ("all", _l("Every status")),
    ]
    form.revisions.choices = [
        ("latest", _l("Each sheet's latest revision")),
        ("all", _l("Every revision")),
    ]
    form.format.choices = [(name, FORMAT_NAMES[name]) for name in EXPORT_FORMATS]
    return form


def import_form(sheets: list[tuple[str, str]], empty: bool = False) -> ImportForm:
    """The import form on the request's data, or ``empty`` (for a fresh page); ``sheets`` as
    ``(slug, title)``, for the questions of an ordinary file that cite no sheet."""
    form = ImportForm(formdata=None) if empty else ImportForm()
    form.format.choices = [("", _l("From the file's extension"))] + [
        (name, FORMAT_NAMES[name]) for name in IMPORT_FORMATS
    ]
    form.sheet.choices = [("", _l("None: each question names its sheet")), *sheets]
    return form


def analysis_filter_form(formdata: Any) -> AnalysisFilterForm:
    """The overview's filter read from ``formdata`` (the query string)."""
    form = AnalysisFilterForm(formdata=formdata)
    form.flag.choices = [("", _l("Every answered question"))] + [
        (flag, FLAG_NAMES[flag]) for flag in FLAGS
    ]
    return form
