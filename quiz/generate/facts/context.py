"""What every fact finder sees of a paragraph: its matching text, sentences,
tokens with their part of speech where the language has a tagger, and the
spans (e-mails, URLs, phone numbers, identifiers) where no fact may be found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Paragraph, Span
from ..normalize import matching_text
from ..resources import EMAIL, HANDLE, IDENTIFIER, PHONE, URL

_TOKEN = re.compile(r"[^\W\d_]+'|«|»|\"|\w+(?:[-'’]\w+)*|[^\w\s]")
_MASKS = (EMAIL, URL, HANDLE, PHONE, IDENTIFIER)


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark, with its offsets and part of speech ('X' if unknown)."""

    text: str
    start: int
    end: int
    pos: str = "X"
    morph: str = ""
    head: int = -1  # offset of the token's syntactic head (-1: no parse)

    @property
    def is_capitalised(self) -> bool:
        """Starts with a capital letter."""
        return self.text[:1].isupper()

    @property
    def lower(self) -> str:
        """Lower-cased text."""
        return self.text.lower()


@dataclass
class ParagraphContext:
    """A paragraph prepared for the fact finders."""

    paragraph: Paragraph
    text: str
    lang: str
    doc: Any = None
    sentences: list[Span] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    masked: list[Span] = field(default_factory=list)

    def sentence_of(self, span: Span) -> Span:
        """The sentence holding ``span``'s start (the evidence of a fact)."""
        for sentence in self.sentences:
            if sentence.start <= span.start < sentence.end:
                return Span(sentence.start, max(sentence.end, span.end))
        return Span(0, len(self.text))

    def is_masked(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches an e-mail, URL, phone number or identifier."""
        return any(m.start < end and start < m.end for m in self.masked)

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token starting at ``offset``."""
        for i, token in enumerate(self.tokens):
            if token.start == offset:
                return i
            if token.start > offset:
                return None
        return None


def _trim(text: str, start: int, end: int) -> Span:
    """A sentence span without its surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


_SENTENCE_END = re.compile(r"[.!?…;»\")\]]$")


def _open_quote(text: str) -> bool:
    """Whether a quotation opened in ``text`` is not closed in it."""
    return text.count("«") > text.count("»") or text.count("“") > text.count("”") or (
        text.count('"') % 2 == 1
    )


def _merge_fragments(text: str, sentences: list[Span]) -> list[Span]:
    """Undo the parser's false sentence breaks: a fragment of under four words
    ("29 Sep."), one that does not end like a sentence ("L'Acte fondateur OTAN-Russie"),
    a break before a lower-case word, or inside a quotation joins the next sentence."""
    merged: list[Span] = []
    for span in sentences:
        if merged:
            previous = merged[-1]
            prev_text = text[previous.start : previous.end]
            starts_lower = text[span.start : span.start + 1].islower()
            short = len(prev_text.split()) < 4 or not _SENTENCE_END.search(prev_text)
            if short or starts_lower or _open_quote(prev_text):
                merged[-1] = Span(previous.start, span.end)
                continue
        merged.append(span)
    return merged


def sentence_spans(text: str, doc: Any) -> list[Span]:
    """The sentences of a paragraph's matching ``text`` as the parse splits them,
    false breaks undone; the whole text when there is no parse."""
    sentences = [_trim(text, s.start_char, s.end_char) for s in doc.sents] if doc else []
    return _merge_fragments(text, sentences) or [_trim(text, 0, len(text))]


def build_context(paragraph: Paragraph, doc: Any) -> ParagraphContext:
    """Tokens, sentences and masks for one parsed paragraph."""
    text = matching_text(paragraph.text)
    pos_at: dict[int, tuple[str, str, int]] = {}
    if doc is not None:
        for token in doc:
            pos_at[token.idx] = (token.pos_ or "X", str(token.morph), token.head.idx)
    sentences = sentence_spans(text, doc)
    tokens = [
        Token(m.group(), m.start(), m.end(), *pos_at.get(m.start(), ("X", "", -1)))
        for m in _TOKEN.finditer(text)
    ]
    masked = [Span(m.start(), m.end()) for pattern in _MASKS for m in pattern.finditer(text)]
    return ParagraphContext(paragraph, text, paragraph.lang, doc, sentences, tokens, masked)
