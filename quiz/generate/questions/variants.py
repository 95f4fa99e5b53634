"""Other ways a learner may write a right answer: the ``accepted`` list.

Dates in figures and with abbreviated months ("1/1/2002", "oct. 2021", "1
janvier 2002" for "1er janvier 2002"), decades in two digits ("fin des années
90"), numbers in figures, a person's surname alone and common transliterations
of names ("Alekseï", "Alexei"). The list never repeats the answer, nor two forms
the answer checker takes for one (case, accents and a leading article aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import DateValue, Fact
from ..normalize import fold, strip_accents
from ..resources import BUILDING_HEADS
from .phrasing import format_date

_ABBREVIATED = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."],
    "en": ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.",
           "Nov.", "Dec."],
}  # fmt: skip
_ARTICLE = re.compile(r"^(?:le|la|les|l'|the)\s*", re.I)
# Latin spellings of one Cyrillic sound, French and English usage side by side.
_TRANSLITERATIONS = (
    ("ks", "x"), ("ï", "i"), ("eï", "ei"), ("eï", "ey"), ("ou", "u"), ("gue", "ge"),
    ("ch", "sh"), ("tch", "ch"), ("ia", "ya"), ("iou", "yu"),
)  # fmt: skip


def answer_key(text: str) -> str:
    """The form the answer checker compares: folded, without a leading article."""
    return " ".join(re.sub(r"[\W_]+", " ", _ARTICLE.sub("", fold(text))).split())


def distinct(answer: str, forms: Iterable[str]) -> list[str]:
    """``forms`` without the answer and without forms the checker takes for one another."""
    seen = {answer_key(answer)}
    kept: list[str] = []
    for form in forms:
        key = answer_key(form)
        if form and key and key not in seen:
            seen.add(key)
            kept.append(form)
    return kept


def date_forms(value: DateValue, written: str, lang: str) -> list[str]:
    """A date written as the sheet does, spelt out, in figures, with months abbreviated."""
    forms = [format_date(value, lang)]
    if value.precision == "day" and value.month and value.day:
        d, m, y = value.day, value.month, value.year
        forms += [f"{d} {format_date(DateValue(y, m, precision='month'), lang)}",
                  f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}",
                  f"{d} {_ABBREVIATED[lang][m - 1]} {y}"]  # fmt: skip
        if lang == "en":
            month = format_date(DateValue(y, m, precision="month"), lang).split()[0]
            forms.append(f"{month} {d}, {y}")
    elif value.precision == "month" and value.month:
        forms += [f"{_ABBREVIATED[lang][value.month - 1]} {value.year}",
                  f"{value.month:02d}/{value.year}"]  # fmt: skip
    elif value.precision == "decade":
        short = format_date(value, lang).replace(str(value.year), f"{value.year % 100:02d}")
        if 1900 <= value.year < 2000:  # "the 80s" is the 1980s, never the 1680s
            forms.append(short.replace("the ", "") if lang == "en" else short)
        if lang == "en":
            forms.append(format_date(value, lang).replace("the ", ""))
    return distinct(written, forms)


def number_forms(value: float, written: str) -> list[str]:
    """A number in figures, with and without thousands separators."""
    figures = str(int(value)) if value == int(value) else str(value)
    return distinct(written, [re.sub(r"[\s\u00a0\u202f]", "", written), figures])


# What a name transliterated from another script looks like ("Alekséï", "Khrouchtchev").
_TRANSLITERATED = re.compile(r"ï|ks|kh|zh|tch|(?:ov|ev|ine|ski|sky|enko)\b", re.I)


# Words that end a name without being a surname ("Saïd Pacha", "Elizabeth II").
_TITLES = {"pacha", "pasha", "bey", "khan", "shah", "ii", "iii", "iv", "jr", "sr", "fils", "pere"}


def _transliterations(name: str) -> list[str]:
    """Spellings of a transliterated name learners commonly write."""
    forms = [strip_accents(name)]
    lowered = name.lower()
    for old, new in _TRANSLITERATIONS:
        if old in lowered:
            forms.append(strip_accents(re.sub(old, new, name, flags=re.I)))
    return forms


# A name's common-noun opening before a proper tail: "Acte fondateur" OTAN-Russie.
_COMMON_HEAD = re.compile(r"^([A-ZÀ-Ý][a-zà-ÿ]+(?:\s+[a-zà-ÿ]{3,})+)\s+[A-ZÀ-Ý][\w-]*$")
_INITIAL = re.compile(r"\s+[A-Z]\.(?=\s)|^[A-Z]\.\s+")


# A company's own name after the word for a company: "Groupe Eurotunnel" → "Eurotunnel".
_COMPANY = re.compile(r"^(?:Groupe|Société|Compagnie|Entreprise|Group|Company)\s+([A-ZÀ-Ý][\w-]+)$")
# A building's word before the place it stands in: "Opéra de Paris" → "Opéra".
_BUILDING = re.compile(r"^([A-ZÀ-Ý][\w-]+)\s+(?:de|du|of)\s+[A-ZÀ-Ý][\w-]+$")


def _short_names(name: str) -> list[str]:
    """The short names a name is commonly known by."""
    company = _COMPANY.match(name)
    if company:
        return [company.group(1)]
    building = _BUILDING.match(name)
    if building and fold(building.group(1)) in BUILDING_HEADS:
        return [building.group(1)]
    return []


_REGNAL = re.compile(r"[IVXLC]+(?:er|e|st|nd|rd|th)?")


def _person_forms(name: str, transliterated: bool) -> list[str]:
    """A person's name without its initials ("Donald Henderson" for "Donald A.
    Henderson"), and the surname, with the title that ends it ("Dumas fils")."""
    forms = []
    bare = _INITIAL.sub("", name).strip()
    if bare != name and " " in bare:
        forms.append(bare)
    words = name.split()
    if len(words) < 2:
        return forms
    if _REGNAL.fullmatch(words[-1]):
        return forms  # "Louis XIV": "XIV" alone names nobody
    if fold(words[-2]) in ("le", "la", "the"):
        return forms  # "Guillaume le Conquérant": "Conquérant" is an epithet, no surname
    if fold(words[-1]) in _TITLES:
        if len(words) >= 3:
            forms.append(" ".join(words[-2:]))  # "Dumas fils", not "Dumas"
        return forms
    if words[-1][:1].islower():
        return forms  # "Jeanne d'Arc": "d'Arc" alone is no one's name
    return [*forms, words[-1], *(_transliterations(words[-1]) if transliterated else [])]


def name_forms(fact: Fact, alias: str | None = None) -> list[str]:
    """A name without accents or in another transliteration; a person's surname; the
    acronym (or the name) the sheet gives it."""
    transliterated = fact.kind == "person" and _TRANSLITERATED.search(fact.text)
    forms = _transliterations(fact.text) if transliterated else [strip_accents(fact.text)]
    if fact.kind == "person":
        forms += _person_forms(fact.text, bool(transliterated))
    if fact.kind == "institution":
        # French only: "National Institutes" is not the NIH, "Department" of what?
        head = re.split(r"\s+(?:de|du|des|d['’])\s+", fact.text, maxsplit=1)[0]
        if head != fact.text and len(head.split()) >= 2 and fact.paragraph.lang == "fr":
            forms.append(head)  # "Secrétariat permanent" for "… de la Convention alpine"
        common = _COMMON_HEAD.match(fact.text)
        if common and len(common.group(1).split()) >= 2:
            forms.append(common.group(1))  # "Acte fondateur" for "Acte fondateur OTAN-Russie"
    if fact.kind in ("institution", "place"):
        forms += _short_names(fact.text)
    if alias:
        forms.append(alias)
    return distinct(fact.text, forms)
