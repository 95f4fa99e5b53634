"""Sheets as people read them: the home list, the sheet list, one revision's page.

Paragraphs retired by an import (kept for the answers that cite them) are
not shown; every count comes from ``quiz.services.library.counts``, the one definition
the instructor's pages and the API share. Everything is re-exported
by ``quiz.services.library.sheets``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Paragraph, Revision, Sheet
from ..errors import NotFound
from .counts import (
    paragraph_counts,
    question_counts,
    question_counts_per_paragraph,
    sheet_question_count,
)


@dataclass(frozen=True)
class RevisionSummary:
    """A revision as the home page lists it."""

    label: str
    position: int
    file_name: str
    imported_at: datetime
    paragraph_count: int  # quizzable paragraphs
    question_count: int  # approved questions


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
        """The sheet's question count: its latest revision's (see ``sheet_question_count``)."""
        return sheet_question_count([revision.question_count for revision in self.revisions])


def sheet_summaries() -> list[SheetSummary]:
    """Every sheet, by title, with its revisions and their approved question counts."""
    sheets = db.session.scalars(
        select(Sheet).options(selectinload(Sheet.revisions)).order_by(Sheet.title, Sheet.slug)
    ).all()
    questions = question_counts()
    paragraphs = paragraph_counts()
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


@dataclass(frozen=True)
class SheetListing:
    """A sheet as the sheet list shows it.

    ``revisions`` maps each label, oldest first, to its approved question
    count: iterating it gives the labels, the last being the latest.
    """

    slug: str
    title: str
    lang: str
    source_url: str | None
    latest_revision: str
    question_count: int  # approved questions of the latest revision
    revisions: dict[str, int]


def list_sheets() -> list[SheetListing]:
    """Every sheet with at least one revision, by title, with its question counts."""
    listings = []
    for summary in sheet_summaries():
        if not summary.revisions:
            continue
        latest = summary.revisions[-1]
        listings.append(
            SheetListing(
                slug=summary.slug,
                title=summary.title,
                lang=summary.lang,
                source_url=summary.source_url,
                latest_revision=latest.label,
                question_count=summary.question_count,
                revisions={r.label: r.question_count for r in summary.revisions},
            )
        )
    return listings


@dataclass(frozen=True)
class ParagraphView:
    """A paragraph of a sheet page, with the number of approved questions it feeds."""

    anchor: str
    index: int
    text: str
    lang: str
    section: str | None
    kind: str  # heading, paragraph, item, caption
    quizzable: bool
    translation_of: str | None
    question_count: int


@dataclass(frozen=True)
class SheetPage:
    """One revision of a sheet, to read.

    ``revision`` is the chosen revision's label; ``revisions`` maps every
    label, oldest first, to its approved question count.
    """

    slug: str
    title: str
    lang: str
    source_url: str | None
    revision: str
    latest_revision: str
    question_count: int  # approved questions of the chosen revision
    revisions: dict[str, int]
    paragraphs: list[ParagraphView]

    @property
    def is_latest(self) -> bool:
        """Whether the chosen revision is the newest one."""
        return self.revision == self.latest_revision


def sheet_page(slug: str, revision_label: str | None = None) -> SheetPage:
    """A sheet at one revision (the latest by default); ``NotFound`` if either is unknown."""
    revision = find_revision(slug, revision_label)
    sheet = revision.sheet
    counts = question_counts()
    by_paragraph = question_counts_per_paragraph(revision.id)
    return SheetPage(
        slug=sheet.slug,
        title=sheet.title,
        lang=sheet.lang,
        source_url=sheet.source_url,
        revision=revision.label,
        latest_revision=sheet.revisions[-1].label,
        question_count=counts.get(revision.id, 0),
        revisions={r.label: counts.get(r.id, 0) for r in sheet.revisions},
        paragraphs=[
            _paragraph_view(paragraph, by_paragraph.get(paragraph.id, 0))
            for paragraph in revision.paragraphs
            if not paragraph.retired
        ],
    )


def find_revision(slug: str, revision_label: str | None = None) -> Revision:
    """The sheet's revision of that label, or its latest; ``NotFound`` if either is unknown."""
    sheet = db.session.scalar(select(Sheet).filter_by(slug=slug))
    if sheet is None or not sheet.revisions:
        raise NotFound("Cette fiche n'existe pas.")
    if revision_label is None:
        return sheet.revisions[-1]  # ordered by position: the newest is last
    for revision in sheet.revisions:
        if revision.label == revision_label:
            return revision
    raise NotFound("Cette version de la fiche n'existe pas.")


def evidence_url(slug: str, revision_label: str, anchor: str, start: int, end: int) -> str:
    """The path of the sheet page with the evidence span highlighted and scrolled to.

    ``/sheets/<slug>/revisions/<label>?hl=<anchor>:<start>-<end>#<anchor>``,
    under the app's script root when called during a request.
    """
    root = request.script_root if has_request_context() else ""
    path = f"/sheets/{quote(slug, safe='')}/revisions/{quote(revision_label, safe='')}"
    return f"{root}{path}?hl={quote(anchor)}:{start}-{end}#{quote(anchor)}"


def _paragraph_view(paragraph: Paragraph, question_count: int) -> ParagraphView:
    """A paragraph row as the sheet page shows it."""
    return ParagraphView(
        anchor=paragraph.anchor,
        index=paragraph.index,
        text=paragraph.text,
        lang=paragraph.lang,
        section=paragraph.section,
        kind=paragraph.kind,
        quizzable=paragraph.quizzable,
        translation_of=paragraph.translation_of,
        question_count=question_count,
    )
