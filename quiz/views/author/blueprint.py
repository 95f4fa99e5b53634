"""The author blueprint, ``/author``: its sub-navigation, and the guard on every view.

Apart from the package's ``__init__`` (which imports the view modules so that their
routes are on ``bp``), so that the view modules import this and nothing imports them back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import login_manager

bp = Blueprint("author", __name__, url_prefix="/author")

# The sub-navigation of the author pages, in order (templates/author/_nav.html).
AUTHOR_PAGES: tuple[tuple[str, LazyString], ...] = (
    ("author.questions", _l("Review queue")),
    ("author.sheets", _l("Sheets")),
    ("author.analysis_overview", _l("Item analysis")),
    ("author.export", _l("Export")),
    ("author.import_questions", _l("Import")),
)


@bp.context_processor
def author_pages() -> dict[str, Any]:
    """The sub-navigation every author page shows."""
    return {"author_pages": AUTHOR_PAGES}


def instructor_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., Any]:
    """Let instructors through; send visitors to log in and refuse students (403)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            to_login: ResponseReturnValue = login_manager.unauthorized()
            return to_login
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return guarded
