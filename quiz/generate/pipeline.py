"""The pipeline, composed: discover sheets, read, segment, parse, find facts, ask.

``generate`` is pure and deterministic: the same files give the same JSON,
ids included. Distractors are drawn from every sheet generated together.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import SheetError
from .facts import extract_facts
from .model import GenerationResult, Paragraph, SheetResult, SheetSource
from .nlp import MAX_PARAGRAPH_CHARACTERS, parse_stream
from .normalize import matching_text
from .paragraphs import build_paragraphs
from .parses import Parses
from .questions import build_questions
from .readers import READERS, read_sheet

MANIFEST = "sheet.toml"
# Told (paragraphs parsed, paragraphs to parse) after each paragraph: a background
# import shows it as its progress bar.
Progress = Callable[[int, int], None]


def slugify(text: str) -> str:
    """'Les relations OTAN-Russie' → 'les-relations-otan-russie'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "sheet"


def _is_web_url(value: object) -> bool:
    """Whether ``value`` is an http(s) URL: the only links a sheet may give to its readers."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _manifest_sources(directory: Path) -> list[SheetSource]:
    """The revisions a ``sheet.toml`` lists, oldest first."""
    path = directory / MANIFEST
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
        revisions = meta["revisions"]
        slug = str(meta.get("slug") or slugify(directory.name))
        source_url = meta.get("source")
        if source_url is not None and not _is_web_url(source_url):
            raise SheetError(path, f"source must be an http(s) URL, not {source_url!r}")
        return [
            SheetSource(
                path=directory / str(rev["file"]),
                slug=slug,
                title=meta.get("title"),
                lang=meta.get("lang"),
                revision=str(rev.get("label", i + 1)),
                order=i,
                source_url=source_url,
            )
            for i, rev in enumerate(revisions)
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise SheetError(
            path, f"invalid sheet metadata ({exc.__class__.__name__}: {exc})"
        ) from None


def discover(paths: Sequence[Path]) -> list[SheetSource]:
    """Sheet revisions named by files and folders (a folder with sheet.toml is one sheet)."""
    sources: list[SheetSource] = []
    for path in map(Path, paths):
        if path.is_dir():
            if (path / MANIFEST).exists():
                sources.extend(_manifest_sources(path))
                continue
            for child in sorted(path.iterdir()):
                if child.is_dir() and (child / MANIFEST).exists():
                    sources.extend(_manifest_sources(child))
                elif child.is_file() and child.suffix.lower() in READERS:
                    sources.append(SheetSource(path=child, slug=slugify(child.stem)))
        elif path.is_file():
            if path.suffix.lower() not in READERS:
                known = ", ".join(sorted(READERS))
                raise SheetError(
                    path, f"unknown file type {path.suffix or '(none)'!r}; expected one of {known}"
                )
            sources.append(SheetSource(path=path, slug=slugify(path.stem)))
        else:
            raise SheetError(path, "no such file or folder")
    return sources


def _segment(source: SheetSource) -> tuple[str, str, list[Paragraph]]:
    title, blocks = read_sheet(source.path)
    lang, paragraphs = build_paragraphs(blocks, source.lang)
    if not any(p.quizzable for p in paragraphs):
        raise SheetError(source.path, "no paragraph of text to ask about was found")
    _check_paragraph_lengths(source.path, paragraphs)
    return source.title or title or source.path.stem, lang, paragraphs


def _check_paragraph_lengths(path: Path, paragraphs: Sequence[Paragraph]) -> None:
    """A SheetError if a paragraph to parse is longer than spaCy takes (a one-line sheet)."""
    for paragraph in filter(lambda p: p.quizzable, paragraphs):
        length = len(matching_text(paragraph.text))
        if length > MAX_PARAGRAPH_CHARACTERS:
            raise SheetError(
                path,
                f"paragraph {paragraph.index + 1} is {length:,} characters long; paragraphs are"
                f" limited to {MAX_PARAGRAPH_CHARACTERS:,}: separate them with blank lines",
            )


def generate(
    sources: Sequence[SheetSource], progress: Progress | None = None
) -> GenerationResult:
    """Run the whole pipeline on ``sources``; raises SheetError on unusable input.

    ``progress``, when given, is called after each paragraph spaCy has parsed.
    """
    segmented = [(source, *_segment(source)) for source in sources]
    quizzable: dict[str, list[Paragraph]] = {}
    for _, _, _, paragraphs in segmented:
        for p in paragraphs:
            if p.quizzable:
                quizzable.setdefault(p.lang, []).append(p)
    # One stream per language, read in sheet order: only a batch of parses is alive.
    streams = {
        lang: parse_stream((matching_text(p.text) for p in paras), lang)
        for lang, paras in quizzable.items()
    }
    parses = Parses()
    counted = _Counter(sum(len(paras) for paras in quizzable.values()), progress)
    sheets = []
    for source, title, lang, paragraphs in segmented:
        usable = [p for p in paragraphs if p.quizzable]
        facts = extract_facts(usable, _parsed(usable, streams, parses, counted))
        if not facts:
            raise SheetError(
                source.path, "no facts (dates, names, numbers...) were found to ask about"
            )
        sheets.append(SheetResult(source, title, lang, paragraphs, facts, []))
    return build_questions(sheets, parses)


class _Counter:
    """Counts parsed paragraphs for a ``progress`` callback (None: nobody asks)."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def tick(self) -> None:
        """One more paragraph parsed."""
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def _parsed(
    paragraphs: list[Paragraph],
    streams: dict[str, Iterator[Any]],
    parses: Parses,
    counted: _Counter,
) -> Iterator[Any]:
    """The parse of each paragraph from its language's stream, kept packed in ``parses``."""
    for paragraph in paragraphs:
        doc = next(streams[paragraph.lang])
        parses.keep(paragraph, doc)
        counted.tick()
        yield doc
