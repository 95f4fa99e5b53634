"""What an upload made, as the instructor reads it: the sheet list and a revision's page.

``author_sheets``: every sheet with its revisions and question counts (drafts
too, and the stale questions still waiting for a decision). ``revision_page``:
one revision's paragraphs with the facts the pipeline found and the questions
they feed. The upload itself is ``quiz.services.uploads``; the learners' side
of the same sheets is ``sheet_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import STATUS_APPROVED, STATUS_DRAFT, Paragraph, Question, Revision, Sheet
from ..library.counts import paragraph_counts, question_counts, question_status_counts
from ..library.sheet_pages import find_revision
from .stale import open_stale_counts


@dataclass(frozen=True)
class RevisionRow:
    """A revision as the instructor's sheet list shows it."""

    label: str
    file_name: str
    paragraphs: int  # quizzable paragraphs shown
    approved: int
    drafts: int
    open_stale: int  # stale questions still waiting for a decision


@dataclass(frozen=True)
class SheetRow:
    """A sheet as the instructor's sheet list shows it, revisions oldest first."""

    slug: str
    title: str
    lang: str
    revisions: list[RevisionRow]

    @property
    def open_stale(self) -> int:
        """Stale questions of every revision waiting for a decision."""
        return sum(revision.open_stale for revision in self.revisions)


def author_sheets() -> list[SheetRow]:
    """Every sheet by title, each revision with its paragraphs, questions and open stale ones."""
    statuses = question_status_counts(Question.revision_id)
    approved = question_counts()
    paragraphs = paragraph_counts()
    stale = open_stale_counts()
    sheets = db.session.scalars(select(Sheet).order_by(Sheet.title, Sheet.slug)).all()
    return [
        SheetRow(
            sheet.slug,
            sheet.title,
            sheet.lang,
            [
                RevisionRow(
                    label=revision.label,
                    file_name=revision.file_name,
                    paragraphs=paragraphs.get(revision.id, 0),
                    approved=approved.get(revision.id, 0),
                    drafts=statuses[revision.id][STATUS_DRAFT],
                    open_stale=stale.get(revision.id, 0),
                )
                for revision in sheet.revisions
            ],
        )
        for sheet in sheets
    ]


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph's text, with the kinds of the facts that cover it (if any)."""

    text: str
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParagraphFacts:
    """A paragraph of a revision: its text cut at the facts found, and the questions it feeds."""

    paragraph: Paragraph
    segments: list[Segment]
    facts: list[dict[str, Any]]
    approved: int
    drafts: int


@dataclass(frozen=True)
class RevisionPage:
    """One revision of a sheet for the instructor, with the sheet's other revisions."""

    sheet: Sheet
    revision: Revision
    labels: list[str]  # oldest first
    paragraphs: list[ParagraphFacts]
    paragraph_count: int  # quizzable paragraphs, as every page counts them
    approved: int  # approved questions of the revision, as every page counts them
    drafts: int
    cites_earlier: int  # questions of this revision citing a paragraph of an earlier one
    open_stale: int

    @property
    def is_latest(self) -> bool:
        """Whether this is the sheet's newest revision."""
        return self.revision.label == self.labels[-1]

    @property
    def previous_label(self) -> str | None:
        """The label of the revision just before this one, if any."""
        index = self.labels.index(self.revision.label)
        return self.labels[index - 1] if index else None

    @property
    def fact_count(self) -> int:
        """Facts found in the revision's paragraphs."""
        return sum(len(item.facts) for item in self.paragraphs)


def revision_page(slug: str, label: str | None = None) -> RevisionPage:
    """A revision (the latest by default) with its facts; ``NotFound`` if either is unknown."""
    revision = find_revision(slug, label)
    fed = question_status_counts(Question.paragraph_id, Question.revision_id == revision.id)
    own = {paragraph.id for paragraph in revision.paragraphs}
    cites_earlier = sum(
        counts[STATUS_APPROVED] + counts[STATUS_DRAFT]
        for paragraph_id, counts in fed.items()
        if paragraph_id not in own
    )
    paragraphs = [
        ParagraphFacts(
            paragraph,
            fact_segments(paragraph.text, paragraph.facts or []),
            sorted(paragraph.facts or [], key=lambda fact: (fact["start"], fact["end"])),
            fed[paragraph.id][STATUS_APPROVED],
            fed[paragraph.id][STATUS_DRAFT],
        )
        for paragraph in revision.paragraphs
        if not paragraph.retired
    ]
    labels = [item.label for item in revision.sheet.revisions]
    drafts = question_status_counts(Question.revision_id, Question.revision_id == revision.id)
    return RevisionPage(
        revision.sheet,
        revision,
        labels,
        paragraphs,
        paragraph_count=paragraph_counts(Paragraph.revision_id == revision.id).get(revision.id, 0),
        approved=question_counts(Question.revision_id == revision.id).get(revision.id, 0),
        drafts=drafts[revision.id][STATUS_DRAFT],
        cites_earlier=cites_earlier,
        open_stale=open_stale_counts().get(revision.id, 0),
    )


def fact_segments(text: str, facts: list[dict[str, Any]]) -> list[Segment]:
    """``text`` cut at every fact boundary; each piece names the kinds of facts covering it.

    Facts may overlap (a date inside a treaty's name): the pieces do not.
    Spans that do not fit the text are ignored.
    """
    spans = [
        (int(fact["start"]), int(fact["end"]), str(fact["kind"]))
        for fact in facts
        if 0 <= int(fact["start"]) < int(fact["end"]) <= len(text)
    ]
    cuts = sorted({0, len(text), *(s for s, _e, _k in spans), *(e for _s, e, _k in spans)})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        kinds = tuple(sorted({kind for s, e, kind in spans if s <= start and end <= e}))
        segments.append(Segment(text[start:end], kinds))
    return segments
