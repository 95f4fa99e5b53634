"""What in a question's own text would give its answer away, or contradict itself.

A blank whose answer still stands elsewhere in the sentence, the answer's
acronym beside the blank ("Le _____ (COR)"), a word of the answer that no wrong
choice shares ("Force pour le _____" … "Kosovo"), and a false statement whose
swapped date or number breaks the sentence's own chronology ("suspended after
March 2014 until spring 2009").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..model import DateValue, Fact
from ..normalize import contains_words, fold
from ..resources import (
    BUILDING_HEADS,
    DEMONYMS,
    INSTITUTION_HEADS,
    MONTHS_EN,
    MONTHS_FR,
    NUMERAL_PREFIXES,
)
from .classes import country_code, is_country

_MONTH_NAMES = {fold(m) for m in [*MONTHS_FR, *MONTHS_EN]}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_GENERIC = {fold(word) for word in INSTITUTION_HEADS} | {
    "de", "du", "des", "la", "le", "les", "pour", "sur", "the", "of", "and", "et", "for",
    "national", "nationale", "international", "internationale", "européen", "européenne",
    "european", "general", "général", "générale", "mondial", "mondiale", "world", "united",
}  # fmt: skip


def shows_any(text: str, forms: Iterable[str]) -> bool:
    """Whether any of ``forms`` stands in ``text`` as whole words (loosely compared)."""
    return any(form and contains_words(text, form) for form in forms)


def strip_acronym(after: str, acronym: str | None) -> str:
    """The text after a blank without the "(ACR)" that would name the answer."""
    if not acronym:
        return after
    return re.sub(rf"^\s*\(\s*{re.escape(acronym)}\s*\)", "", after, count=1)


def hint_words(answer: str) -> list[str]:
    """The words of an answer that identify it ("Kosovo" in "Force pour le Kosovo"),
    leaving out heads and linking words that any name of its kind could have."""
    return [w for w in _WORD.findall(answer) if len(w) > 3 and fold(w) not in _GENERIC]


def hinted(text: str, answer: str, others: list[str]) -> bool:
    """Whether ``text`` shows a word of the answer that none of ``others`` shares:
    the choice holding that word is the answer."""
    for word in hint_words(answer):
        if contains_words(text, word) and not any(contains_words(o, word) for o in others):
            return True
    return False


def echoed(text: str, answer: str) -> bool:
    """Whether ``text`` shows, for every distinctive word of the answer, a word of the
    same stem ("the chemists" for "Chemistry", "géorgiennes" for "Géorgie"): then the
    answer is a matter of spelling, not of knowing."""
    words = [w for w in hint_words(answer) if len(w) >= 6]
    parts = [p for w in _WORD.findall(text) for p in re.split(r"[-'’]", w)]
    seen = {fold(p)[:6] for p in parts if len(p) >= 6}  # "Torrijos-Carter" shows "Carter"
    return bool(words) and all(fold(w)[:6] in seen for w in words)


def embedded(text: str, answer: str, person: bool = False) -> bool:
    """Whether, for every distinctive word of the answer (a person's surname is enough),
    a longer word of ``text`` begins with it ("Toblerone" for "Theodor Tobler",
    "parisiens" for "Paris", "Viennese" for "Vienna"): the name spells the answer out."""
    words = [fold(w) for w in hint_words(answer) if len(w) >= 4]
    words = words[-1:] if person else [_root(w) for w in words]
    seen = {fold(p) for w in _WORD.findall(text) for p in re.split(r"[-'’]", w)}
    return bool(words) and all(any(s != w and s.startswith(w) for s in seen) for w in words)


def _root(word: str) -> str:
    """A place name without the vowels its people's name drops ("vienn" for Vienna
    and "Viennese", "canad" for Canada and "Canadian", "itali" for Italie and
    "italien"), kept whole when that would leave under four letters."""
    root = word.rstrip("aeiouy")
    return root if len(root) >= 4 else word


def glossed(before: str, after: str, answer: str) -> bool:
    """Whether the blank stands in brackets after a name it translates or spells out,
    sharing a word with it ("the Staatsbibliothek zu Berlin (_____)": Berlin State
    Library; « L'omoul, un corégone (_____) »: Coregonus); "Paavo Nurmi (_____)" asks his
    country, a fact."""
    if not (before.rstrip().endswith("(") and after.lstrip().startswith(")")):
        return False
    around = before.rstrip()[:-1][-60:] + " " + after.lstrip()[1:][:60]
    named = {fold(w)[:5] for w in _WORD.findall(around) if len(w) >= 5}
    return any(fold(w)[:5] in named for w in hint_words(answer) if len(w) >= 5)  # « corégone »


def counted_by_name(text: str, value: float) -> bool:
    """Whether a word of ``text`` carries the number in a Greek or Latin prefix
    ("Heptastadion" for seven, "Pentagon" for five): the name says the count."""
    prefixes = NUMERAL_PREFIXES.get(int(value), ()) if value == int(value) else ()
    words = {fold(w) for w in _WORD.findall(text) if len(w) > 6} - _MONTH_NAMES
    return any(w.startswith(prefixes) for w in words)  # (not "octobre" for eight)


# A proper name that runs on past the blank: "The _____ that Deplete the Ozone Layer",
# "l'_____, la science et la culture (UNESCO)", "le plan _____ 2050, qui…".
NAME_RUNS_ON = re.compile(
    r"^\s+(?:that|which|of|on|for)\s+(?:the\s+)?[A-Z]|"
    r"^\s+\d+\b(?![.,]?\d)(?!\s*[%a-zà-ÿ])|"
    r"^,\s*(?:la|le|les|l'|l’|the|and|et)\b[^.;()]{0,60}\([A-Z][A-Z0-9&-]{1,9}\)"
)
# The head of a place's name left before the blank: "the Cape of _____" (Good Hope),
# « le golfe du _____ »: the blank holds the tail of a name, not a name.
NAME_HEAD_BEFORE = re.compile(
    r"\b(?:Cape|Bay|Gulf|Isle|Strait|Straits|Sea|Cap|Golfe|Baie|Détroit|Mer)\s+"
    r"(?:of|de|du|des|d['’])\s*(?:the\s+|la\s+|l['’])?$"
)
# A blank the sentence deduces from what precedes it: « relia le fleuve au bassin de la
# Seine et donc à _____ » (Paris), "and hence to _____".
DEDUCED_BEFORE = re.compile(
    r"\b(?:donc|ainsi|thus|hence|therefore)\s+(?:(?:à|au|aux|en|de|du|in|to|at|of)\s+)?"
    r"(?:(?:la|le|les|l['’]|the)\s*)?$",
    re.I,
)
# A continent qualifying a common noun: « le castor d'_____ » (Europe), a species' name.
QUALIFIED_BY_CONTINENT = re.compile(r"(?-i:[a-zà-ÿ]{3,})\s+(?:d['’]|de\s+|of\s+)$", re.I)


# A city set after the named building it locates ("à la gare de Saint-Pancras, à _____":
# the name says it), or where a body met ("l'Assemblée (AMS), réunie à _____": a detail).
# After a country it is the other end of a link ("relie Folkestone, au Royaume-Uni, à").
AFTER_ITS_LANDMARK = re.compile(
    r"(?P<place>(?:gare|palais|cathédrale|château|musée|stade|aéroport|port|station|"
    r"airport|palace|cathedral|castle|museum|stadium)\s+(?:de\s+|du\s+|d['’]|of\s+)?)?"
    r"(?P<name>[A-ZÀ-Ý][\w'’-]*)\)?\s*,\s*(?P<held>(?:réunie?s?|situé(?:e|s|es)?|"
    r"installée?s?|basée?s?|held|located|based|meeting)\s+)?(?:à|in|at)\s*$"
)


# A city named after the body set in it: "the Royal Society in _____" is London to anyone.
SEATED_BODY_BEFORE = re.compile(
    r"\b(?:Society|Academy|Museum|Institute|Institution|University|Library|Observatory|"
    r"College|Gallery|Opera|Conservatory|Académie|Société|Musée|Institut|Université|"
    r"Bibliothèque|Observatoire|Conservatoire)(?:\s+(?:of|de|du|des)\s+[A-ZÀ-Ý][\w-]+)?"
    r"\s*,?\s+(?:in|at|à)\s*$"
)


def located_by_landmark(before: str) -> bool:
    """Whether a city blank follows the building that locates it ("la gare de
    Saint-Pancras, à", "the Chrysler Building, in") or the body that met there."""
    if SEATED_BODY_BEFORE.search(before):
        return True  # "the Royal Society in _____"
    found = AFTER_ITS_LANDMARK.search(before)
    if found is None or is_country(found["name"]):
        return False
    return bool(found["place"] or found["held"] or fold(found["name"]) in BUILDING_HEADS)


# A country right after a city or a region that lies in it ("à Genève, en _____",
# "Folkestone, dans le Kent, au _____"): a matter of general knowledge, not of the sheet.
AFTER_ITS_CITY = re.compile(
    r"(?:\b(?:à|in)\s+|\bdans\s+(?:le|la|les|l['’])\s*|,\s*)"
    r"[A-ZÀ-Ý][\w'’-]+(?:[ -][A-ZÀ-Ý][\w'’-]+)*\s*,\s*(?:en|au|aux|in)?\s*$"
)


def _compare(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return (a > b) - (a < b)


def date_key(value: DateValue, depth: int) -> tuple[int, ...]:
    """The date down to ``depth`` parts (1: year, 2: month, 3: day)."""
    return (value.year, value.month or 0, value.day or 0)[:depth]


def _depth(value: DateValue) -> int:
    return 3 if value.day else 2 if value.month else 1


def chronology_kept(true: DateValue, wrong: DateValue, others: Iterable[DateValue]) -> bool:
    """Whether ``wrong`` stands before or after each other date of the sentence as
    ``true`` does: a false statement must not contradict its own chronology."""
    for other in others:
        depth = min(_depth(true), _depth(wrong), _depth(other))
        before = _compare(date_key(true, depth), date_key(other, depth))
        after = _compare(date_key(wrong, depth), date_key(other, depth))
        if before != after:
            return False
    return True


def order_kept(true: float, wrong: float, others: Iterable[float]) -> bool:
    """Whether ``wrong`` compares with each other number as ``true`` does ("ramené de
    30 à 20": a false 15 would make the reduction a rise)."""
    return all((true > o) - (true < o) == (wrong > o) - (wrong < o) for o in others)


def sum_of_others(value: float, others: list[float]) -> bool:
    """Whether the number is the sum or the difference of two others of its sentence
    (the total and the other part are given: arithmetic, not knowledge)."""
    return any(
        abs(value - abs(a - b)) < 1e-9 or abs(value - (a + b)) < 1e-9
        for i, a in enumerate(others)
        for b in others[i + 1 :]
    )


def number_in_a_name(fact: Fact) -> bool:
    """Whether a number in words is capitalised inside its sentence ("the Seven Wonders",
    « la guerre de Cent Ans »): it belongs to a name that says it."""
    before = fact.paragraph.text[: fact.span.start].rstrip()
    return fact.text[:1].isupper() and not fact.text[:1].isdigit() and before[-1:].isalpha()


def one_day_off(true: DateValue, wrong: DateValue) -> bool:
    """Whether a wrong date differs from the true one only in its day ("Tuesday 5
    September" for the 4th): a statement false by one digit is a trap, not a question."""
    return true.precision == "day" and (wrong.year, wrong.month) == (true.year, true.month)


def country_given(text: str, answer: str, country_of: Callable[[str], str | None]) -> bool:
    """Whether ``text`` gives the country ``answer`` by its people or things ("French
    aviators", « les troupes russes ») or by a town in it that ``country_of`` places
    there ("near Le Mans"... when the corpus or the locale data knows the town)."""
    code = country_code(answer)
    if code is None:
        return False
    words = {fold(w) for w in _WORD.findall(text)}
    if words & set(DEMONYMS.get(code, ())):
        return True
    towns = re.findall(r"[A-ZÀ-Ý][\w'’-]+(?:[ -][A-ZÀ-Ý][\w'’-]+)*", text)
    return any(country_of(town) == code for town in towns if fold(town) != fold(answer))
