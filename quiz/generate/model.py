"""Plain data carried between the pipeline's stages.

Everything here is immutable and free of Flask and the database: the web app
and the command line both consume these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "item", "caption"]
QuestionType = Literal["mcq", "cloze", "true_false", "short", "numeric", "order"]
FactKind = Literal["date", "institution", "acronym", "treaty", "number", "person", "place"]


@dataclass(frozen=True)
class Block:
    """One block of a sheet as a reader sees it: a heading, paragraph or list item."""

    kind: BlockKind
    text: str
    level: int = 0


@dataclass(frozen=True)
class SheetSource:
    """Where a sheet revision comes from and what it is called."""

    path: Path
    slug: str
    title: str | None = None
    lang: str | None = None
    revision: str = "1"
    order: int = 0
    source_url: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A quizzable unit of text with an anchor stable across revisions.

    ``text`` is the display text exactly as read; ``quizzable`` is false for
    captions, contact blocks and page chrome, and for translations of a
    neighbouring paragraph (``translation_of`` names it).
    """

    anchor: str
    index: int
    text: str
    lang: str
    section: str | None = None
    kind: BlockKind = "paragraph"
    quizzable: bool = True
    translation_of: str | None = None
    skip_reason: str | None = None


@dataclass(frozen=True)
class Span:
    """Half-open character span ``[start, end)`` in a paragraph's text."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        """The part of ``text`` this span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class DateValue:
    """A normalised date: year always, month and day when known.

    ``qualifier`` keeps vague parts ("début", "printemps", "fin des années")
    and ``precision`` says what the expression pins down.
    """

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str | None = None
    precision: Literal["day", "month", "season", "year", "decade"] = "year"

    def sort_key(self) -> tuple[int, int, int]:
        """Chronological key; unknown parts sort at the start of their period."""
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class Fact:
    """Something a teacher could ask about, with the exact text that states it.

    ``span`` is the answer's characters in the paragraph, ``evidence`` the
    sentence (or clause group) that proves it. ``value`` holds the kind's
    normalised value (a DateValue, a number, an acronym expansion...), and
    ``data`` any kind-specific extras (unit, treaty action, party...).
    """

    kind: FactKind
    text: str
    span: Span
    evidence: Span
    paragraph: Paragraph
    value: Any = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """Provenance of a question: which sheet, revision, paragraph and span."""

    sheet: str
    revision: str
    anchor: str
    paragraph: str
    evidence: Span
    # An order question's event: its date as the sheet writes it.
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The schema's ``source`` object."""
        data: dict[str, Any] = {
            "sheet": self.sheet,
            "revision": self.revision,
            "anchor": self.anchor,
            "paragraph": self.paragraph,
            "evidence": {"start": self.evidence.start, "end": self.evidence.end},
        }
        if self.date is not None:
            data["date"] = self.date
        return data


@dataclass(frozen=True)
class Question:
    """A generated question, in the shape of ``quiz generate --json``."""

    id: str
    type: QuestionType
    prompt: str
    answer: str | list[str]
    source: Source
    lang: str
    choices: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    difficulty: float = 0.5
    explanation: str = ""
    # Only for ``order``: where each item's date is stated, in answer order.
    item_sources: list[Source] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The question as one object of the documented JSON schema."""
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer": list(self.answer) if isinstance(self.answer, list) else self.answer,
            "accepted": list(self.accepted),
            "lang": self.lang,
            "tags": list(self.tags),
            "difficulty": self.difficulty,
            "explanation": self.explanation,
            "source": self.source.to_json(),
        }
        if self.item_sources:
            data["item_sources"] = [s.to_json() for s in self.item_sources]
        return data


@dataclass(frozen=True)
class SheetResult:
    """One sheet revision after the pipeline: its paragraphs, facts and questions."""

    source: SheetSource
    title: str
    lang: str
    paragraphs: list[Paragraph]
    facts: list[Fact]
    questions: list[Question]

    def to_json(self) -> dict[str, Any]:
        """The sheet object of ``quiz generate --json``."""
        return {
            "slug": self.source.slug,
            "title": self.title,
            "lang": self.lang,
            "revision": self.source.revision,
            "order": self.source.order,
            "source_url": self.source.source_url,
            "file": self.source.path.name,
            "question_count": len(self.questions),
            "paragraphs": [
                {
                    "anchor": p.anchor,
                    "index": p.index,
                    "text": p.text,
                    "lang": p.lang,
                    "section": p.section,
                    "kind": p.kind,
                    "quizzable": p.quizzable,
                    "skip_reason": p.skip_reason,
                    "translation_of": p.translation_of,
                }
                for p in self.paragraphs
            ],
        }


@dataclass(frozen=True)
class GenerationResult:
    """Every sheet revision generated in one run, corpus-wide distractors included."""

    sheets: list[SheetResult]

    @property
    def questions(self) -> list[Question]:
        """All questions of all sheets, in sheet order."""
        return [q for sheet in self.sheets for q in sheet.questions]

    def to_json(self) -> dict[str, Any]:
        """``{"sheets": [...], "questions": [...]}`` as printed by the CLI."""
        return {
            "sheets": [s.to_json() for s in self.sheets],
            "questions": [q.to_json() for q in self.questions],
        }
