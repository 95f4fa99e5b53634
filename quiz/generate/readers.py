"""Readers: a sheet file in, a list of display blocks out.

One reader per format. Each returns ``(title, blocks)`` where a block's text
is what a learner reads: Markdown inline markup removed, HTML reduced to its
main content (trafilatura drops navigation, headers, footers, scripts, styles).
A PDF's text layer is extracted by pypdf, its paragraphs rebuilt from the
lines, and then read as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .errors import SheetError
from .model import Block
from .resources import (
    CHROME_LINE,
    CHROME_PREFIX,
    HIDDEN_TAG_CLOSE,
    HIDDEN_TAG_OPEN,
    TITLE_STOP,
)

MAX_BYTES = 5 * 1024 * 1024
Reader = Callable[[str], tuple[str | None, list[Block]]]


def _require_sheet_file(path: Path) -> None:
    """A SheetError unless ``path`` is a non-empty file of at most 5 MB."""
    if not path.exists():
        raise SheetError(path, "no such file")
    if not path.is_file():
        raise SheetError(path, "not a file")
    size = path.stat().st_size
    if size == 0:
        raise SheetError(path, "the file is empty")
    if size > MAX_BYTES:
        raise SheetError(path, f"the file is {size / 1e6:.1f} MB; sheets are limited to 5 MB")


def read_text_file(path: Path) -> str:
    """The file's text, or a SheetError saying in one line why it cannot be used."""
    _require_sheet_file(path)
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise SheetError(path, "this is a binary file, not a text sheet")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(path, f"the text is not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise SheetError(path, "the file holds only white space")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strip_chrome(line: str) -> str | None:
    """A scraped line without glued page chrome ("moreNouvelles" → "Nouvelles"), or None."""
    line = CHROME_PREFIX.sub("", line.strip())
    if not line or CHROME_LINE.match(line):
        return None
    return line


def _line_block(line: str) -> Block:
    """Classify one line of a plain-text sheet."""
    stripped = line.strip()
    if stripped.startswith("#"):
        hashes = len(stripped) - len(stripped.lstrip("#"))
        return Block("heading", stripped[hashes:].strip(), level=hashes)
    for bullet in ("- ", "* ", "• ", "– "):
        if stripped.startswith(bullet):
            return Block("item", stripped[len(bullet) :].strip())
    return Block("paragraph", stripped)


def read_plain(text: str) -> tuple[str | None, list[Block]]:
    """Plain text: blank-line paragraphs, or one paragraph per line when none are blank."""
    lines = text.split("\n")
    has_blank_paragraphs = (
        any(not ln.strip() for ln in lines[1:-1]) and sum(1 for ln in lines if ln.strip()) > 1
    )
    blocks: list[Block] = []
    if has_blank_paragraphs:
        chunk: list[str] = []
        for line in [*lines, ""]:
            if line.strip():
                chunk.append(line)
                continue
            if chunk:
                blocks.extend(_chunk_blocks(chunk))
                chunk = []
    else:
        for line in lines:
            cleaned = _strip_chrome(line)
            if cleaned:
                blocks.append(_line_block(cleaned))
    return _title_from_first_line(blocks)


def _chunk_blocks(chunk: list[str]) -> list[Block]:
    """One blank-line paragraph; a chunk of bullets gives one block per item."""
    if (
        all(_line_block(ln).kind == "item" for ln in chunk)
        or _line_block(chunk[0]).kind == "heading"
    ):
        return [_line_block(ln) for ln in chunk if ln.strip()]
    return [Block("paragraph", "\n".join(ln.strip() for ln in chunk))]


def _title_from_first_line(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """A first short line with no closing punctuation is the sheet's title."""
    if not blocks:
        return None, blocks
    first = blocks[0]
    if first.kind == "heading":
        return first.text, blocks
    if first.kind == "paragraph" and len(first.text) < 120 and not TITLE_STOP.search(first.text):
        return first.text, [Block("heading", first.text, level=1), *blocks[1:]]
    return None, blocks


def read_markdown(text: str) -> tuple[str | None, list[Block]]:
    """Markdown through markdown-it-py: headings, paragraphs and list items as blocks."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Block] = []
    list_depth = 0
    heading_level = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "heading_open":
            heading_level = int(token.tag[1:])
        elif token.type == "inline":
            plain = _inline_text(token.children or []).strip()
            if not plain:
                continue
            if heading_level:
                blocks.append(Block("heading", plain, level=heading_level))
            else:
                blocks.append(Block("item" if list_depth else "paragraph", plain))
        elif token.type == "heading_close":
            heading_level = 0
    title = next((b.text for b in blocks if b.kind == "heading"), None)
    return title, blocks


def _inline_text(children: list) -> str:  # type: ignore[type-arg]
    """The readable text of an inline token: link text kept, markup dropped.

    Raw HTML tags are dropped, and so is the text inside ``<script>`` and
    ``<style>``: it is code, never something to quiz on.
    """
    parts: list[str] = []
    hidden = 0
    for child in children:
        if child.type == "html_inline":
            if HIDDEN_TAG_OPEN.match(child.content):
                hidden += 1
            elif HIDDEN_TAG_CLOSE.match(child.content):
                hidden = max(0, hidden - 1)
        elif hidden:
            continue
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def read_html(text: str) -> tuple[str | None, list[Block]]:
    """HTML: trafilatura keeps the main content (no nav, header, footer, script, style)."""
    import trafilatura
    from lxml import etree

    extracted = trafilatura.extract(
        text,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_formatting=False,
        favor_recall=True,
        deduplicate=False,
    )
    metadata = trafilatura.extract_metadata(text)
    title = metadata.title if metadata and metadata.title else None
    if not extracted:
        return title, []
    root = etree.fromstring(extracted.encode("utf-8"))
    blocks: list[Block] = []
    for element in root.iter("head", "p", "item", "cell"):
        content = " ".join("".join(element.itertext()).split())
        if not content:
            continue
        if element.tag == "head":
            level = int(str(element.get("rend", "h2")).lstrip("h") or 2)
            blocks.append(Block("heading", content, level=level))
        else:
            blocks.append(Block("item" if element.tag == "item" else "paragraph", content))
    if title and not any(b.kind == "heading" and b.text == title for b in blocks):
        blocks.insert(0, Block("heading", title, level=1))
    return title, blocks


# A PDF line that is only a page number ("12", "Page 3", "3 / 10"): not text.
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?$", re.I)
# A line ending a sentence ends its paragraph: PDFs seldom keep blank lines.
_SENTENCE_END = re.compile(r"[.!?…][»\"')\]]*$")
_BULLET = re.compile(r"^[•▪◦·–-]\s")
# A line opening a block, shorter than this share of the page's longest line
# and not visibly running on (no closing punctuation, hyphen or comma), stands
# alone: a title or a heading.
_SHORT_LINE = 0.6


def read_pdf_text(path: Path) -> str:
    """A PDF's text layer, one paragraph per block, blank lines between (for ``read_plain``).

    Text is extracted page by page with pypdf; a PDF that yields none is a scan.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    _require_sheet_file(path)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SheetError(path, "the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    # Damaged files surface as pypdf's errors or as lookups into missing objects.
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise SheetError(path, f"not a readable PDF ({exc.__class__.__name__}: {exc})") from None
    paragraphs = pdf_paragraphs(pages)
    if not paragraphs:
        raise SheetError(path, "no text layer (scanned PDF?)")
    return "\n\n".join(paragraphs)


def pdf_paragraphs(pages: list[str]) -> list[str]:
    """Rebuild paragraphs from the lines of each page's text.

    A paragraph ends at a blank line, at a line ending a sentence, and before a
    bullet; a short line without closing punctuation stands alone. Page ends do
    not end a paragraph: text often runs on to the next page.
    """
    paragraphs: list[str] = []
    current = ""
    for page in pages:
        lines = [" ".join(line.split()) for line in page.splitlines()]
        longest = max((len(line) for line in lines), default=0)
        for line in lines:
            if _PAGE_NUMBER.match(line):
                continue
            if not line or (current and _BULLET.match(line)):
                paragraphs.append(current)
                current = ""
                if not line:
                    continue
            standalone = (
                not current and len(line) < _SHORT_LINE * longest and not line.endswith(("-", ","))
            )
            current = _join_line(current, line)
            if _SENTENCE_END.search(line) or standalone:
                paragraphs.append(current)
                current = ""
    paragraphs.append(current)
    return [paragraph for paragraph in paragraphs if paragraph]


def _join_line(text: str, line: str) -> str:
    """``text`` continued by ``line``, rejoining a word hyphenated across the break.

    "coopé-" + "ration" is one word; "OTAN-" + "Russie" keeps its hyphen.
    """
    if not text:
        return line
    if text.endswith("-") and text[-2:-1].isalpha():
        return text[:-1] + line if line[:1].islower() else text + line
    return f"{text} {line}"


READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    # The PDF loader below rebuilds blank-line paragraphs: plain text from there on.
    ".pdf": read_plain,
}
# How a file becomes the text its reader takes; read as UTF-8 text unless listed.
LOADERS: dict[str, Callable[[Path], str]] = {".pdf": read_pdf_text}


def read_sheet(path: Path) -> tuple[str | None, list[Block]]:
    """Read any supported sheet file into ``(title, blocks)``."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise SheetError(
            path, f"unknown file type {path.suffix or '(none)'!r}; expected one of {known}"
        )
    load = LOADERS.get(suffix, read_text_file)
    return reader(load(path))
