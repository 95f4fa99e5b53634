"""The instructor's side: its own blueprint, ``/author``, apart from the learner's pages.

Only instructors reach it: a visitor is sent to the log-in page, a student gets
the 403 page (``instructor_required`` on every view). Views stay thin: they
read the request, call one service, commit once when it wrote, and render.

- ``queue``: the review queue of questions, with their checks; bulk approve/reject.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...extensions import login_manager

bp = Blueprint("author", __name__, url_prefix="/author")


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
from . import queue  # noqa: E402,F401
