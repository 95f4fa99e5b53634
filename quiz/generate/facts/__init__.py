"""Fact finders, composed: each paragraph's dates, institutions, numbers,
people, places and treaty actions, every one with its character span."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..model import Fact, Paragraph, Span
from .context import build_context
from .dates import find_dates
from .entities import find_people_and_places
from .institutions import find_institutions
from .numbers import find_numbers
from .treaties import find_treaty_actions

__all__ = ["extract_facts", "facts_in_paragraph"]


def facts_in_paragraph(paragraph: Paragraph, doc: Any, previous_dates: list[Fact]) -> list[Fact]:
    """All facts of one paragraph, in text order."""
    ctx = build_context(paragraph, doc)
    dates = find_dates(ctx, previous_dates)
    institutions = find_institutions(ctx)
    date_spans = [d.span for d in dates]
    numbers = find_numbers(ctx, date_spans)
    claimed = date_spans + [f.span for f in institutions] + [n.span for n in numbers]
    people_places = find_people_and_places(ctx, claimed)
    actors = sorted(
        [f for f in people_places if f.kind == "place"]
        + [
            f
            for f in institutions
            if f.kind == "institution" and f.data.get("category") != "treaty"
        ],
        key=lambda f: f.span.start,
    )
    treaties = find_treaty_actions(ctx, institutions, actors, dates)
    facts = dates + institutions + numbers + people_places + treaties
    return sorted(facts, key=lambda f: (f.span.start, f.kind))


def extract_facts(paragraphs: list[Paragraph], docs: Iterable[Any]) -> list[Fact]:
    """Facts of a sheet's quizzable paragraphs (``docs`` parallel to ``paragraphs``, read
    one after the other: each parse may be dropped once its facts are taken)."""
    facts: list[Fact] = []
    previous_dates: list[Fact] = []
    for paragraph, doc in zip(paragraphs, docs, strict=True):
        found = facts_in_paragraph(paragraph, doc, previous_dates)
        facts.extend(found)
        dates = [f for f in found if f.kind == "date" and not f.data.get("relative")]
        previous_dates = dates
    return _places_that_are_institutions(_trim_to_known_names(facts))


def _places_that_are_institutions(facts: list[Fact]) -> list[Fact]:
    """Without the places the sheet elsewhere names as institutions: "du groupement
    France-Manche" tells that "à France-Manche" is a company, not a town."""
    institutions = {f.text for f in facts if f.kind == "institution"}
    return [f for f in facts if not (f.kind == "place" and f.text in institutions)]


def _trim_to_known_names(facts: list[Fact]) -> list[Fact]:
    """'Convention alpine participe' → 'Convention alpine' when the sheet names it so
    elsewhere: a lower-case tail after a known name is the sentence's verb."""
    names = {f.text for f in facts if f.kind == "institution" and not f.data.get("short")}
    trimmed: list[Fact] = []
    for fact in facts:
        # The known names the text starts with, then a space: its prefixes that end
        # before a space (not every name against every fact: a big sheet has thousands).
        text = fact.text
        shorter = [
            text[:end]
            for end in range(len(text))
            if text[end] == " "
            and fact.kind in ("institution", "treaty")
            and text[:end] in names
            and text[end + 1 :].islower()
        ]
        if shorter:
            name = max(shorter, key=len)
            span = Span(fact.span.start, fact.span.start + len(name))
            fact = replace(fact, text=name, span=span, value=name)
        trimmed.append(fact)
    return trimmed
