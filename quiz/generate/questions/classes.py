"""Fine kinds: what a name names, so that distractors name the same kind of thing.

A council is offered with councils, a military force with forces, a summit with
summits, a country with countries, a city with cities, a building with
buildings, never one for another. Countries and cities are recognised with the
CLDR locale data Babel ships (country names in French and English, and the
cities that name time zones); institutions by their head noun.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ..model import Fact
from ..normalize import fold
from ..resources import (
    BUILDING_HEADS,
    CELESTIAL,
    COMMON_COUNTRIES,
    CONTINENTS,
    COUNTRY_PARTS,
    FEATURE_HEADS,
    FORMER_STATES,
    INSTITUTION_KINDS,
    SUBCONTINENTS,
    TREATY_HEADS,
)

_STATE_FORM = re.compile(
    r"^(?:république|republic|royaume|kingdom|fédération|federation|principauté|"
    r"principality|grand-duché|grand duchy|émirat|emirate|sultanat|sultanate|confédération|"
    r"commonwealth|état|state)s?\b",
    re.I,
)
_TREATY_HEADS = {fold(word) for word in TREATY_HEADS}
_LINKS = {"de", "du", "des", "d'", "of", "for", "on", "pour", "sur", "the", "la", "le", "les"}
_NOT_TERRITORIES = {"EU", "UN", "EZ", "QO", "ZZ", "XA", "XB"}


@cache
def _territories() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str]]]:
    """(country name → code, code → continent, city name → (code, continent)), from Babel."""
    from babel import Locale
    from babel.core import get_global

    countries: dict[str, str] = {}
    for lang in ("fr", "en"):
        for code, name in Locale(lang).territories.items():
            if code.isalpha() and code not in _NOT_TERRITORIES:
                countries.setdefault(fold(name), code)
    zones = dict(get_global("zone_territories"))
    continents: dict[str, Counter[str]] = {}
    cities: dict[str, tuple[str, str]] = {}
    french_zones = Locale("fr").time_zones
    for zone, code in zones.items():
        continent = zone.split("/")[0]
        continents.setdefault(code, Counter())[continent] += 1
        names = {zone.split("/")[-1].replace("_", " ")}
        localized = french_zones.get(zone, {}).get("city")
        if localized:
            names.add(localized)
        for name in names:
            cities.setdefault(fold(name), (code, continent))
    continent_of = {code: counts.most_common(1)[0][0] for code, counts in continents.items()}
    for part, codes in SUBCONTINENTS.items():
        continent_of.update(dict.fromkeys(codes, part))
    return countries, continent_of, cities


def country_code(name: str) -> str | None:
    """The ISO code of a country name ("Suisse", "Switzerland" → "CH"), if known."""
    folded = fold(name)
    return _territories()[0].get(folded) or COUNTRY_PARTS.get(folded)


def continent(country: str) -> str | None:
    """The continent a country lies on (as its time zones say, America and Asia split
    in two), if known."""
    code = country_code(country)
    return _territories()[1].get(code) if code else None


def city_country(name: str) -> str | None:
    """The ISO code of the country of a city the locale data knows ("Genève" → "CH")."""
    found = _territories()[2].get(fold(name))
    return found[0] if found else None


def is_country(name: str) -> bool:
    """Whether ``name`` is a state: in the locale data, a former state, or "République de…"."""
    folded = fold(name)
    countries, _, _ = _territories()
    return folded in countries or folded in FORMER_STATES or bool(_STATE_FORM.match(name))


def _head(name: str, lang: str) -> str:
    """The folded noun that says what an institution is: first in French, and the last
    capitalised word before any "of" in English ("Antarctic Treaty Secretariat")."""
    words = [w.strip("«»\"(),") for w in fold(name).replace("’", "'").split()]
    words = [w for w in words if w]
    if not words:
        return ""
    if lang == "en":
        before = words[: next((i for i, w in enumerate(words) if w in _LINKS), len(words))]
        return before[-1] if before else words[0]
    first = name.split()[0]
    # "accord-cadre" is an accord; "Port-Saïd" is a name, not a port.
    lower_tail = "-" in first and first.split("-")[1][:1].islower()
    return words[0].split("-")[0] if lower_tail else words[0]


def institution_kind(name: str, lang: str) -> str:
    """'body', 'court', 'force', 'event', 'programme', 'facility', 'party', 'treaty',
    'country' or 'organisation' for a named institution."""
    if is_country(name):
        return "country"
    head = _head(name, lang)
    if head in _TREATY_HEADS:
        return "treaty"
    for kind, heads in INSTITUTION_KINDS.items():
        if head in heads:
            return kind
    return "organisation"


def place_kind(name: str, hint: str | None = None) -> str:
    """'country', 'city', 'island', 'region', 'continent', 'celestial', 'building',
    'feature', or 'place' when nothing tells.

    ``hint`` is what the sentence says ("à Salzbourg" is a city, "en Autriche" a
    country or region, "l'île de Bhola" an island), used when the locale data does
    not know the name.
    """
    folded = fold(name)
    first = folded.split()[0] if folded else ""
    last = folded.split()[-1] if folded else ""
    _, _, cities = _territories()
    if folded in CONTINENTS:
        return "continent"
    if folded in CELESTIAL:
        return "celestial"
    if is_country(name):
        return "country"
    if first in BUILDING_HEADS or last in BUILDING_HEADS:  # "Chrysler Building"
        return "building"
    if first in FEATURE_HEADS:
        return "feature"
    if folded in cities or hint == "city":
        return "city"
    if hint in ("island", "region"):
        return hint
    # French says "en Crimée", "dans le Kent" of a region; of a name the sentence says
    # nothing about ("la Seine", "in Chemistry"), nothing is known: no distractors.
    return "region" if hint == "country" else "place"


def fine_kind(fact: Fact) -> str:
    """The kind distractors of ``fact`` must share."""
    lang = fact.paragraph.lang
    if fact.kind == "acronym" and fact.data.get("category") == "term":
        return "term"  # "chlorofluorocarbons (CFCs)": a substance, no organisation
    if fact.kind == "acronym":
        return institution_kind(str(fact.value), lang)
    if fact.kind == "institution":
        return institution_kind(fact.data.get("introduced_by") or fact.text, lang)
    if fact.kind == "place":
        return place_kind(fact.text, fact.data.get("class"))
    return fact.kind


def fallback_names(kind: str, like: str, lang: str) -> list[str]:
    """Well-known countries (those of ``like``'s continent first) or cities of
    ``like``'s country and continent, in the sheet's language, for a sheet whose own
    corpus has too few of them."""
    from babel import Locale

    countries, continent_of, cities = _territories()
    folded = fold(like)
    if kind == "country":
        names = Locale(lang).territories
        home = continent_of.get(countries.get(folded, ""))
        codes = sorted(COMMON_COUNTRIES, key=lambda code: continent_of.get(code) != home)
        return [names[code] for code in codes if code in names]
    if kind == "city" and folded in cities:
        code, continent = cities[folded]
        french = Locale("fr").time_zones if lang == "fr" else {}
        found = []
        for zone, _ in sorted(_zones().items(), key=lambda item: item[1] != code):
            if zone.startswith(continent + "/"):
                city = french.get(zone, {}).get("city") or zone.split("/")[-1].replace("_", " ")
                if not is_country(city):  # "Andorre" names a time zone, but a country too
                    found.append(city)
        return found
    return []


@cache
def _zones() -> dict[str, str]:
    from babel.core import get_global

    return dict(get_global("zone_territories"))
