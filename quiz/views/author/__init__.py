"""The instructor's side: its own blueprint, ``/author``, apart from the learner's pages.

Only instructors reach it: a visitor is sent to the log-in page, a student gets
the 403 page (``instructor_required`` on every view). Views stay thin: they
read the request, call one service, commit once when it wrote, and render.

- ``queue``: the review queue of questions, with their checks; bulk approve/reject.
- ``editor``: write and edit questions (every type), the evidence picker, versions.
- ``sheets``: upload sheets and revisions, their paragraphs and facts, revision diffs.
- ``import_jobs``: an upload's background import: its progress, its failure, a retry.
- ``stale``: questions a new revision no longer proves: carry forward or retire.
- ``analysis``: item analysis of answered questions.
- ``exchange``: export a selection, import GIFT, CSV and JSON files.
- ``check_labels`` (no view): the automatic checks' names and reasons, translated.
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


# The views register themselves on ``bp`` when imported.
from . import analysis, editor, exchange, import_jobs, queue, sheets, stale  # noqa: E402,F401
