"""The review page's groups: the due questions of each sheet revision.

``due_for_review`` returns questions of any sheet and revision, but an attempt
asks the questions of one revision: the review page groups them by revision
and offers one quiz per group (``start_review_attempt``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...models import Question, Revision


@dataclass(frozen=True)
class DueGroup:
    """The due questions of one revision, most overdue first."""

    revision: Revision
    questions: tuple[Question, ...]

    @property
    def revision_id(self) -> int:
        """The id the review form posts back."""
        return self.revision.id


def group_by_revision(due: list[Question]) -> list[DueGroup]:
    """``due`` split by revision, groups in the order of their most overdue question."""
    groups: dict[int, list[Question]] = {}
    for question in due:
        groups.setdefault(question.revision_id, []).append(question)
    return [DueGroup(questions[0].revision, tuple(questions)) for questions in groups.values()]
