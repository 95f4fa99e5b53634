"""Dated events: full dates, month-year, seasons and parts of years, decades, years.

Patterns are tried from the most to the least precise; a span claimed by one
is never reused by the next ("12 janvier 2022" is one date, not also a year).
"""

from __future__ import annotations

import re

from ..model import DateValue, Fact, Span
from ..resources import (
    DATE_DECADE,
    DATE_DMY,
    DATE_MDY,
    DATE_MY,
    DATE_QUALIFIED,
    MONTHS_EN,
    MONTHS_FR,
    PERIOD_PARTS,
    SAME_PERIOD,
    SEASONS,
    YEAR_ALONE,
)
from .context import ParagraphContext


def month_number(word: str) -> int:
    """1–12 for a French or English month name or abbreviation."""
    key = word.lower()
    if key in MONTHS_FR:
        return MONTHS_FR[key]
    return MONTHS_EN[key.rstrip(".")]


def _day(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _value(pattern: re.Pattern[str], match: re.Match[str]) -> DateValue:
    """The normalised value of a match of one of the date patterns."""
    groups = match.groupdict()
    if pattern in (DATE_DMY, DATE_MDY):
        return DateValue(
            int(groups["year"]), month_number(groups["month"]), _day(groups["day"]), precision="day"
        )
    if pattern is DATE_MY:
        return DateValue(int(groups["year"]), month_number(groups["month"]), precision="month")
    if pattern is DATE_QUALIFIED:
        qual = groups["qual"].lower()
        if qual in SEASONS:
            return DateValue(int(groups["year"]), qualifier=SEASONS[qual], precision="season")
        return DateValue(int(groups["year"]), qualifier=PERIOD_PARTS[qual], precision="year")
    if pattern is DATE_DECADE:
        qual = (groups.get("qual") or "").lower()
        decade = int(groups.get("fr") or groups.get("en") or 0)
        return DateValue(decade, qualifier=PERIOD_PARTS.get(qual, "decade"), precision="decade")
    return DateValue(int(match.group()), precision="year")


_PATTERNS = (DATE_DMY, DATE_MDY, DATE_DECADE, DATE_QUALIFIED, DATE_MY, YEAR_ALONE)


def find_dates(ctx: ParagraphContext, previous: list[Fact]) -> list[Fact]:
    """Every date in the paragraph; "le même mois" resolved from ``previous`` dates.

    ``previous`` holds the dates of the sentence before this paragraph's first
    one (the last sentence of the paragraph before), for list items that say
    "Le même mois, ...".
    """
    claimed: list[Span] = []
    facts: list[Fact] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(ctx.text):
            start, end = match.span()
            if ctx.is_masked(start, end) or any(c.start < end and start < c.end for c in claimed):
                continue
            if pattern is DATE_DECADE and not (match.group("fr") or match.group("en")):
                continue
            span = Span(start, end)
            claimed.append(span)
            facts.append(
                Fact(
                    "date",
                    ctx.paragraph.text[start:end],
                    span,
                    ctx.sentence_of(span),
                    ctx.paragraph,
                    _value(pattern, match),
                )
            )
    facts.sort(key=lambda f: f.span.start)
    return _resolve_same_period(ctx, facts, previous)


def _resolve_same_period(
    ctx: ParagraphContext, facts: list[Fact], previous: list[Fact]
) -> list[Fact]:
    """Add "le même mois / la même année" with the date of the sentence before, if unambiguous."""
    resolved = list(facts)
    for match in SAME_PERIOD.finditer(ctx.text):
        span = Span(*match.span())
        sentence = ctx.sentence_of(span)
        before = [f for f in facts if f.evidence.end <= sentence.start] or [
            f for f in previous if f.kind == "date" and not f.data.get("relative")
        ]
        last_sentence = [f for f in before if f.evidence == before[-1].evidence] if before else []
        wants_month = bool(match.group("fr_m")) or (match.group("en") or "").lower() == "month"
        usable = [f for f in last_sentence if not wants_month or f.value.month]
        if len(usable) != 1:
            continue  # ambiguous or nothing to refer to: say nothing rather than guess
        source: Fact = usable[0]
        value = source.value if wants_month else DateValue(source.value.year, precision="year")
        resolved.append(
            Fact(
                "date",
                ctx.paragraph.text[span.start : span.end],
                span,
                sentence,
                ctx.paragraph,
                value,
                {"relative": True, "resolved_from": source.text},
            )
        )
    resolved.sort(key=lambda f: f.span.start)
    return resolved
