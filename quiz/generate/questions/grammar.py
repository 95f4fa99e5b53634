"""French agreement around a blank: which answers the words before and after it admit.

"Le _____ a été créé" admits a masculine singular name beginning with a
consonant; "l'_____" one beginning with a vowel; "les _____" a plural; "en _____"
a feminine country or one beginning with a vowel. A name's gender and number
come first from how the corpus itself writes it ("la Russie", "les États-Unis",
"au Kosovo"), then from its head noun ("Agence" is feminine), then from the
usual rule for French place names (feminine when they end in -e).

When too few distractors agree, the determiner moves into every option
(« la Russie », « les États-Unis », « l'Allemagne ») instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..normalize import fold
from ..resources import (
    FEMININE_HEADS,
    INSTITUTION_HEADS,
    MASCULINE_PLACES_IN_E,
    PLURAL_PLACES,
)

_APOSTROPHE = "['’]"
# The determiner or preposition right before a blank (or a name): longest first.
_BEFORE = re.compile(
    rf"(?:(?<=[\s(«\"“])|^)(?P<det>de la|à la|de l{_APOSTROPHE}|à l{_APOSTROPHE}|"
    rf"le|la|les|l{_APOSTROPHE}|du|des|au|aux|un|une|d{_APOSTROPHE}|de|en|à|"
    rf"the|a|an)\s*$",
    re.I,
)
_OBSERVED = re.compile(
    rf"(?:\b(?P<det>le|la|les|du|des|au|aux|de la|à la|un|une)\s+|"
    rf"\b(?P<elided>l|d|de l|à l|qu|jusqu){_APOSTROPHE})(?P<word>\w[\w-]*)",
    re.I,
)
_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöûüœæ]", re.I)
_FEMININE = {fold(word) for word in FEMININE_HEADS}
_HEADS = {fold(word) for word in INSTITUTION_HEADS}
_ARTICLE_OF = {"le": "m", "du": "m", "au": "m", "un": "m", "la": "f", "de la": "f", "à la": "f",
               "une": "f"}  # fmt: skip
_PLURAL_DETS = {"les", "des", "aux"}
_ELIDED_DETS = {"l'", "de l'", "à l'", "d'"}


@dataclass(frozen=True)
class Agreement:
    """What a name agrees in: gender ("m"/"f", None when unknown), number (None when
    unknown) and whether it elides a preceding "le"/"la"/"de" (starts with a vowel)."""

    gender: str | None
    plural: bool | None
    vowel: bool


def determiner_before(text: str) -> str:
    """The determiner or preposition ``text`` ends with ("l'", "du", "en"...), or ""."""
    match = _BEFORE.search(text)
    return match.group("det").lower().replace("’", "'") if match else ""


def _key(name: str) -> str:
    """A name's first word, folded: what its determiners are recorded under."""
    words = fold(name).replace("’", "'").split()
    return words[0].strip("«»\"") if words else ""


@dataclass
class Lexicon:
    """How the sheets write names: the determiners seen before each first word."""

    seen: dict[str, Counter[str]] = field(default_factory=dict)

    def observe(self, texts: Iterable[str]) -> None:
        """Record the determiner before every word of ``texts``."""
        for text in texts:
            for match in _OBSERVED.finditer(text):
                det = (match.group("det") or "").lower()
                if det in _ARTICLE_OF:
                    mark = _ARTICLE_OF[det]
                elif det in _PLURAL_DETS:
                    mark = "p"
                else:
                    mark = "v"  # elided: only tells that the word starts with a vowel
                counts = self.seen.setdefault(fold(match.group("word")), Counter())
                counts[mark] += 1

    def agreement(self, name: str, lang: str, strict: bool = False) -> Agreement:
        """The agreement of ``name``: as written in the corpus, else by rule (``strict``:
        a gender only the place-name rule gives is left unknown)."""
        vowel = bool(_VOWEL.match(name.lstrip("«\" ")))
        if lang != "fr":
            return Agreement(None, None, vowel)
        key = _key(name)
        counts = self.seen.get(key, Counter())
        if counts["v"] and not (counts["m"] or counts["f"]):
            vowel = True
        if counts["p"] > counts["m"] + counts["f"]:
            return Agreement(_rule_gender(key), True, vowel)
        if counts["m"] != counts["f"]:
            return Agreement("m" if counts["m"] > counts["f"] else "f", False, vowel)
        plural = key in PLURAL_PLACES or (key in _HEADS and key.endswith(("s", "x")))
        gender = _rule_gender(key)
        if strict and key.split("-")[0] not in _HEADS:
            gender = None
        return Agreement(gender, plural, vowel)


def _rule_gender(key: str) -> str | None:
    """Gender by the head noun, else by the place-name rule (-e is feminine)."""
    head = key.split("-")[0]
    if head in _FEMININE:
        return "f"
    if head in _HEADS:
        return "m"
    if key in MASCULINE_PLACES_IN_E:
        return "m"
    return "f" if key.endswith("e") else "m"


def admits(det: str, agreement: Agreement) -> bool:
    """Whether a name with ``agreement`` may follow ``det`` ("" admits anything)."""
    if det in ("le", "du", "au", "un", "la", "de la", "à la", "une"):
        gender_fits = agreement.gender in (None, _ARTICLE_OF[det])
        return gender_fits and not agreement.vowel and not agreement.plural
    if det in _ELIDED_DETS:
        return agreement.vowel and not agreement.plural
    if det in _PLURAL_DETS:
        return agreement.plural is True
    if det == "de":
        return not agreement.vowel
    if det == "en":
        return not agreement.plural and (agreement.gender in ("f", None) or agreement.vowel)
    if det == "a":
        return not agreement.vowel
    if det == "an":
        return agreement.vowel
    return True


def agrees(det: str, answer: Agreement, other: Agreement, strict: bool) -> bool:
    """Whether ``other`` fits where ``answer`` stands after ``det``: the determiner
    admits it and, when words after the blank agree (``strict``), so do gender and
    number wherever both are known."""
    if not admits(det, other):
        return False
    if not strict:
        return True
    same_gender = None in (answer.gender, other.gender) or answer.gender == other.gender
    same_number = None in (answer.plural, other.plural) or answer.plural == other.plural
    return same_gender and same_number


# How a determiner splits into a preposition and an article, for moving it into options.
PREPOSITION_OF = {"le": "", "la": "", "les": "", "l'": "", "du": "de", "des": "de",
                  "de la": "de", "de l'": "de", "au": "à", "aux": "à", "à la": "à",
                  "à l'": "à"}  # fmt: skip


def with_determiner(name: str, agreement: Agreement, preposition: str) -> str:
    """``name`` with the article (and contracted preposition) its agreement calls for:
    ("Russie", "de") → "de la Russie", ("États-Unis", "à") → "aux États-Unis"."""
    if agreement.plural:
        article = {"": "les", "de": "des", "à": "aux"}[preposition] + " "
    elif agreement.vowel:
        article = {"": "l'", "de": "de l'", "à": "à l'"}[preposition]
    elif agreement.gender == "f":
        article = {"": "la ", "de": "de la ", "à": "à la "}[preposition]
    else:
        article = {"": "le ", "de": "du ", "à": "au "}[preposition]
    return article + name


def country_preposition(name: str, agreement: Agreement) -> str:
    """"en Géorgie", "au Bélarus", "aux États-Unis": where something happens."""
    if agreement.plural:
        return f"aux {name}"
    if agreement.gender == "f" or agreement.vowel:
        return f"en {name}"
    return f"au {name}"
