"""The page of an answer or a start an assignment refused (409), shared with the study pages.

At the root of the views, apart from the homework wing, so that ``quiz.views.study`` can
import it without importing the homework views (which import the study ones).
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from ..extensions import db
from ..services.errors import Closed


def refused_page(error: Closed, assignment_id: int | None = None) -> ResponseReturnValue:
    """The 409 page of an assignment's refusal: why, and what still counts. Nothing was kept."""
    db.session.rollback()
    page = render_template(
        "homework/refused.html",
        reason=error.reason,
        when=error.when,
        assignment_id=assignment_id,
    )
    return page, 409
