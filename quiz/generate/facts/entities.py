"""People and places.

French: spaCy's NER (PER, LOC), corrected by rules ("à Vrbetice" is a place
whatever the model says) and cleaned of titles ("M. Jens Stoltenberg").
English has no statistical model here: titles and capitalised word runs for
people, "in/at/near + Capitalised" for places.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Fact, FactKind, Span
from ..resources import ACRONYM_TOKEN, INSTITUTION_HEADS, MONTHS_EN, MONTHS_FR
from .context import ParagraphContext

_TITLE = re.compile(
    r"\b(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|President|Président|Présidente|"
    r"Prime Minister|Secretary[- ]General|Minister|King|Queen|Captain|General|Admiral|"
    r"Professor|Pr\.)\s+"
)
_ARTICLE = re.compile(r"(?:L'|La |Le |Les |The )(?=[A-ZÀ-Ý])")
_NAME = r"(?:[A-ZÀ-Ý][\w'’-]+|[A-Z]\.)"
_TITLED_PERSON = re.compile(rf"{_TITLE.pattern}(?P<name>{_NAME}(?:\s+{_NAME}){{0,3}})")
_PLACE_PREP_FR = re.compile(
    r"(?:\b(?:à|au|aux|en|près de|vers|dans)\s+)"
    r"(?P<place>[A-ZÀ-Ý][\w-]+(?:\s+(?:d'|de\s+|du\s+)?[A-ZÀ-Ý][\w-]+){0,2})"
)
_PLACE_PREP_EN = re.compile(
    r"\b(?:in|at|near|from|to|into|across|off|over|on)\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w-]+(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w-]+){0,3})"
)
# A class noun then a name: "the research station Vostok", "la base Concordia".
_NAMED_SITE = re.compile(
    r"\b(?:station|base|city|town|village|island|region|province|port|base|ville|île|région)\s+"
    r"(?P<place>[A-ZÀ-Ý][\w-]+)"
)
# A role, then the person in apposition: "le ministre turc ..., Feridun Sinirlioglu,".
_ROLE_THEN_NAME = re.compile(
    r"\b(?:ministre|président|présidente|secrétaire général|ambassadeur|ambassadrice|chancelier|"
    r"directeur général|directrice générale|commissaire|minister|president|secretary-general|"
    r"ambassador|director general|chancellor)\b[^,.;()]{0,60}?(?:,\s+|\s+)"
    rf"(?:{_TITLE.pattern})?(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})(?=[,.;)]|\s+[a-zà-ÿ])"
)
_CAPITAL_RUN_EN = re.compile(
    r"(?<![\w.])(?P<name>[A-Z][a-z][\w'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'-]+){1,2})"
)
_PLACE_WORDS = {
    "north", "south", "east", "west", "new", "saint", "mount", "lake", "cape", "port", "island",
    "islands", "sea", "ocean", "pole", "peninsula", "bay", "river", "republic", "kingdom",
    "states", "union", "city", "station", "base", "antarctica", "europe", "africa", "america",
}  # fmt: skip
_NOT_NAMES = {
    "the", "a", "an", "this", "these", "those", "in", "on", "at", "since", "after", "before",
    "during", "by", "under", "its", "their", "his", "her", "allies", "alliés", "le", "la",
    "les", "l'", "un", "une", "ce", "cette", "en", "état", "états", "alliance", "parties",
    "partie", "membres",
}  # fmt: skip
_MONTHS = {m.lower().rstrip(".") for m in [*MONTHS_FR, *MONTHS_EN]}


def _plausible(text: str) -> bool:
    words = text.replace("’", "'").split()
    if not words or not words[0][:1].isupper():
        return False
    lowered = {w.lower().strip(".,") for w in words}
    if lowered & _MONTHS or words[0].lower() in _NOT_NAMES or lowered & INSTITUTION_HEADS:
        return False
    return not (len(words) == 1 and ACRONYM_TOKEN.match(words[0]))


_COUNTRY_LEAD = re.compile(r"(?:\b(?:en|au|aux|la|le|les|du|des)\s+|\bl'|\bd')$", re.I)
_CITY_LEAD = re.compile(r"\b(?:à|de)\s+$", re.I)


def place_class(ctx: ParagraphContext, start: int) -> str | None:
    """'country' after "en / au / la / l'" ("en Autriche", "l'Italie"), 'city' after "à"
    ("à Salzbourg"): French says which a place is, so distractors can match it."""
    if ctx.lang != "fr":
        return None
    lead = ctx.text[max(0, start - 6) : start]
    if _COUNTRY_LEAD.search(lead):
        return "country"
    return "city" if _CITY_LEAD.search(lead) else None


def _fact(ctx: ParagraphContext, kind: FactKind, start: int, end: int) -> Fact:
    span = Span(start, end)
    text = ctx.paragraph.text[start:end]
    data = {"class": place_class(ctx, start)} if kind == "place" else {}
    return Fact(kind, text, span, ctx.sentence_of(span), ctx.paragraph, text, data)


def _rule_places(ctx: ParagraphContext) -> list[tuple[int, int]]:
    pattern = _PLACE_PREP_FR if ctx.lang == "fr" else _PLACE_PREP_EN
    matches = [*_NAMED_SITE.finditer(ctx.text), *pattern.finditer(ctx.text)]
    return [m.span("place") for m in matches if _plausible(m.group("place"))]


_PLACE_CLASSES = {
    "ville",
    "région",
    "île",
    "mer",
    "détroit",
    "province",
    "capitale",
    "port",
    "golfe",
}


def _named_after_a_noun(ent: Any) -> bool:
    """'la sonde Huygens', 'la mission Proxima': a craft or mission, not a person or place."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return (
        before is not None
        and before.pos_ == "NOUN"
        and before.text.islower()
        and before.text not in _PLACE_CLASSES
    )


def _model_entities(ctx: ParagraphContext) -> list[tuple[FactKind, int, int]]:
    """PER and LOC from spaCy, titles and articles trimmed, crafts and demonyms left out."""
    found: list[tuple[FactKind, int, int]] = []
    ents = list(getattr(ctx.doc, "ents", ()))
    for i, ent in enumerate(ents):
        if ent.label_ not in ("PER", "LOC") or _named_after_a_noun(ent):
            continue
        following = ents[i + 1] if i + 1 < len(ents) else None
        if (
            ent.label_ == "LOC"
            and following is not None
            and following.label_ == "PER"
            and following.start == ent.end
        ):
            continue  # "le Français Thomas Pesquet": a nationality before a name
        start, end = ent.start_char, ent.end_char
        title = _TITLE.match(ctx.text[start:end]) or _ARTICLE.match(ctx.text[start:end])
        if title:
            start += title.end()
        if start < end and _plausible(ctx.text[start:end]):
            found.append(("person" if ent.label_ == "PER" else "place", start, end))
    return found


def _english_people(ctx: ParagraphContext) -> list[tuple[FactKind, int, int]]:
    found: list[tuple[FactKind, int, int]] = [
        ("person", *m.span("name")) for m in _TITLED_PERSON.finditer(ctx.text)
    ]
    for m in _CAPITAL_RUN_EN.finditer(ctx.text):
        words = {w.lower() for w in m.group("name").split()}
        before = ctx.text[max(0, m.start() - 5) : m.start()].lower()
        if words & _PLACE_WORDS or "the " in before or not _plausible(m.group("name")):
            continue
        found.append(("person", *m.span("name")))
    return found


def find_people_and_places(ctx: ParagraphContext, claimed: list[Span]) -> list[Fact]:
    """People and places outside ``claimed`` spans (institutions, dates)."""
    candidates: list[tuple[FactKind, int, int]] = [
        ("person", *m.span("name")) for m in _ROLE_THEN_NAME.finditer(ctx.text)
    ]
    candidates += [("place", s, e) for s, e in _rule_places(ctx)]
    if ctx.lang == "fr":
        candidates += [("person", *m.span("name")) for m in _TITLED_PERSON.finditer(ctx.text)]
        candidates += _model_entities(ctx)
    else:
        candidates += _english_people(ctx)
    facts: list[Fact] = []
    taken: list[Span] = list(claimed)
    for kind, start, end in candidates:  # rules first: they win over the model
        if ctx.is_masked(start, end) or any(t.start < end and start < t.end for t in taken):
            continue
        taken.append(Span(start, end))
        facts.append(_fact(ctx, kind, start, end))
    facts.sort(key=lambda f: f.span.start)
    return facts
