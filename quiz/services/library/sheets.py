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
re-exported here, so ``quiz.services.library.sheets`` names everything about sheets.

The pipeline's types are imported for type checking only: importing
``quiz.generate`` at run time would drag spaCy into every web worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...extensions import db
from ...models import (
    Revision,
    Sheet,
    utcnow,
)
from .revisions import previous_revision, sync_revision_questions
from .row_sync import Tally, _assign, _differs, _refresh, remove_unused_paragraphs, sync_paragraphs
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
    from ...generate import GenerationResult, SheetResult


__all__ = [
    "ImportReport",
    "ParagraphView",
    "RevisionSummary",
    "SheetListing",
    "SheetPage",
    "SheetSummary",
    "evidence_url",
    "find_revision",
    "import_result",
    "list_sheets",
    "sheet_page",
    "sheet_summaries",
]


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
