"""The names a sheet gives one person, and which of them a blank accepts or offers.

A sheet names a person several ways: "Guillaume, duc de Normandie" in one paragraph,
"Guillaume le Conquérant" in the next; "Harold Godwinson", then "Harold". A learner
who writes the fuller or the shorter form the sheet itself uses is right, unless that
form names someone else as well ("Ptolémée" for Ptolémée Ier and Ptolémée II). Wrong
choices take the fullest form the sheet gives them, so that "Kohler" does not stand
bare beside "Emil Baumann".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..normalize import fold


@lru_cache(maxsize=1 << 14)  # every name is compared with every other of the sheet
def _words(name: str) -> frozenset[str]:
    return frozenset(fold(name).replace("-", " ").split())


def same_person_forms(answer: str, names: Iterable[str]) -> list[str]:
    """The other forms of ``answer`` among the sheet's ``names``: those holding all its
    words ("Guillaume le Conquérant" for "Guillaume"), and those whose words it holds
    ("Harold" for "Harold Godwinson") when no other fuller name holds them too."""
    own = _words(answer)
    distinct = {fold(n): n for n in names if n.strip()}
    others = [n for key, n in distinct.items() if key != fold(answer)]
    forms = []
    for name in others:
        words = _words(name)
        if own < words and _unique_within(own, others, name):
            forms.append(name)
        elif words < own and _unique_within(words, [*others, answer], answer):
            forms.append(name)
    return forms


def _unique_within(words: frozenset[str], names: Iterable[str], owner: str) -> bool:
    """Whether no name but ``owner`` (and its own shorter forms) holds all ``words``."""
    owner_words = _words(owner)
    return not any(
        words <= _words(n) and not _words(n) <= owner_words and not owner_words <= _words(n)
        for n in names
    )


def fuller_names(names: Iterable[str]) -> dict[str, str]:
    """Each of the sheet's ``names`` and the fullest form the sheet gives it ("Kohler" →
    "Charles-Amédée Kohler"), itself when it has none or when the fuller ones name
    several people; worked out once per sheet (every person question needs it)."""
    pool = [n for n in dict.fromkeys(names) if n.strip()]
    return {name: _fullest(name, pool) for name in pool}


def _fullest(name: str, pool: list[str]) -> str:
    fuller = [n for n in pool if _words(name) < _words(n)]
    return max(fuller, key=len) if len(fuller) == 1 or _one_person(fuller) else name


def fullest_forms(candidates: list[str], names: Iterable[str], answer: str) -> list[str]:
    """The ``candidates`` in the fullest form the sheet gives each ("Charles-Amédée
    Kohler" for "Kohler"); when the answer is a full name, bare names with no fuller
    form are left out (a surname alone beside first-and-last names stands out)."""
    return fullest_from(candidates, fuller_names(names), answer)


def fullest_from(candidates: list[str], fuller: dict[str, str], answer: str) -> list[str]:
    """``fullest_forms`` with the sheet's ``fuller_names`` already worked out."""
    full_answer = len(answer.split()) >= 2
    pool = list(fuller)
    chosen: list[str] = []
    for candidate in candidates:
        form = fuller.get(candidate) or _fullest(candidate, pool)
        if not full_answer:
            form = _surname(form)  # "Peter, Cailler, _____": Tobler, not Theodor Tobler
        if not form or (full_answer and len(form.split()) < 2):
            continue
        if fold(form) != fold(answer) and fold(form) not in {fold(c) for c in chosen}:
            chosen.append(form)
    return chosen


def _one_person(forms: list[str]) -> bool:
    """Whether ``forms`` are all forms of one name (each holds the shortest)."""
    if not forms:
        return False
    longest = max(forms, key=len)
    return all(_words(f) <= _words(longest) for f in forms)


def _surname(name: str) -> str:
    """The surname of a plain "first last" name, the name itself when it is one word,
    else "" ("Guillaume le Conquérant", "Louis XIV" have none to offer)."""
    words = name.split()
    if len(words) == 1:
        return name
    if len(words) == 2 and words[1][:1].isupper() and not words[1].isupper():
        return words[1]
    return ""


def named_already(candidates: list[str], texts: Iterable[str]) -> list[str]:
    """The ``candidates`` whose surname (their last capitalised word) none of ``texts``
    writes: "Louis Pasteur" is no choice in "Pasteur s'attaque à la rage avec ses
    collaborateurs, parmi lesquels _____", nor on the sheet "Louis Pasteur et la rage"
    (the sentence's subject, or the sheet's own person, ruled out as the other)."""
    written = {fold(w) for text in texts for w in _CAPITALISED.findall(text)}
    kept = []
    for candidate in candidates:
        names = _CAPITALISED.findall(candidate)
        if not names or fold(names[-1]) not in written:
            kept.append(candidate)
    return kept


_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-Ý][\w-]{2,}")
