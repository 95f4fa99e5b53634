"""Evidence highlighting: ``?hl=<anchor>:<start>-<end>`` on a sheet page.

The paragraph text is split at the span and each piece is escaped by Jinja on
its own; the ``<mark>`` element is the only markup added, so a sheet's text
can never inject HTML, whatever it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HIGHLIGHT = re.compile(r"(?P<anchor>[A-Za-z0-9_-]{1,200}):(?P<start>\d{1,7})-(?P<end>\d{1,7})")


@dataclass(frozen=True)
class Highlight:
    """A half-open character span ``[start, end)`` of the paragraph ``anchor``."""

    anchor: str
    start: int
    end: int


@dataclass(frozen=True)
class Pieces:
    """A paragraph cut around its evidence: ``before``, ``evidence``, ``after``."""

    before: str
    evidence: str
    after: str


def parse_highlight(value: str | None) -> Highlight | None:
    """The span a link asks for; ``None`` when absent or malformed (then nothing is marked)."""
    match = _HIGHLIGHT.fullmatch(value or "")
    if match is None:
        return None
    start, end = int(match["start"]), int(match["end"])
    if end <= start:
        return None
    return Highlight(match["anchor"], start, end)


def split_at(text: str, start: int, end: int) -> Pieces | None:
    """``text`` cut at ``[start, end)``; ``None`` when the span does not fit in it."""
    if not 0 <= start < end <= len(text):
        return None
    return Pieces(text[:start], text[start:end], text[end:])


def pieces_for(text: str, anchor: str, highlight: Highlight | None) -> Pieces | None:
    """The cut of one paragraph of a page, if the highlight is about this paragraph."""
    if highlight is None or highlight.anchor != anchor:
        return None
    return split_at(text, highlight.start, highlight.end)
