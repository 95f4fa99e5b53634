"""Readers: a sheet file in, a list of display blocks out.

One reader per format. Each returns ``(title, blocks)`` where a block's text
is what a learner reads: Markdown inline markup removed, HTML reduced to its
main content (trafilatura drops navigation, headers, footers, scripts, styles).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import SheetError
from .model import Block
from .resources import CHROME_LINE, CHROME_PREFIX, TITLE_STOP

MAX_BYTES = 5 * 1024 * 1024
Reader = Callable[[str], tuple[str | None, list[Block]]]


def read_text_file(path: Path) -> str:
    """The file's text, or a SheetError saying in one line why it cannot be used."""
    if not path.exists():
        raise SheetError(path, "no such file")
    if not path.is_file():
        raise SheetError(path, "not a file")
    size = path.stat().st_size
    if size == 0:
        raise SheetError(path, "the file is empty")
    if size > MAX_BYTES:
        raise SheetError(path, f"the file is {size / 1e6:.1f} MB; sheets are limited to 5 MB")
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
    """The readable text of an inline token: link text kept, markup dropped."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
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


READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}


def read_sheet(path: Path) -> tuple[str | None, list[Block]]:
    """Read any supported sheet file into ``(title, blocks)``."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise SheetError(
            path, f"unknown file type {path.suffix or '(none)'!r}; expected one of {known}"
        )
    return reader(read_text_file(path))
