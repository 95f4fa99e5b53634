"""Numbers with their unit and what they count ("100 000 soldats", "onze reprises").

A number without a counted noun after it is not asked about: "en 2014" is a
date, "30 à 20 personnes" gives two numbers of "personnes".
"""

from __future__ import annotations

import re

from ..model import Fact, Span
from ..resources import NOT_UNITS, NUMBER, NUMBER_WORDS, SCALES
from .context import ParagraphContext

_RANGE_TAIL = re.compile(r"\s+(?:à|to|-)\s+\d", re.I)


def number_value(text: str, lang: str) -> float:
    """The value of a number as written: '100 000' → 100000, 'onze' → 11, '3,5' → 3.5."""
    words = NUMBER_WORDS.get(lang, {}) | NUMBER_WORDS["fr"] | NUMBER_WORDS["en"]
    if text.lower() in words:
        return float(words[text.lower()])
    digits = re.sub(r"[\s\u00a0\u202f]", "", text)
    if lang == "en" and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        return float(digits.replace(",", ""))  # "14,000": English groups thousands by commas
    if "," in digits and "." not in digits:
        digits = digits.replace(",", ".")
    return float(digits.replace(",", ""))


def _counted_noun(ctx: ParagraphContext, unit: str | None, unit_start: int) -> str | None:
    """The noun a number counts, checked against the tagger when there is one."""
    if not unit:
        return None
    word = unit.strip()
    if word == "%":
        return "%"
    if word.lower() in NOT_UNITS or len(word) < 2:
        return None
    index = ctx.token_index_at(unit_start)
    if index is not None and ctx.tokens[index].pos not in ("X", "NOUN", "PROPN"):
        return None
    return word


def find_numbers(ctx: ParagraphContext, claimed: list[Span]) -> list[Fact]:
    """Counted quantities outside ``claimed`` spans (dates) and masked spans."""
    facts: list[Fact] = []
    pending_range: list[tuple[re.Match[str], float]] = []
    for match in NUMBER.finditer(ctx.text):
        num_start, num_end = match.span("num")
        end = match.end("scale") if match.group("scale") else num_end
        if ctx.is_masked(num_start, end) or any(
            c.start < end and num_start < c.end for c in claimed
        ):
            continue
        if re.match(r"\s*(?:er|re|e|ème|nd|rd|th|st)\b", ctx.text[num_end:]):
            continue  # an ordinal
        value = number_value(match.group("num"), ctx.lang)
        if match.group("scale"):
            value *= SCALES[match.group("scale").lower()]
        unit_start = match.start("unit") + (
            len(match.group("unit") or "") - len((match.group("unit") or "").lstrip())
        )
        unit = _counted_noun(ctx, match.group("unit"), unit_start)
        if unit is None:
            if _RANGE_TAIL.match(ctx.text[end : end + 6]) and match.group("num")[0].isdigit():
                pending_range.append((match, value))
            continue
        is_word = not match.group("num")[0].isdigit()
        if is_word and value < 2:
            continue
        if not match.group("scale"):  # "de 10 à 15 millions": the 10 is 10 million, unsaid
            for earlier, earlier_value in pending_range:
                facts.append(_fact(ctx, earlier, earlier.span("num")[1], earlier_value, unit))
        pending_range = []
        facts.append(_fact(ctx, match, end, value, unit))
    return facts


def _fact(ctx: ParagraphContext, match: re.Match[str], end: int, value: float, unit: str) -> Fact:
    start = match.start("num")
    span = Span(start, end)
    return Fact(
        "number",
        ctx.paragraph.text[start:end],
        span,
        ctx.sentence_of(span),
        ctx.paragraph,
        value,
        {"unit": unit},
    )
