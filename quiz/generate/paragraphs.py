"""Blocks → paragraphs: anchors, sections, language, and what is not quizzable.

An anchor depends only on the paragraph's own normalised text, so a paragraph
left unchanged by a new revision keeps its anchor, wherever it moves.
"""

from __future__ import annotations

import hashlib
import re

from .model import Block, Paragraph
from .normalize import collapse, fold
from .resources import (
    CONTACT_WORDS,
    DATELINE,
    EMAIL,
    ENGLISH_MARKERS,
    FRENCH_MARKERS,
    HANDLE,
    NEWS_HEADING,
    PHONE,
    TERMINAL,
    URL,
)

_WORDS = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


def anchor_for(text: str, prefix: str = "p") -> str:
    """A short hash of the paragraph's normalised text."""
    digest = hashlib.sha1(collapse(text).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def detect_language(text: str, default: str) -> str:
    """'fr' or 'en' from function-word counts; ``default`` when too short to tell."""
    french = len(FRENCH_MARKERS.findall(text))
    english = len(ENGLISH_MARKERS.findall(text))
    if french + english < 3:
        return default
    return "fr" if french >= english else "en"


def skip_reason(block: Block) -> str | None:
    """Why a block must never become a question, or None when it may."""
    text = block.text.strip()
    if block.kind == "heading":
        return "heading"
    if EMAIL.search(text) or PHONE.search(text) or HANDLE.search(text) or CONTACT_WORDS.match(text):
        return "contact"
    if URL.search(text) and len(_WORDS.findall(text)) < 12:
        return "contact"
    if DATELINE.match(text):
        return "chrome"  # a news teaser: its dateline runs straight into the headline
    if not TERMINAL.search(text) and len(_WORDS.findall(text)) < 16:
        return "caption"
    return None


def _in_news_list(block: Block, inside: bool) -> bool:
    """Whether ``block`` lies in a list of news teasers: from a "Nouvelles" / "News"
    heading or caption up to the next heading (teasers are page furniture)."""
    if NEWS_HEADING.match(block.text.strip()):
        return True
    return inside and block.kind != "heading"


def build_paragraphs(blocks: list[Block], sheet_lang: str | None) -> tuple[str, list[Paragraph]]:
    """Turn reader blocks into paragraphs; returns the sheet's language and the paragraphs."""
    body = " ".join(b.text for b in blocks if b.kind != "heading")
    lang = sheet_lang or detect_language(body, "fr")
    paragraphs: list[Paragraph] = []
    seen: dict[str, int] = {}
    section: str | None = None
    news = False
    for block in blocks:
        news = _in_news_list(block, news)
        reason = skip_reason(block) or ("chrome" if news else None)
        base = anchor_for(block.text, "h" if block.kind == "heading" else "p")
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if block.kind == "heading":
            section = block.text
        kind = "caption" if reason == "caption" else block.kind
        paragraphs.append(
            Paragraph(
                anchor=anchor,
                index=len(paragraphs),
                text=block.text,
                lang=detect_language(block.text, lang),
                section=None if block.kind == "heading" else section,
                kind=kind,
                quizzable=reason is None,
                skip_reason=reason,
            )
        )
    return lang, _mark_translations(paragraphs, lang)


def _signature(text: str) -> tuple[set[str], int]:
    """Numbers a paragraph states and its length: what survives translation."""
    return set(_DIGITS.findall(text)), len(fold(text))


def _mark_translations(paragraphs: list[Paragraph], lang: str) -> list[Paragraph]:
    """A paragraph in another language that mirrors its neighbour is its translation."""
    result = list(paragraphs)
    for i, para in enumerate(result):
        if not para.quizzable or para.lang == lang:
            continue
        original = next(
            (
                p
                for p in reversed(result[:i])
                if p.quizzable and p.lang == lang and p.kind == para.kind
            ),
            None,
        )
        if original is None:
            continue
        digits, length = _signature(para.text)
        original_digits, original_length = _signature(original.text)
        same_numbers = digits == original_digits
        if same_numbers and 0.6 <= length / max(original_length, 1) <= 1.6:
            result[i] = Paragraph(
                **{
                    **para.__dict__,
                    "quizzable": False,
                    "translation_of": original.anchor,
                    "skip_reason": "translation",
                }
            )
    return result
