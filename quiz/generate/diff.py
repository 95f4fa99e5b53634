"""What a new revision of a sheet changes: paragraphs, and the questions that still hold.

Pure: two ``SheetResult``s in (old, new), a ``SheetDiff`` out. Only quizzable
paragraphs count: headings, captions, contact blocks and translations ask nothing.

- **unchanged**: the same anchor in both revisions. An anchor depends only on
  the paragraph's normalised text, so a paragraph that merely moved is unchanged.
- **changed**: a new paragraph close enough to an old one that disappeared
  (rapidfuzz ``ratio`` of the folded texts ≥ 0.6), best pairs first, each
  paragraph used at most once.
- **removed** / **added**: the disappeared / new paragraphs left unpaired.

A question of the old revision is **carried** when every paragraph its proof
cites is unchanged (its evidence paragraph, and for ``order`` questions the
paragraph of each event), and **stale** otherwise.

The paragraph functions accept anything with ``anchor``, ``text`` and
``quizzable`` (the ``TextBlock`` protocol), so the import can run the same
comparison on stored rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from rapidfuzz import fuzz

from .model import Paragraph, Question, SheetResult
from .normalize import fold

# Below this, a new paragraph is a new text, not an edit of an old one.
SIMILARITY_THRESHOLD = 0.6


class TextBlock(Protocol):
    """What the diff reads of a paragraph: the pipeline's, or a row of the database."""

    @property
    def anchor(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def quizzable(self) -> bool: ...


BlockT = TypeVar("BlockT", bound=TextBlock)


@dataclass(frozen=True)
class Change(Generic[BlockT]):
    """An old paragraph rewritten as a new one; ``similarity`` from 0 to 1."""

    old: BlockT
    new: BlockT
    similarity: float


@dataclass(frozen=True)
class ParagraphDiff(Generic[BlockT]):
    """Quizzable paragraphs of two revisions, sorted into four groups.

    ``unchanged`` holds ``(old, new)`` pairs in the old revision's order;
    ``changed`` is in the new revision's order.
    """

    unchanged: list[tuple[BlockT, BlockT]]
    changed: list[Change[BlockT]]
    removed: list[BlockT]
    added: list[BlockT]

    @property
    def unchanged_anchors(self) -> frozenset[str]:
        """Anchors of the paragraphs both revisions share."""
        return frozenset(old.anchor for old, _new in self.unchanged)

    def counts(self) -> dict[str, int]:
        """``{"unchanged": n, "changed": n, "removed": n, "added": n}``."""
        return {
            "unchanged": len(self.unchanged),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "added": len(self.added),
        }


@dataclass(frozen=True)
class SheetDiff:
    """Two revisions of a sheet compared: paragraphs, and the old revision's questions."""

    old: SheetResult
    new: SheetResult
    paragraphs: ParagraphDiff[Paragraph]
    carried: list[Question]
    stale: list[Question]

    def to_json(self) -> dict[str, Any]:
        """The object ``quiz sheet-diff --json`` prints."""
        return {
            "paragraphs": self.paragraphs.counts(),
            "stale_questions": [question.id for question in self.stale],
            "carried_questions": [question.id for question in self.carried],
        }


def diff_sheets(
    old: SheetResult, new: SheetResult, threshold: float = SIMILARITY_THRESHOLD
) -> SheetDiff:
    """Compare revision ``old`` with revision ``new`` of a sheet."""
    paragraphs = diff_paragraphs(old.paragraphs, new.paragraphs, threshold)
    unchanged = paragraphs.unchanged_anchors
    carried = [q for q in old.questions if holds(evidence_anchors(q), unchanged)]
    stale = [q for q in old.questions if not holds(evidence_anchors(q), unchanged)]
    return SheetDiff(old, new, paragraphs, carried, stale)


def diff_paragraphs(
    old: Sequence[BlockT], new: Sequence[BlockT], threshold: float = SIMILARITY_THRESHOLD
) -> ParagraphDiff[BlockT]:
    """Sort the quizzable paragraphs of ``old`` and ``new`` into the four groups."""
    old_quizzable = [p for p in old if p.quizzable]
    new_quizzable = [p for p in new if p.quizzable]
    new_by_anchor = {p.anchor: p for p in new_quizzable}
    old_anchors = {p.anchor for p in old_quizzable}
    unchanged = [(p, new_by_anchor[p.anchor]) for p in old_quizzable if p.anchor in new_by_anchor]
    gone = [p for p in old_quizzable if p.anchor not in new_by_anchor]
    fresh = [p for p in new_quizzable if p.anchor not in old_anchors]
    changed = match_rewrites(gone, fresh, threshold)
    rewritten_old = {change.old.anchor for change in changed}
    rewritten_new = {change.new.anchor for change in changed}
    return ParagraphDiff(
        unchanged=unchanged,
        changed=changed,
        removed=[p for p in gone if p.anchor not in rewritten_old],
        added=[p for p in fresh if p.anchor not in rewritten_new],
    )


def match_rewrites(
    gone: Sequence[BlockT], fresh: Sequence[BlockT], threshold: float = SIMILARITY_THRESHOLD
) -> list[Change[BlockT]]:
    """Pair disappeared and new paragraphs that are edits of each other, one-to-one.

    Greedy on the best scores: the closest pair is matched first, so a
    paragraph is never claimed by a weaker match. Ties keep text order, which
    makes the result deterministic. Returned in the new revision's order.
    """
    gone_texts = [fold(p.text) for p in gone]
    fresh_texts = [fold(p.text) for p in fresh]
    cutoff = threshold * 100
    scored = sorted(
        (-score, i, j)
        for i, old_text in enumerate(gone_texts)
        for j, new_text in enumerate(fresh_texts)
        # score_cutoff: rapidfuzz returns 0 early for hopeless pairs.
        if (score := fuzz.ratio(old_text, new_text, score_cutoff=cutoff)) >= cutoff
    )
    used_gone: set[int] = set()
    used_fresh: set[int] = set()
    pairs: list[tuple[int, Change[BlockT]]] = []
    for negative_score, i, j in scored:
        if i in used_gone or j in used_fresh:
            continue
        used_gone.add(i)
        used_fresh.add(j)
        pairs.append((j, Change(gone[i], fresh[j], round(-negative_score / 100, 4))))
    return [change for _j, change in sorted(pairs, key=lambda pair: pair[0])]


def evidence_anchors(question: Question) -> frozenset[str]:
    """Every paragraph the question's proof rests on: its source, and each event's."""
    return frozenset([question.source.anchor, *(source.anchor for source in question.item_sources)])


def holds(anchors: Collection[str], unchanged: Collection[str]) -> bool:
    """Whether a question citing ``anchors`` still holds when only ``unchanged`` survive."""
    return bool(anchors) and all(anchor in unchanged for anchor in anchors)
