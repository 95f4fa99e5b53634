"""Sheets in the database: import the pipeline's output, list what is there.

``import_result`` is idempotent: it upserts by natural key (sheet slug,
revision label, paragraph anchor, question id) and leaves a revision alone
when neither its file nor what the pipeline made of it changed. It only
flushes; the caller commits once.

The pipeline's types are imported for type checking only: importing
``quiz.generate`` at run time would drag spaCy into every web worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import STATUS_APPROVED, Paragraph, Question, Revision, Sheet, utcnow

if TYPE_CHECKING:
    from ..generate import GenerationResult, SheetResult
    from ..generate import Paragraph as GeneratedParagraph
    from ..generate import Question as GeneratedQuestion


class SheetImportError(Exception):
    """The pipeline's output cannot be stored as is (one line for the user)."""


@dataclass
class Tally:
    """How many rows of one kind an import added, updated, left alone or removed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything for this kind of row."""
        return bool(self.added or self.updated or self.removed)


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


def import_result(result: GenerationResult) -> ImportReport:
    """Store every sheet revision of ``result``; running it twice changes nothing."""
    report = ImportReport()
    by_slug = sorted(result.sheets, key=lambda sheet: sheet.source.slug)
    for _slug, group in groupby(by_slug, key=lambda sheet: sheet.source.slug):
        sheet_results = sorted(group, key=lambda sheet: sheet.source.order)
        sheet = upsert_sheet(sheet_results[-1], report.sheets)
        for sheet_result in sheet_results:
            import_revision(sheet, sheet_result, report)
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
    elif _assign(sheet, values):
        tally.updated += 1
    else:
        tally.unchanged += 1
    db.session.flush()
    return sheet


def import_revision(sheet: Sheet, sheet_result: SheetResult, report: ImportReport) -> Revision:
    """Create or refresh one revision with its paragraphs and questions."""
    source = sheet_result.source
    values: dict[str, Any] = {
        "position": source.order,
        "file_name": source.path.name,
        "content_hash": _file_hash(sheet_result),
        "generated_hash": _generated_hash(sheet_result),
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
    paragraphs = sync_paragraphs(revision, sheet_result.paragraphs, report.paragraphs)
    sync_questions(revision, sheet_result.questions, paragraphs, report.questions)
    remove_unused_paragraphs(revision, set(paragraphs), report.paragraphs)
    db.session.flush()
    return revision


def sync_paragraphs(
    revision: Revision, generated: Iterable[GeneratedParagraph], tally: Tally
) -> dict[str, Paragraph]:
    """Add or update the revision's paragraphs by anchor; return them by anchor."""
    existing = {paragraph.anchor: paragraph for paragraph in revision.paragraphs}
    by_anchor: dict[str, Paragraph] = {}
    for item in generated:
        if item.anchor in by_anchor:
            raise SheetImportError(f"{revision.label}: two paragraphs share anchor {item.anchor!r}")
        values = _paragraph_values(item)
        paragraph = existing.get(item.anchor)
        if paragraph is None:
            paragraph = Paragraph(**values)
            revision.paragraphs.append(paragraph)
            tally.added += 1
        elif _assign(paragraph, values):
            tally.updated += 1
        else:
            tally.unchanged += 1
        by_anchor[item.anchor] = paragraph
    db.session.flush()
    return by_anchor


def sync_questions(
    revision: Revision,
    generated: Iterable[GeneratedQuestion],
    paragraphs: dict[str, Paragraph],
    tally: Tally,
) -> None:
    """Add or update the revision's questions by uid; remove those no longer generated."""
    existing = {question.uid: question for question in revision.questions}
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
        question = existing.get(item.id)
        if question is None:
            revision.questions.append(Question(status=STATUS_APPROVED, **values))
            tally.added += 1
        elif _assign(question, values):
            tally.updated += 1
        else:
            tally.unchanged += 1
    for uid, question in existing.items():
        if uid not in seen:
            revision.questions.remove(question)  # delete-orphan removes the row
            tally.removed += 1
    db.session.flush()


def remove_unused_paragraphs(revision: Revision, kept_anchors: set[str], tally: Tally) -> None:
    """Delete the revision's paragraphs that the pipeline no longer produces."""
    for paragraph in list(revision.paragraphs):
        if paragraph.anchor not in kept_anchors:
            revision.paragraphs.remove(paragraph)
            tally.removed += 1
    db.session.flush()


@dataclass(frozen=True)
class RevisionSummary:
    """A revision as the home page lists it."""

    label: str
    position: int
    file_name: str
    imported_at: datetime
    paragraph_count: int
    question_count: int


@dataclass(frozen=True)
class SheetSummary:
    """A sheet with its revisions, oldest first, as the home page lists it."""

    slug: str
    title: str
    lang: str
    source_url: str | None
    revisions: tuple[RevisionSummary, ...]

    @property
    def question_count(self) -> int:
        """Questions over all revisions."""
        return sum(revision.question_count for revision in self.revisions)


def sheet_summaries() -> list[SheetSummary]:
    """Every sheet, by title, with its revisions and their approved question counts."""
    sheets = db.session.scalars(
        select(Sheet).options(selectinload(Sheet.revisions)).order_by(Sheet.title, Sheet.slug)
    ).all()
    questions = _count_by_revision(Question, Question.status == STATUS_APPROVED)
    paragraphs = _count_by_revision(Paragraph)
    return [
        SheetSummary(
            slug=sheet.slug,
            title=sheet.title,
            lang=sheet.lang,
            source_url=sheet.source_url,
            revisions=tuple(
                RevisionSummary(
                    label=revision.label,
                    position=revision.position,
                    file_name=revision.file_name,
                    imported_at=revision.imported_at,
                    paragraph_count=paragraphs.get(revision.id, 0),
                    question_count=questions.get(revision.id, 0),
                )
                for revision in sheet.revisions
            ),
        )
        for sheet in sheets
    ]


def _count_by_revision(model: type[Paragraph] | type[Question], *where: Any) -> dict[int, int]:
    """Row counts of ``model`` per revision id, in one grouped query."""
    query = select(model.revision_id, func.count()).where(*where).group_by(model.revision_id)
    return {revision_id: count for revision_id, count in db.session.execute(query).tuples()}


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
    }


def _differs(row: Any, values: dict[str, Any]) -> bool:
    """Whether any of ``values`` differs from the row's attribute of that name."""
    return any(getattr(row, name) != value for name, value in values.items())


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
