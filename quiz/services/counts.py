"""How many paragraphs and questions a revision has: one definition for every page.

The home page, the sheet list, a sheet's page, the JSON API and the instructor's
pages all count through these functions, so that the same revision never shows
two different numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Paragraph, Question


def question_status_counts(by: Any, *conditions: Any) -> defaultdict[int, Counter[str]]:
    """Counts of the questions matching ``conditions``, per ``by`` (a column) and status."""
    counts: defaultdict[int, Counter[str]] = defaultdict(Counter)
    query = (
        select(by, Question.status, func.count()).where(*conditions).group_by(by, Question.status)
    )
    for key, status, count in db.session.execute(query).tuples():
        counts[key][status] = count
    return counts


def count_by_revision(model: type[Paragraph] | type[Question], *where: Any) -> dict[int, int]:
    """Row counts of ``model`` per revision id, in one grouped query."""
    query = select(model.revision_id, func.count()).where(*where).group_by(model.revision_id)
    return {revision_id: count for revision_id, count in db.session.execute(query).tuples()}
