"""The rows of one revision brought up to date with what the pipeline made of it.

Paragraphs by anchor, questions by the pipeline's id: added, refreshed only
where a value differs (no needless UPDATE), removed, or retired while answers
or questions still point at them. ``sheets.import_result`` runs these for a
whole sheet, and ``revisions`` for the questions a new revision carries over;
both build on this module, so neither has to import the other back. Every
function only flushes; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...extensions import db
from ...live_models import questions_in_use
from ...models import (
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Answer,
    Paragraph,
    Question,
    Revision,
)

if TYPE_CHECKING:
    from ...generate import Paragraph as GeneratedParagraph
    from ...generate import Question as GeneratedQuestion


class SheetImportError(Exception):
    """The pipeline's output cannot be stored as is (one line for the user)."""


@dataclass
class Tally:
    """How many rows of one kind an import added, updated, left alone, removed or retired."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    # No longer produced but kept for the answers that point at them.
    retired: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything for this kind of row."""
        return bool(self.added or self.updated or self.removed or self.retired)


def sync_paragraphs(
    revision: Revision,
    generated: Iterable[GeneratedParagraph],
    tally: Tally,
    facts: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Paragraph]:
    """Add or update the revision's paragraphs by anchor, with their ``facts``; return them."""
    existing = {paragraph.anchor: paragraph for paragraph in revision.paragraphs}
    by_anchor: dict[str, Paragraph] = {}
    for item in generated:
        if item.anchor in by_anchor:
            raise SheetImportError(f"{revision.label}: two paragraphs share anchor {item.anchor!r}")
        values = _paragraph_values(item) | {"facts": (facts or {}).get(item.anchor, [])}
        paragraph = existing.get(item.anchor)
        if paragraph is None:
            paragraph = Paragraph(**values)
            revision.paragraphs.append(paragraph)
            tally.added += 1
        else:
            _refresh(paragraph, values, tally)
        by_anchor[item.anchor] = paragraph
    db.session.flush()
    return by_anchor


def sync_questions(
    revision: Revision,
    generated: Iterable[GeneratedQuestion],
    paragraphs: dict[str, Paragraph],
    tally: Tally,
    keep: Collection[str] = (),
    status_of: Callable[[GeneratedQuestion], str] | None = None,
) -> None:
    """Add or update the revision's questions by uid; remove (or retire) those gone.

    ``keep`` names questions this sync leaves alone (those carried over from the
    previous revision); ``status_of`` gives a new question's status (default:
    draft), and the status of a retired one the pipeline generates again.
    """
    existing = current_versions(revision)
    # An instructor's question is theirs: an import never rewrites or removes it.
    keep = {*keep, *(uid for uid, question in existing.items() if question.edited_at)}
    seen: set[str] = set()
    for item in generated:
        if item.id in seen:
            raise SheetImportError(f"{revision.label}: two questions share id {item.id!r}")
        seen.add(item.id)
        paragraph = paragraphs.get(item.source.anchor)
        if paragraph is None:
            raise SheetImportError(
                f"{revision.label}: question {item.id!r} cites unknown paragraph"
                f" {item.source.anchor!r}"
            )
        values = _question_values(item, paragraph)
        status = status_of(item) if status_of else STATUS_DRAFT
        question = existing.get(item.id)
        if item.id in keep and question is not None:
            tally.unchanged += 1
        elif question is None:
            revision.questions.append(Question(status=status, **values))
            tally.added += 1
        elif question.status == STATUS_RETIRED:
            _assign(question, values | {"status": status})  # generated again
            tally.updated += 1
        else:
            _refresh(question, values, tally)
    gone = [question for uid, question in existing.items() if uid not in seen and uid not in keep]
    retire_or_remove_questions(revision, gone, tally)
    db.session.flush()


def current_versions(revision: Revision) -> dict[str, Question]:
    """The revision's questions by uid, each at its current version (superseded ones aside)."""
    return {
        question.uid: question
        for question in revision.questions
        if question.status != STATUS_SUPERSEDED
    }


def retire_or_remove_questions(revision: Revision, gone: list[Question], tally: Tally) -> None:
    """Retire the questions no longer generated that have answers (of a quiz or a live
    session) or that a live session still has to ask; delete the others."""
    answered = set(
        db.session.scalars(
            select(Answer.question_id).where(Answer.question_id.in_([q.id for q in gone]))
        )
    )
    # Answered in a live session, or still to be asked in one: kept too.
    answered |= questions_in_use([q.id for q in gone])
    for question in gone:
        if question.id not in answered:
            revision.questions.remove(question)  # delete-orphan removes the row
            tally.removed += 1
        elif question.status != STATUS_RETIRED:
            question.status = STATUS_RETIRED
            tally.retired += 1


def remove_unused_paragraphs(revision: Revision, kept_anchors: set[str], tally: Tally) -> None:
    """Delete the paragraphs the pipeline no longer produces; retire those still cited.

    A retired question (or any other) keeps its paragraph, so its answers keep
    their evidence; the sheet pages no longer show it.
    """
    gone = [p for p in revision.paragraphs if p.anchor not in kept_anchors]
    cited = set(
        db.session.scalars(
            select(Question.paragraph_id).where(Question.paragraph_id.in_([p.id for p in gone]))
        )
    )
    for paragraph in gone:
        if paragraph.id not in cited:
            revision.paragraphs.remove(paragraph)
            tally.removed += 1
        elif not paragraph.retired:
            paragraph.retired = True
            tally.retired += 1
    db.session.flush()


def _paragraph_values(item: GeneratedParagraph) -> dict[str, Any]:
    """The columns of a paragraph row, from the pipeline's paragraph."""
    return {
        "anchor": item.anchor,
        "index": item.index,
        "text": item.text,
        "lang": item.lang,
        "section": item.section,
        "kind": item.kind,
        "quizzable": item.quizzable,
        "translation_of": item.translation_of,
        "skip_reason": item.skip_reason,
        "retired": False,  # produced again: shown again
    }


def _question_values(item: GeneratedQuestion, paragraph: Paragraph) -> dict[str, Any]:
    """The columns of a question row, from the pipeline's question (status aside)."""
    return {
        "uid": item.id,
        "paragraph": paragraph,
        "type": item.type,
        "prompt": item.prompt,
        "choices": list(item.choices),
        "answer": list(item.answer) if isinstance(item.answer, list) else item.answer,
        "accepted": list(item.accepted),
        "lang": item.lang,
        "tags": list(item.tags),
        "difficulty": item.difficulty,
        "explanation": item.explanation,
        "evidence_start": item.source.evidence.start,
        "evidence_end": item.source.evidence.end,
        "item_sources": [source.to_json() for source in item.item_sources],
        "carried_from_id": None,  # generated for this revision, not a carried copy
    }


def _differs(row: Any, values: dict[str, Any]) -> bool:
    """Whether any of ``values`` differs from the row's attribute of that name."""
    return any(getattr(row, name) != value for name, value in values.items())


def _refresh(row: Any, values: dict[str, Any], tally: Tally) -> None:
    """Assign ``values`` to an existing row, counted as updated or unchanged."""
    if _assign(row, values):
        tally.updated += 1
    else:
        tally.unchanged += 1


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; return whether any did.

    Assigning only real changes keeps SQLAlchemy from issuing UPDATEs (and
    from bumping anything) when the import finds nothing new.
    """
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed
