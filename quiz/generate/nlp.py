"""spaCy, loaded once per process and only when a sheet is generated.

French uses ``fr_core_news_sm`` (parser, tagger, NER); its lemmatizer is left
out because rules match verb forms directly and it costs a second at load.
English has no official small model on PyPI here: a blank pipeline with a
rule-based sentencizer, and the rules do the rest. Web workers never call
this module: generation happens in commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

FRENCH_MODEL = "fr_core_news_sm"
# spaCy's own ceiling (``Language.max_length``): past it the parser and NER need
# about a gigabyte per 100,000 characters, and spaCy refuses the text.
MAX_PARAGRAPH_CHARACTERS = 1_000_000
# Paragraphs parsed together: what spaCy holds at once while a sheet streams through.
BATCH_SIZE = 64


@cache
def pipeline_for(lang: str) -> Any:
    """The spaCy ``Language`` for ``lang``, built on first use and kept."""
    import spacy

    if lang == "fr":
        return spacy.load(FRENCH_MODEL, exclude=["lemmatizer"])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def parse_stream(texts: Iterable[str], lang: str) -> Iterator[Any]:
    """Parse ``texts`` lazily, a batch at a time; yields spaCy ``Doc`` objects in order."""
    return iter(pipeline_for(lang).pipe(texts, batch_size=BATCH_SIZE))


def parse_all(texts: list[str], lang: str) -> list[Any]:
    """Parse ``texts``; returns spaCy ``Doc`` objects in order."""
    return list(parse_stream(texts, lang)) if texts else []


def tokens_within(doc: Any, start: int, end: int) -> list[Any]:
    """The tokens of ``doc`` that begin in ``[start, end)``, without walking the whole
    parse (making every token of a paragraph for each fact was a hot spot)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return [] if span is None else [t for t in span if t.idx >= start]
