"""Row ids from outside the app: in URL paths, form fields and query strings.

Ids are ``Integer`` columns (``models.MAX_ROW_ID``). A larger number names no
row, and the database driver cannot even bind it (SQLite overflows at 2^63,
PostgreSQL at 2^31): it must be refused before any query, as a 404 in a path
and as a form error elsewhere.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from werkzeug.routing.map import Map
from wtforms.validators import ValidationError

from ..models import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in a route: a non-negative integer no larger than a row id can be.

    Installed as the app's ``int`` converter, so a route added later is bounded too.
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def is_row_id(value: object) -> bool:
    """Whether ``value`` is an int (not a bool) that a row id could be."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ROW_ID


def row_id_from(text: str | None) -> int | None:
    """``text`` as a row id (digits only), or None when it cannot be one."""
    # isdigit alone lets "²" through, which int() refuses.
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if is_row_id(value) else None


class RowIds:
    """WTForms validator: the field's integer (or each of its integers) is a possible row id."""

    def __init__(self, message: Any = None) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        """Raise ``ValidationError`` unless every value is within the row id range."""
        values = field.data if isinstance(field.data, list) else [field.data]
        if not all(value is None or is_row_id(value) for value in values):
            raise ValidationError(self.message or _l("This item does not exist."))
