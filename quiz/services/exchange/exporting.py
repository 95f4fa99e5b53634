"""Questions out of the database, for the export formats of ``quiz.exchange``.

``select_records`` turns question rows into records of the question schema.
By default it takes the approved questions of each sheet's newest revision
(what learners are asked now); with ``all_revisions`` it takes every revision,
and a question found in several (same stable id) once, from the newest of
them, since Moodle and Anki would take two copies for one question.
``export_file`` is the export page's selection and file in one call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ... import exchange
from ...exchange.common import Export, Record, make_record, make_source
from ...extensions import db
from ...models import STATUS_APPROVED, STATUS_RETIRED, Paragraph, Question, Revision, Sheet
from ..errors import NotFound


@dataclass
class Selection:
    """Questions chosen for an export, and the sheet objects of the revisions they cite."""

    records: list[Record] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)



@dataclass
class ExportFile:
    """An export: how many questions the selection held, and the file written from them."""

    selected: int
    file: Export



def select_records(
    sheet_slug: str | None = None,
    tag: str | None = None,
    statuses: Iterable[str] = (STATUS_APPROVED,),
    all_revisions: bool = False,
) -> Selection:
    """The matching questions as records, by sheet, revision and paragraph order.

    ``NotFound`` when ``sheet_slug`` names no sheet.
    """
    revisions = _revisions(sheet_slug, all_revisions)
    questions = db.session.scalars(
        select(Question)
        .where(Question.revision_id.in_([revision.id for revision in revisions]))
        .where(Question.status.in_(list(statuses)))
        .options(selectinload(Question.paragraph), selectinload(Question.revision))
    ).all()
    newest: dict[str, Question] = {}
    for question in questions:
        if tag is not None and tag not in question.tags:
            continue
        kept = newest.get(question.uid)
        # The newest revision, and in it the newest version (an edit keeps the stable id).
        if kept is None or _recency(kept) < _recency(question):
            newest[question.uid] = question
    chosen = sorted(newest.values(), key=_reading_order)
    # A question kept citing an earlier revision cites that revision's paragraph.
    cited = {question.paragraph.revision_id: question.paragraph.revision for question in chosen}
    shown = [revision for revision in revisions if revision.id in cited]
    shown += [revision for rid, revision in cited.items() if revision not in shown]
    return Selection(
        records=[question_record(question) for question in chosen],
        sheets=[sheet_object(revision) for revision in shown],
    )


def question_record(question: Question) -> Record:
    """A question row as a record of the question schema, citing its paragraph's revision."""
    paragraph = question.paragraph
    revision = paragraph.revision
    source = make_source(
        revision.sheet.slug,
        revision.label,
        paragraph.anchor,
        question.evidence_start,
        question.evidence_end,
        paragraph.text,
    )
    return make_record(
        question.uid,
        question.type,
        question.prompt,
        question.answer,
        source,
        lang=question.lang,
        choices=question.choices,
        accepted=question.accepted,
        tags=question.tags,
        difficulty=question.difficulty,
        explanation=question.explanation,
        item_sources=question.item_sources,
    )


def sheet_object(revision: Revision) -> dict[str, Any]:
    """A revision as a sheet object of ``quiz generate --json`` (shown paragraphs only)."""
    sheet = revision.sheet
    question_count = db.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(Question.revision_id == revision.id, Question.status != STATUS_RETIRED)
    )
    paragraphs = [paragraph for paragraph in revision.paragraphs if not paragraph.retired]
    return {
        "slug": sheet.slug,
        "title": sheet.title,
        "lang": sheet.lang,
        "revision": revision.label,
        "order": revision.position,
        "source_url": sheet.source_url,
        "file": revision.file_name,
        "question_count": question_count or 0,
        "paragraphs": [_paragraph_object(paragraph) for paragraph in paragraphs],
    }


def export_file(
    format_name: str,
    sheet_slug: str | None = None,
    tag: str | None = None,
    statuses: Iterable[str] = (STATUS_APPROVED,),
    all_revisions: bool = False,
    base_url: str = "",
) -> ExportFile:
    """The selection (as ``select_records`` makes it) written in ``format_name``.

    ``NotFound`` for an unknown sheet. The file is written even when nothing
    is selected: the caller tells the user rather than hand out an empty file.
    """
    selection = select_records(sheet_slug, tag, statuses, all_revisions)
    written = exchange.export(
        format_name, selection.records, sheets=selection.sheets, base_url=base_url
    )
    return ExportFile(selected=len(selection.records), file=written)


def export_choices() -> tuple[list[tuple[str, str]], list[str]]:
    """``([(slug, title)] of the sheets, the tags questions carry)``, for the export form."""
    sheets = db.session.execute(select(Sheet.slug, Sheet.title).order_by(Sheet.slug)).tuples()
    tags: set[str] = set()
    for question_tags in db.session.scalars(select(Question.tags)):
        tags.update(question_tags or ())
    return [(slug, title) for slug, title in sheets], sorted(tags)


def _revisions(sheet_slug: str | None, all_revisions: bool) -> list[Revision]:
    """The revisions to export from: each sheet's newest, or all of them."""
    query = select(Sheet).options(selectinload(Sheet.revisions)).order_by(Sheet.slug)
    if sheet_slug is not None:
        query = query.filter_by(slug=sheet_slug)
    sheets = db.session.scalars(query).all()
    if sheet_slug is not None and not sheets:
        raise NotFound(f"no sheet {sheet_slug!r}")
    return [
        revision
        for sheet in sheets
        for revision in (sheet.revisions if all_revisions else sheet.revisions[-1:])
    ]


def _recency(question: Question) -> tuple[int, int]:
    """How recent a question row is among those sharing its stable id."""
    return (question.revision.position, question.version)


def _reading_order(question: Question) -> tuple[Any, ...]:
    """Sheet, revision (oldest first), paragraph, then the order the questions were stored."""
    revision = question.revision
    return (revision.sheet.slug, revision.position, question.paragraph.index, question.id)


def _paragraph_object(paragraph: Paragraph) -> dict[str, Any]:
    """A paragraph of a sheet object, keys as ``quiz generate --json`` prints them."""
    return {
        "anchor": paragraph.anchor,
        "index": paragraph.index,
        "text": paragraph.text,
        "lang": paragraph.lang,
        "section": paragraph.section,
        "kind": paragraph.kind,
        "quizzable": paragraph.quizzable,
        "skip_reason": paragraph.skip_reason,
        "translation_of": paragraph.translation_of,
    }
