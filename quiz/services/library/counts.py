"""How many paragraphs and questions a revision has: one definition for every page.

The home page, the sheet list, a sheet's page, the JSON API and the instructor's
pages all count through these functions, so that the same revision never shows
two different numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from ...extensions import db
from ...models import STATUS_APPROVED, Paragraph, Question


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


# A paragraph counts when a quiz may ask about it: headings, captions and contact
# blocks are shown but never quizzable, and a retired one is only kept for old answers.
COUNTED_PARAGRAPH = (Paragraph.retired.is_(False), Paragraph.quizzable.is_(True))
# A question counts when a quiz on its revision may ask it.
COUNTED_QUESTION = (Question.status == STATUS_APPROVED,)


def paragraph_counts(*where: Any) -> dict[int, int]:
    """Quizzable paragraphs still in the text, per revision id (``where`` narrows)."""
    return count_by_revision(Paragraph, *COUNTED_PARAGRAPH, *where)


def question_counts(*where: Any) -> dict[int, int]:
    """Approved questions, per revision id (``where`` narrows)."""
    return count_by_revision(Question, *COUNTED_QUESTION, *where)


def question_counts_per_paragraph(revision_id: int) -> dict[int, int]:
    """Approved questions of a revision, per paragraph id they cite."""
    query = (
        select(Question.paragraph_id, func.count())
        .where(Question.revision_id == revision_id, *COUNTED_QUESTION)
        .group_by(Question.paragraph_id)
    )
    return {paragraph_id: count for paragraph_id, count in db.session.execute(query).tuples()}


def sheet_question_count(revision_counts: Sequence[int]) -> int:
    """A sheet's question count from its revisions' counts, oldest first: the latest one's.

    A question carried into a later revision is stored once per revision, so
    adding the revisions up would count it again for each of them; a sheet is
    asked about through its latest text.
    """
    return revision_counts[-1] if revision_counts else 0
