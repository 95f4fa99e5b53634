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
from ..resources import (
    ACRONYM_TOKEN,
    INSTITUTION_HEADS,
    MONTHS_EN,
    MONTHS_FR,
    NAMED_AFTER_BEFORE,
    PERSON_TRADES,
    QUOTE_CLOSING,
    QUOTE_OPENING,
)
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
    r"(?<![\w.])(?P<name>(?:[A-Z]\.\s+)?[A-Z][a-z][\w'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'-]+){1,2})"
)
# The people of a place, in the plural ("Londoners", "Parisians"): a group, not a name.
_GROUP_OF_PEOPLE = re.compile(r"(?:oners|ians|iens|ites)$")
# A regnal number after a name: "Pius II", "Louis XIV".
_REGNAL_AFTER = re.compile(r"\s+[IVX]{1,5}\b(?!['’-])")
_PLACE_WORDS = {
    "north", "south", "east", "west", "new", "saint", "mount", "lake", "cape", "port", "island",
    "islands", "sea", "ocean", "pole", "peninsula", "bay", "river", "republic", "kingdom",
    "states", "union", "city", "station", "base", "antarctica", "europe", "africa", "america",
    "delta", "fort", "valley", "desert", "castle", "abbey", "street", "road", "bridge", "hall",
    "house", "museum", "cathedral", "palace", "church", "college", "university", "school",
    "square", "park", "gate", "tower", "lane", "hill", "fields", "market", "wharf", "dock",
}  # fmt: skip
_COMPLEMENT_END = re.compile(r"\b(?:de la|de l'|du|des|d')\s*$", re.I)
# Roman numerals and ordinals ("au XIXe siècle") are no names.
_ORDINAL = re.compile(r"^[IVXLCDM]+(?:e|er|re|ème|eme|ᵉ|ᵉʳ|ʳᵉ|ᵉˢ)?$")  # "XIIᵉ": a century
_NOT_NAMES = {
    "the", "a", "an", "this", "these", "those", "in", "on", "at", "since", "after", "before",
    "during", "by", "under", "its", "their", "his", "her", "allies", "alliés", "le", "la",
    "les", "l'", "un", "une", "ce", "cette", "en", "état", "états", "alliance", "parties",
    "partie", "membres", "premier", "première", "président", "présidente", "ministre",
    "prince", "roi", "reine", "général", "empereur", "impératrice", "pape", "fier", "fière",
}  # fmt: skip
# Capitalised words that make a run of capitals a title, a prize or an event, not a person.
_NOT_PERSON_WORDS = {
    "prize", "award", "medal", "war", "day", "cup", "games", "act", "bill", "prix", "guerre",
    "nobel", "olympic", "olympics", "championship", "expo", "exhibition", "fair",
    # the heads of works, bodies and places English capitalises in their names
    "library", "museum", "university", "college", "society", "symphony", "register",
    "narrative", "reef", "reefs", "island", "islands", "station", "company", "press",
    "ministry", "institute", "academy", "ocean", "sea", "river", "lake", "bay", "cape",
}  # fmt: skip
_MONTHS = {m.lower().rstrip(".") for m in [*MONTHS_FR, *MONTHS_EN]}


def _plausible(text: str) -> bool:
    words = text.replace("’", "'").split()
    if not words or not words[0][:1].isupper():
        return False
    lowered = {w.lower().strip(".,") for w in words}
    if lowered & _MONTHS or words[0].lower() in _NOT_NAMES or lowered & INSTITUTION_HEADS:
        return False
    if _ORDINAL.match(words[0]) or lowered & _NOT_PERSON_WORDS:
        return False
    return not (len(words) == 1 and ACRONYM_TOKEN.match(words[0]))


# "en Autriche", "au Kosovo", "dans les Balkans": a country or a region; "la Seine", "le
# Panthéon" say nothing of what a place is.
_COUNTRY_LEAD = re.compile(r"(?:\b(?:en|au|aux)\s+|\bdans\s+(?:le|la|les|l')\s*)$", re.I)
_CITY_LEAD = re.compile(r"\bà\s+$", re.I)
# A place, then the region it lies in: "Folkestone, dans le Kent".
_IN_ITS_REGION = re.compile(r"[A-ZÀ-Ý][\w'’-]*,\s+dans\s+(?:le|la|l['’])\s*[A-ZÀ-Ý]")
_EN_CITY_LEAD = re.compile(
    r"\b(?:signed|based|held|located|founded|opened|adopted|headquartered|born|died|meets)"
    r"(?:\s+\w+){0,2}\s+(?:in|at)\s+$",
    re.I,
)
# "l'île de Bhola", "la ville de Nantes", "le département de l'Aveyron".
_CLASS_NOUN = re.compile(
    r"\b(?P<noun>île|îles|archipel|presqu'île|ville|commune|cité|port|région|département|"
    r"province|canton|island|city|town|port|region|province|county)\s+(?:de\s+(?:l')?|d'|of\s+)?$",
    re.I,
)
_CLASS_OF = {"île": "island", "îles": "island", "archipel": "island", "presqu'île": "island",
             "island": "island", "ville": "city", "commune": "city", "cité": "city",
             "port": "city", "city": "city", "town": "city"}  # fmt: skip


def place_class(ctx: ParagraphContext, start: int) -> str | None:
    """What the words before a place say it is: 'island', 'city' or 'region' after a
    class noun ("l'île de Bhola", "the city of Hobart"); in French, 'country' after "en
    / au / dans le" ("en Autriche", "dans le Kent") and 'city' after "à" ("à Salzbourg")
    or before the region it lies in ("relie Folkestone, dans le Kent"). So distractors
    can match it."""
    lead = ctx.text[max(0, start - 24) : start]
    if ctx.lang == "fr" and _IN_ITS_REGION.match(ctx.text, start):
        return "city"
    noun = _CLASS_NOUN.search(lead)
    if noun:
        return _CLASS_OF.get(noun.group("noun").lower(), "region")
    if ctx.lang != "fr":
        # "signed in Washington", "based in Buenos Aires": a town, where something is done.
        return "city" if _EN_CITY_LEAD.search(lead) else None
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
    return [
        m.span("place")
        for m in matches
        if _plausible(m.group("place"))
        and not (" " not in m.group("place") and _NUMBERED.match(ctx.text, m.end("place")))
    ]  # not "à Mach 2"


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
    """'la sonde Huygens', 'la mission Proxima', "l'agence spatiale russe Roscosmos": a
    craft, a mission or an organisation, not a person or place."""
    start = ent.start
    while start > 0 and ent.doc[start - 1].pos_ == "ADJ" and ent.start - start < 3:
        start -= 1  # "agence spatiale russe": the noun before the adjectives
    before = ent.doc[start - 1] if start > 0 else None
    # The noun opens on its determiner: "relie Folkestone" is a verb the tagger missed.
    opening = start - 2
    while opening > 0 and ent.doc[opening].pos_ == "ADJ":
        opening -= 1  # "le premier lanceur Ariane"
    determined = opening >= 0 and ent.doc[opening].pos_ in ("DET", "ADP")
    return (
        before is not None
        and before.pos_ == "NOUN"
        and before.text.islower()
        and before.text not in _PLACE_CLASSES
        and determined
    )


def _by_trade(ent: Any) -> bool:
    """Whether a full name the model calls a person follows a trade ("le médecin
    anglais Edward Jenner", "l'architecte Stephen Sauvestre"), or a nationality
    ("l'épidémiologiste américain Donald A. Henderson"), not a craft ("le
    porte-conteneurs Ever Given")."""
    if ent.label_ != "PER" or len(ent) < 2 or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    nationality = before.pos_ == "ADJ" and before.text.islower() and ent.start >= 2
    # "l'ingénieur des mines Albert Mathieu-Favier": the trade a few words back.
    trade = any(t.text.lower() in PERSON_TRADES for t in ent.doc[max(0, ent.start - 3) : ent.start])
    return nationality or trade


# A number right after a one-word name: "Mach 2", "Apollo 11".
_NUMBERED = re.compile(r"\s\d")


def _model_entities(ctx: ParagraphContext) -> list[tuple[FactKind, int, int]]:
    """PER and LOC from spaCy, titles and articles trimmed, crafts and demonyms left out."""
    found: list[tuple[FactKind, int, int]] = []
    ents = list(getattr(ctx.doc, "ents", ()))
    for i, ent in enumerate(ents):
        if ent.label_ not in ("PER", "LOC") or _named_after_a_noun(ent) and not _by_trade(ent):
            continue  # "la sonde Huygens"; "le médecin anglais Edward Jenner" is a person
        following = ents[i + 1] if i + 1 < len(ents) else None
        if (
            ent.label_ == "LOC"
            and following is not None
            and following.label_ == "PER"
            and following.start == ent.end
        ):
            continue  # "le Français Thomas Pesquet": a nationality before a name
        start, end = ent.start_char, ent.end_char
        if ent.label_ == "LOC" and _NUMBERED.match(ctx.text, end) and " " not in ent.text:
            continue  # "Mach 2", "Apollo 11": a scale or a series, not a place
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
        if _GROUP_OF_PEOPLE.search(m.group("name")):
            continue  # "Homeless Londoners": a group, no one's name
        start, end = m.span("name")
        end -= 2 if m.group("name").endswith(("'s", "’s")) else 0  # "Martin Luther's"
        regnal = _REGNAL_AFTER.match(ctx.text, end)
        found.append(("person", start, regnal.end() if regnal else end))  # "Pope Pius II"
    return found


def _role_people(ctx: ParagraphContext) -> list[tuple[FactKind, int, int]]:
    """People named after their role; a capitalised word that completes the role ("le
    vice-ministre de la Santé Viktor Jdanov") is the role's, not the name's."""
    found: list[tuple[FactKind, int, int]] = []
    for match in _ROLE_THEN_NAME.finditer(ctx.text):
        start, end = match.span("name")
        words = ctx.text[start:end].split()
        if len(words) > 2 and _COMPLEMENT_END.search(ctx.text[:start]):
            start += len(words[0]) + 1
        found.append(("person", start, end))
    return found


def find_people_and_places(ctx: ParagraphContext, claimed: list[Span]) -> list[Fact]:
    """People and places outside ``claimed`` spans (institutions, dates)."""
    candidates = _role_people(ctx)
    model = _model_entities(ctx) if ctx.lang == "fr" else []
    # A full name the model calls a person ("à Gustave Eiffel") is no place; a single
    # word after "à" stays one, whatever the model says ("à Salisbury").
    people = [(s, e) for kind, s, e in model if kind == "person" and " " in ctx.text[s:e]]
    # The model's organisations: "la concession à France-Manche" names a company.
    ents = getattr(ctx.doc, "ents", ())
    people += [(e.start_char, e.end_char) for e in ents if e.label_ == "ORG"]
    candidates += [
        ("place", s, e)
        for s, e in _rule_places(ctx)
        if not any(ps < e and s < pe for ps, pe in people)  # "à Gustave Eiffel": a person
    ]
    if ctx.lang == "fr":
        candidates += [("person", *m.span("name")) for m in _TITLED_PERSON.finditer(ctx.text)]
        candidates += model
    else:
        candidates += _english_people(ctx)
    facts: list[Fact] = []
    taken: list[Span] = list(claimed)
    for kind, start, end in candidates:  # rules first: they win over the model
        if ctx.is_masked(start, end) or any(t.start < end and start < t.end for t in taken):
            continue
        if kind == "person" and _no_one(ctx.text, start, end):
            continue
        taken.append(Span(start, end))
        facts.append(_fact(ctx, kind, start, end))
    facts.sort(key=lambda f: f.span.start)
    return facts


def _no_one(text: str, start: int, end: int) -> bool:
    """Whether a person's name names something else here: a pool or a street named
    after them (« piscine Georges-Vallerey »), a nickname quoted whole ("‘Number
    Nine’"), a species' Latin name ("Coregonus migratorius"): no one to ask about, and
    no one to offer as a wrong choice."""
    quoted = QUOTE_OPENING.search(text[:start]) and QUOTE_CLOSING.match(text, end)
    latin = _BINOMIAL.fullmatch(text[start:end])  # "Epischura baikalensis": a species
    return bool(quoted or latin or NAMED_AFTER_BEFORE.search(text[max(0, start - 20) : start]))


_BINOMIAL = re.compile(r"[A-Z][a-z]+ (?!(?:fils|père|aîné|jeune)\b)[a-z]{4,}")

