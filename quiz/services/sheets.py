"""Sheets in the database: import the pipeline's output.

``import_result`` is idempotent: it upserts by natural key (sheet slug,
revision label, paragraph anchor, question id) and leaves a revision alone
when neither its file nor what the pipeline made of it changed. A question
the pipeline no longer produces is deleted, or retired if it has answers,
and its paragraph is kept as long as a question points at it: an answer's
history never breaks. It only flushes; the caller commits once.

A new question is a draft, or with ``approve`` (``quiz import-sheets``)
approved if it passes the automatic checks; a stored one keeps its status.

The reading side (lists and pages of sheets) lives in ``sheet_pages`` and is
re-exported here, so ``quiz.services.sheets`` names everything about sheets.

The pipeline's types are imported for type checking only: importing
``quiz.generate`` at run time would drag spaCy into every web worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..extensions import db
from ..models import (
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Answer,
    Paragraph,
    Question,
    Revision,
    Sheet,
    utcnow,
)
from .classroom.sessions import questions_in_use
from .sheet_pages import (
    ParagraphView,
    RevisionSummary,
    SheetListing,
    SheetPage,
    SheetSummary,
    evidence_url,
    find_revision,
    list_sheets,
    sheet_page,
    sheet_summaries,
)

if TYPE_CHECKING:
    from ..generate import GenerationResult, SheetResult
    from ..generate import Paragraph as GeneratedParagraph
    from ..generate import Question as GeneratedQuestion


__all__ = [
    "ImportReport",
    "ParagraphView",
    "RevisionSummary",
    "SheetImportError",
    "SheetListing",
    "SheetPage",
    "SheetSummary",
    "Tally",
    "evidence_url",
    "find_revision",
    "import_result",
    "list_sheets",
    "sheet_page",
    "sheet_summaries",
]


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


@dataclass
class ImportReport:
    """What ``import_result`` did, per kind of row."""

    sheets: Tally = field(default_factory=Tally)
    revisions: Tally = field(default_factory=Tally)
    paragraphs: Tally = field(default_factory=Tally)
    questions: Tally = field(default_factory=Tally)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything at all."""
        return any(tally.changed for _, tally in self.tallies())

    def tallies(self) -> Iterator[tuple[str, Tally]]:
        """``(kind, tally)`` pairs in display order: sheets, revisions, paragraphs, questions."""
        for kind in fields(self):
            yield kind.name, getattr(self, kind.name)


def import_result(result: GenerationResult, approve: bool = True) -> ImportReport:
    """Store every sheet revision of ``result``; running it twice changes nothing.

    ``approve``: new questions that pass the automatic checks are approved
    (otherwise every new question is a draft).
    """
    report = ImportReport()
    by_slug = sorted(result.sheets, key=lambda sheet: sheet.source.slug)
    for _slug, group in groupby(by_slug, key=lambda sheet: sheet.source.slug):
        sheet_results = sorted(group, key=lambda sheet: sheet.source.order)
        sheet = upsert_sheet(sheet_results[-1], report.sheets)
        for sheet_result in sheet_results:
            import_revision(sheet, sheet_result, report, approve)
    return report


def upsert_sheet(latest: SheetResult, tally: Tally) -> Sheet:
    """Create or update the sheet of ``latest``, its newest revision giving title and language."""
    values = {
        "title": latest.title,
        "lang": latest.lang,
        "source_url": latest.source.source_url,
    }
    sheet = db.session.scalar(select(Sheet).filter_by(slug=latest.source.slug))
    if sheet is None:
        sheet = Sheet(slug=latest.source.slug, **values)
        db.session.add(sheet)
        tally.added += 1
    else:
        _refresh(sheet, values, tally)
    db.session.flush()
    return sheet


def import_revision(
    sheet: Sheet, sheet_result: SheetResult, report: ImportReport, approve: bool = True
) -> Revision:
    """Create or refresh one revision with its paragraphs and questions (``approve``: above).

    A revision after the first carries questions over from the one before it
    (see ``revisions``), so it is refreshed when that one changed too.
    """
    # Imported here: ``revisions`` builds on this module's helpers.
    from .revisions import previous_revision, sync_revision_questions

    source = sheet_result.source
    previous = previous_revision(sheet, source.order, source.revision)
    values: dict[str, Any] = {
        "position": source.order,
        "file_name": source.path.name,
        "content_hash": _file_hash(sheet_result),
        "generated_hash": _generated_hash(sheet_result),
        "previous_generated_hash": previous.generated_hash if previous else None,
    }
    revision = db.session.scalar(
        select(Revision).filter_by(sheet_id=sheet.id, label=source.revision)
    )
    if revision is not None and not _differs(revision, values):
        report.revisions.unchanged += 1
        report.paragraphs.unchanged += len(sheet_result.paragraphs)
        report.questions.unchanged += len(sheet_result.questions)
        return revision
    if revision is None:
        revision = Revision(sheet=sheet, label=source.revision, **values)
        db.session.add(revision)
        report.revisions.added += 1
    else:
        _assign(revision, values)
        revision.imported_at = utcnow()
        report.revisions.updated += 1
    paragraphs = sync_paragraphs(
        revision, sheet_result.paragraphs, report.paragraphs, facts_by_anchor(sheet_result)
    )
    sync_revision_questions(
        revision, sheet_result.questions, paragraphs, report.questions, approve=approve
    )
    remove_unused_paragraphs(revision, set(paragraphs), report.paragraphs)
    db.session.flush()
    return revision


def facts_by_anchor(sheet_result: SheetResult) -> dict[str, list[dict[str, Any]]]:
    """The facts the pipeline found, as stored on each paragraph, by paragraph anchor."""
    found: dict[str, list[dict[str, Any]]] = {}
    for fact in sheet_result.facts:
        found.setdefault(fact.paragraph.anchor, []).append(
            {"kind": fact.kind, "text": fact.text, "start": fact.span.start, "end": fact.span.end}
        )
    return found


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


def _file_hash(sheet_result: SheetResult) -> str:
    """sha256 of the revision's file as it is on disk."""
    return hashlib.sha256(sheet_result.source.path.read_bytes()).hexdigest()


def _generated_hash(sheet_result: SheetResult) -> str:
    """sha256 of everything the pipeline produced for the revision, in canonical JSON."""
    payload = {
        "sheet": sheet_result.to_json(),
        "skip_reasons": [paragraph.skip_reason for paragraph in sheet_result.paragraphs],
        "questions": [question.to_json() for question in sheet_result.questions],
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
