"""The forms of the instructor's sheet pages: upload a sheet or a revision, re-point a question.

An upload's file, slug and label are checked here as far as the web can
check them (type, size, shape, names already taken); what the file holds is
for the import command to judge (``services.library.uploads``). Slug and label
follow the command's rules (``uploads.SLUG_PATTERN``, ``LABEL_PATTERN``).
"""

from __future__ import annotations

from datetime import date
from os import SEEK_END
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import Field, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, StopValidation

from ...services.library import uploads
from ..forms import strip
from ..labels import size_text
from ..row_ids import RowIds

TITLE_MAX = 300
OFFSET_MAX = 10_000_000
LANGUAGES = [
    SelectChoice("auto", _l("Detect it")),
    SelectChoice("fr", "Français"),
    SelectChoice("en", "English"),
]
EXTENSIONS = [extension.removeprefix(".") for extension in uploads.SHEET_EXTENSIONS]


def sheet_file_size(_form: FlaskForm, field: Field) -> None:
    """Refuse an empty file, or one over the upload limit, before anything reads it whole."""
    stream = field.data.stream
    stream.seek(0, SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise StopValidation(_l("The file is empty."))
    limit = uploads.upload_limit()
    if size > limit:
        raise StopValidation(
            _("The file is over %(size)s: uploaded sheets are limited to %(size)s.",
              size=size_text(limit))
        )


def _file_field() -> Any:
    """The sheet file: Markdown, text, HTML or PDF, within the upload limit."""
    return FileField(
        _l("Sheet file"),
        validators=[
            FileRequired(message=_l("Choose the sheet's file.")),
            FileAllowed(EXTENSIONS, message=_l("Upload a .md, .txt, .html or .pdf file.")),
            sheet_file_size,
        ],
    )


def _revision_field() -> Any:
    """The new revision's label: required, a date by default."""
    return StringField(
        _l("Revision label"),
        default=lambda: date.today().isoformat(),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Give the revision a label.")),
            Length(max=uploads.LABEL_MAX_LENGTH, message=_l("At most %(max)d characters.")),
            Regexp(
                rf"^{uploads.LABEL_PATTERN.pattern}$",
                message=_l("Letters, digits, dots, hyphens and underscores only."),
            ),
        ],
    )


class RevisionUploadForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A new revision of the sheet ``slug``: its file, language and (new) label."""

    file = _file_field()
    lang = SelectField(_l("Language"), choices=LANGUAGES, default="auto")
    revision = _revision_field()

    def __init__(self, slug: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slug_value = slug

    def validate_revision(self, field: Field) -> None:
        """The label must be new for the sheet."""
        if uploads.label_taken(self.slug_value, field.data):
            raise StopValidation(_l("This sheet already has a revision with this label."))

    def upload(self) -> uploads.Upload:
        """What to import, from the validated form."""
        return uploads.Upload(
            slug=self.slug_value,
            label=self.revision.data,
            file_name=self.file.data.filename or "",
            data=self.file.data.read(),
            lang=None if self.lang.data == "auto" else self.lang.data,
        )


class SheetUploadForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """A new sheet: its file, optional title and slug, language and first revision label."""

    file = _file_field()
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[Optional(), Length(max=TITLE_MAX, message=_l("At most %(max)d characters."))],
    )
    slug = StringField(
        _l("Address"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=uploads.SLUG_MAX_LENGTH, message=_l("At most %(max)d characters.")),
            Regexp(
                rf"^{uploads.SLUG_PATTERN.pattern}$",
                message=_l("Lower-case letters, digits and single hyphens only."),
            ),
        ],
    )
    lang = SelectField(_l("Language"), choices=LANGUAGES, default="auto")
    revision = _revision_field()

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the slug (given, or derived from the title or file name): free."""
        if not super().validate(extra_validators):
            return False
        slug = self.chosen_slug()
        if not slug:
            self.slug.errors.append(_l("Give the sheet an address (letters and digits)."))
            return False
        if uploads.slug_taken(slug):
            self.slug.errors.append(
                _l("A sheet already has the address “%(slug)s”: choose another.", slug=slug)
            )
            return False
        return True

    def chosen_slug(self) -> str:
        """The slug typed, else one made from the title, else from the file's name."""
        if self.slug.data:
            return str(self.slug.data)
        return uploads.slugify(self.title.data or Path(self.file.data.filename or "").stem)

    def upload(self) -> uploads.Upload:
        """What to import, from the validated form."""
        return uploads.Upload(
            slug=self.chosen_slug(),
            label=self.revision.data,
            file_name=self.file.data.filename or "",
            data=self.file.data.read(),
            title=self.title.data or None,
            lang=None if self.lang.data == "auto" else self.lang.data,
            new_sheet=True,
        )


class RepointForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """Carry a stale question forward: a paragraph of the latest revision and a span of it.

    The view fills ``paragraph.choices`` to show them; the service checks that the
    paragraph is one of them and that the span holds the answer.
    """

    # Any id is read; the service refuses one that is not a paragraph of the latest revision.
    paragraph = SelectField(
        _l("Paragraph of the latest revision"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a paragraph.")), RowIds()],
    )
    start = IntegerField(
        _l("From character"),
        validators=[
            InputRequired(message=_l("Give the first character of the evidence.")),
            NumberRange(0, OFFSET_MAX, message=_l("A number from %(min)d.")),
        ],
    )
    end = IntegerField(
        _l("To character (not included)"),
        validators=[
            InputRequired(message=_l("Give the character after the evidence.")),
            NumberRange(1, OFFSET_MAX, message=_l("A number from %(min)d.")),
        ],
    )
