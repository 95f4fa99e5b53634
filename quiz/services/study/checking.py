"""Answer checkers: one small strategy per question type, found in a registry.

``check(question, given)`` dispatches on ``question.type`` (CTFd's
``plugins/flags`` shape). Checkers are pure: they read the question's
``type``, ``answer``, ``accepted``, ``choices`` and ``lang`` and never touch
the database, so any object with those attributes will do.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any, ClassVar, Protocol

from rapidfuzz.distance import Levenshtein

from ..errors import Invalid

# Longest free answer worth comparing; anything longer is not an answer.
MAX_GIVEN_LENGTH = 500

ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "the", "a", "an"})
# Letters that Unicode does not decompose but learners type either way.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


class Checkable(Protocol):
    """What a checker reads of a question (``quiz.models.Question`` fits)."""

    # Read-only members: ORM rows and frozen records of plain columns both fit.
    @property
    def type(self) -> str: ...
    @property
    def answer(self) -> Any: ...
    @property
    def accepted(self) -> list[str]: ...
    @property
    def choices(self) -> list[str]: ...
    @property
    def lang(self) -> str: ...


class Checker:
    """Decides whether a given answer is right for the question types it serves."""

    types: ClassVar[tuple[str, ...]] = ()

    def check(self, question: Checkable, given: object) -> bool:
        """Whether ``given`` answers ``question``; ``Invalid`` if it is malformed."""
        raise NotImplementedError


CHECKERS: dict[str, Checker] = {}


def register(checker: type[Checker]) -> type[Checker]:
    """Class decorator: serve the checker's ``types`` with one instance of it."""
    instance = checker()
    for question_type in checker.types:
        CHECKERS[question_type] = instance
    return checker


def check(question: Checkable, given: object) -> bool:
    """Whether ``given`` (a string, or a list of strings for ``order``) answers ``question``."""
    checker = CHECKERS.get(question.type)
    if checker is None:
        raise Invalid(f"Type de question inconnu : {question.type!r}.")
    return checker.check(question, given)


def tidy(text: str) -> str:
    """``text`` NFC-normalized, trimmed, without invisible format characters.

    A zero-width space or a soft hyphen, pasted from a web page, sits inside a
    word the learner typed right; it must neither split the word nor count as a typo.
    """
    composed = unicodedata.normalize("NFC", text)
    return "".join(char for char in composed if unicodedata.category(char) != "Cf").strip()


def given_text(given: object) -> str:
    """``given`` as a tidy (``tidy``), non-empty string; ``Invalid`` otherwise."""
    if not isinstance(given, str):
        raise Invalid("La réponse doit être un texte.")
    text = tidy(given)
    if not text:
        raise Invalid("Saisissez une réponse.")
    if len(text) > MAX_GIVEN_LENGTH:
        raise Invalid("Cette réponse est trop longue.")
    return text


@register
class ChoiceChecker(Checker):
    """``mcq`` and ``true_false``: the given text is one of the choices, the right one."""

    types = ("mcq", "true_false")

    def check(self, question: Checkable, given: object) -> bool:
        """Exact comparison after trimming; a text that is no choice is malformed."""
        text = given_text(given)
        choices = {tidy(choice) for choice in question.choices}
        if text not in choices:
            raise Invalid("Choisissez une des réponses proposées.")
        return text == tidy(str(question.answer))


@register
class TextChecker(Checker):
    """``cloze`` and ``short``: a free answer, forgiving of form and small typos."""

    types = ("cloze", "short")

    def check(self, question: Checkable, given: object) -> bool:
        """Whether the given text is close to the answer or to any accepted form."""
        text = normalize_text(given_text(given))
        return any(
            is_close(text, normalize_text(expected))
            for expected in [str(question.answer), *question.accepted]
            if normalize_text(expected)
        )


def normalize_text(text: str) -> str:
    """Lower case, without accents, punctuation or a leading article; words single-spaced.

    ``"L’Union  soviétique !"`` → ``"union sovietique"``.
    """
    words = fold_words(text)
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def fold_words(text: str) -> list[str]:
    """The words of ``text`` in lower case, without accents; punctuation separates words.

    Apostrophes and hyphens separate too, so "l'OTAN" starts with the article "l"
    and "quatre-vingt-dix" is three number words.
    """
    folded = tidy(text).casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", " ", bare).split()


def allowed_edits(expected: str) -> int:
    """Typos forgiven in an answer: 1 from 5 letters, 2 from 10, none below or for digits."""
    letters = sum(char.isalpha() for char in expected)
    if letters >= 10:
        return 2
    if letters >= 5:
        return 1
    return 0


def is_close(given: str, expected: str) -> bool:
    """Equal, or within the allowed typos with exactly the same numbers (both normalized).

    A typo on a digit changes the fact (1994 is not 1995), so digits must match.
    """
    if given == expected:
        return True
    if re.findall(r"\d+", given) != re.findall(r"\d+", expected):
        return False
    edits = allowed_edits(expected)
    return edits > 0 and Levenshtein.distance(given, expected, score_cutoff=edits) <= edits


@register
class NumericChecker(Checker):
    """``numeric``: digits or number words; exact under 100, else within 1 %."""

    types = ("numeric",)

    def check(self, question: Checkable, given: object) -> bool:
        """Compare the given number with the answer's (the first parsable accepted form)."""
        text = given_text(given)
        expected = _expected_number(question)
        if expected is None:
            # The answer is no number we can read: compare it as text instead.
            return TextChecker().check(question, text)
        value = parse_number(text, question.lang)
        if value is None:
            raise Invalid("Saisissez un nombre, en chiffres ou en lettres.")
        return numbers_match(value, expected)


def _expected_number(question: Checkable) -> float | None:
    """The question's answer as a number, trying the answer then each accepted form."""
    for form in [str(question.answer), *question.accepted]:
        value = parse_number(form, question.lang)
        if value is not None:
            return value
    return None


def numbers_match(given: float, expected: float) -> bool:
    """Exact for integers under 100 (counts), else a 1 % tolerance (large amounts)."""
    if expected == int(expected) and abs(expected) < 100:
        return given == expected
    return abs(given - expected) <= abs(expected) * 0.01


@register
class OrderChecker(Checker):
    """``order``: the given list of items is the answer list, in the same order."""

    types = ("order",)

    def check(self, question: Checkable, given: object) -> bool:
        """Exact comparison of the trimmed items; a list that is no arrangement is malformed."""
        if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
            raise Invalid("La réponse doit être la liste des événements dans l'ordre.")
        items = [tidy(item) for item in given]
        expected = [tidy(item) for item in question.answer]
        if Counter(items) != Counter(expected):
            raise Invalid("Remettez dans l'ordre chacun des événements proposés, une fois.")
        return items == expected


# Number words, French (with Belgian and Swiss tens) and English.
UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
HUNDREDS = frozenset({"cent", "cents", "hundred"})
SCALES = {
    "mille": 10**3, "thousand": 10**3,
    "million": 10**6, "millions": 10**6,
    "milliard": 10**9, "milliards": 10**9, "billion": 10**9, "billions": 10**9,
}  # fmt: skip
FILLERS = frozenset({"et", "and"})
_DIGITS = re.compile(r"[+-]?\d[\d .,'’]*")


def parse_number(text: str, lang: str = "fr") -> float | None:
    """The number written in ``text`` (digits, words, or digits and a scale word), or None.

    ``"onze"`` → 11, ``"100 000"`` → 100000, ``"3 milliards"`` → 3e9,
    ``"1,5 million"`` → 1.5e6, ``"quatre-vingt-dix"`` → 90.
    """
    # NFKC turns no-break and thin spaces (French digit groups) into plain spaces.
    raw = unicodedata.normalize("NFKC", text).casefold().strip()
    match = _DIGITS.match(raw)
    if match is None:
        value = parse_number_words(fold_words(raw))
        return None if value is None else float(value)
    number = parse_digits(match.group().strip(" .,'’"), lang)
    rest = fold_words(raw[match.end() :])
    if number is None or len(rest) > 1 or (rest and rest[0] not in SCALES):
        return None
    return number * (SCALES[rest[0]] if rest else 1)


def parse_digits(text: str, lang: str) -> float | None:
    """``"100 000"``, ``"100000"``, ``"1,5"``, ``"1.5"``, ``"100,000"`` (English) as a number.

    Spaces and apostrophes group thousands; a comma is the French decimal mark
    and the English thousands separator, a dot the other way round.
    """
    compact = re.sub(r"[ '’]", "", text)
    thousands, decimal = (",", ".") if lang == "en" else (".", ",")
    if re.fullmatch(rf"[+-]?\d{{1,3}}(\{thousands}\d{{3}})+", compact):
        compact = compact.replace(thousands, "")
    compact = compact.replace(decimal, ".")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", compact):
        return None
    return float(compact)


def parse_number_words(words: list[str]) -> int | None:
    """A whole number written in French or English words, or None if any word is no number."""
    words = [word for word in words if word not in FILLERS]
    if not words:
        return None
    total = current = 0
    previous = None
    for word in words:
        if word in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4  # quatre-vingt(s): four twenties
        elif word in UNITS:
            current += UNITS[word]
        elif word in HUNDREDS:
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        previous = word
    return total + current
