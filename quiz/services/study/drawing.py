"""Drawing a quiz: questions in a random order, none giving another one away.

A candidate pool is shuffled by the attempt's seed, then
``quiz.generate.questions.overlap.pick`` keeps each question compatible with
those kept before it (no answer printed in another question, no two questions
on one evidence sentence), up to the count asked for. A quiz may so come out
shorter than asked: the count is a maximum. The same seed and pool give the
same questions in the same order.

Only the columns the rules read are loaded, in one query; ``overlap`` is pure
Python (it imports no spaCy), so the web workers may use it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select

from ...extensions import db
from ...generate.questions.overlap import QuestionFields, evidence_of_sources, pick
from ...models import STATUS_APPROVED, Paragraph, Question


@dataclass(frozen=True, kw_only=True)
class Candidate(QuestionFields):
    """A question that may be drawn: its id and tags, and what the rules read of it."""

    id: int
    tags: Sequence[str] = field(default=())


def revision_pool(
    revision_id: int, types: Sequence[str] | None, tags: Sequence[str] | None
) -> list[Candidate]:
    """Approved questions of the revision of any of ``types`` with any of ``tags``, by id."""
    query = _CANDIDATES.where(
        Question.revision_id == revision_id, Question.status == STATUS_APPROVED
    )
    if types:
        query = query.where(Question.type.in_(types))
    # Tags are a JSON list: filtered here, as JSON containment is not portable.
    wanted = set(tags or ())
    return [c for c in _load(query) if not wanted or wanted & set(c.tags)]


def pool_of(question_ids: Iterable[int]) -> list[Candidate]:
    """The questions of ``question_ids`` (whatever their status) as candidates, by id."""
    return _load(_CANDIDATES.where(Question.id.in_(set(question_ids))))


def draw(pool: Sequence[int], count: int, seed: int) -> list[int]:
    """Up to ``count`` ids of ``pool``, none giving another away, in an order fixed by ``seed``."""
    return draw_from(pool_of(pool), count, seed)


def draw_from(candidates: Sequence[Candidate], count: int, seed: int) -> list[int]:
    """Up to ``count`` ids of ``candidates`` (see ``draw``): the seed shuffles them, then
    each is kept if it fits the ones kept before it."""
    shuffled = sorted(candidates, key=lambda candidate: candidate.id)
    random.Random(seed).shuffle(shuffled)
    return [candidate.id for candidate in pick(shuffled, count)]


_CANDIDATES: Select[Any] = (
    select(
        Question.id,
        Question.type,
        Question.prompt,
        Question.answer,
        Question.accepted,
        Question.choices,
        Question.tags,
        Question.evidence_start,
        Question.evidence_end,
        Question.item_sources,
        Paragraph.anchor,
        Paragraph.text,
    )
    .join(Paragraph, Paragraph.id == Question.paragraph_id)
    .order_by(Question.id)
)


def _load(query: Select[Any]) -> list[Candidate]:
    """The candidates a query of ``_CANDIDATES`` finds."""
    return [
        Candidate(
            id=row.id,
            type=row.type,
            prompt=row.prompt,
            answer=row.answer,
            accepted=row.accepted or (),
            choices=row.choices or (),
            tags=row.tags or (),
            anchor=row.anchor,
            paragraph=row.text,
            evidence_start=row.evidence_start,
            evidence_end=row.evidence_end,
            item_evidence=evidence_of_sources(row.item_sources or ()),
        )
        for row in db.session.execute(query)
    ]
