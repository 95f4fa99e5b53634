"""Parsed paragraphs kept small, so that a big sheet's parses fit in bounded memory.

A spaCy ``Doc`` holds, besides its tokens, the tok2vec tensor that no rule reads:
kept for every paragraph of a 5 MB sheet, they took gigabytes. Generation streams
the paragraphs through the parser in batches; once a paragraph's facts are taken,
its sentences are kept as spans and its parse as a compressed array of token
attributes (what spaCy's DocBin stores, without its per-call registry look-ups),
and a question builder that needs the parse again gets it back from them.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy

from .facts.context import sentence_spans
from .model import Paragraph, Span
from .normalize import matching_text

# DocBin's attributes, ORTH first; entity links and the tensor are left out.
_ATTRIBUTES = ["ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA",
               "MORPH", "POS", "SENT_START"]  # fmt: skip


def _pack(doc: Any) -> tuple[Any, int, bytes, bytes]:
    """A parse as (vocabulary, token count, attribute array, spaces), compressed."""
    array = doc.to_array(_ATTRIBUTES)
    spaces = numpy.array([bool(token.whitespace_) for token in doc], dtype=numpy.bool_)
    return doc.vocab, len(doc), zlib.compress(array.tobytes(), 1), spaces.tobytes()


def _unpack(packed: tuple[Any, int, bytes, bytes]) -> Any:
    """The parse ``_pack`` packed, as DocBin rebuilds one."""
    from spacy.tokens import Doc

    vocab, length, array_bytes, space_bytes = packed
    array = numpy.frombuffer(zlib.decompress(array_bytes), dtype=numpy.uint64)
    array = array.reshape((length, len(_ATTRIBUTES)))
    spaces = numpy.frombuffer(space_bytes, dtype=numpy.bool_).tolist()
    blank: Any = Doc(vocab, words=array[:, 0], spaces=spaces)  # type: ignore[arg-type]
    return blank.from_array(_ATTRIBUTES, array)


class Parses:
    """The parse of every quizzable paragraph, by paragraph, in compact form."""

    def __init__(self) -> None:
        """An empty store."""
        self._sentences: dict[int, list[Span]] = {}
        self._packed: dict[int, tuple[Any, int, bytes, bytes]] = {}
        self._last: tuple[int, Any] = (0, None)

    def keep(self, paragraph: Paragraph, doc: Any) -> None:
        """Keep ``paragraph``'s sentences and packed parse; ``doc`` may then be dropped."""
        self._sentences[id(paragraph)] = sentence_spans(matching_text(paragraph.text), doc)
        self._packed[id(paragraph)] = _pack(doc)

    def sentences(self, paragraph: Paragraph) -> list[Span]:
        """The paragraph's sentences as its parse splits them (the whole text when it
        was not parsed)."""
        found = self._sentences.get(id(paragraph))
        if found is None:
            return sentence_spans(matching_text(paragraph.text), None)
        return found

    def doc(self, paragraph: Paragraph) -> Any:
        """The paragraph's parse unpacked, or None when it was not parsed; the last one
        is kept, since questions are built paragraph after paragraph."""
        key = id(paragraph)
        if self._last[0] != key:
            packed = self._packed.get(key)
            if packed is None:
                return None
            self._last = (key, _unpack(packed))
        return self._last[1]
