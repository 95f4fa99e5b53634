"""Distractors: wrong answers of the answer's own fine kind, plausible and never true.

Names come from facts of the same fine kind (a council for a council, a country
for a country): first the same sheet, then the rest of the corpus generated
together, then, for countries and cities, well-known ones from the locale data.
Dates and numbers come from the corpus, then from near values. A candidate is
refused when it equals or contains the answer, repeats a chosen one, or stands
in the quoted text or the evidence (where it might be true as well).
"""

from __future__ import annotations

import calendar
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, islice, repeat

from ..model import DateValue, Fact
from ..normalize import contains_words, fold
from ..resources import NUMBER_WORDS
from .classes import continent, fallback_names, fine_kind
from .phrasing import format_number

# Kinds whose members any sheet may plausibly offer: states and continents.
WORLDWIDE = {"country", "continent"}


def stable_rank(seed: str, item: str) -> str:
    """A deterministic pseudo-random sort key: varied, yet identical on every run."""
    return hashlib.sha1(f"{seed}|{item}".encode()).hexdigest()


@dataclass
class Pools:
    """Every fact of the corpus, by fine kind, to draw distractors from."""

    by_kind: dict[str, list[Fact]] = field(default_factory=dict)
    sheet_of: dict[int, str] = field(default_factory=dict)
    kind_of: dict[int, str] = field(default_factory=dict)
    # Indexes built on first use, so that no question scans the whole corpus (a big
    # sheet would cost the square of its length).
    _names: dict[tuple[str, str, str | None], tuple[set[str], set[str]]] = field(
        default_factory=dict, repr=False
    )
    _dates: dict[tuple[str, bool], dict[int, Counter[DateValue]]] = field(
        default_factory=dict, repr=False
    )
    _numbers: dict[str, dict[str | None, list[tuple[int, Fact]]]] = field(
        default_factory=dict, repr=False
    )
    _acted: set[tuple[str, object]] = field(default_factory=set, repr=False)

    @classmethod
    def from_facts(cls, facts: Iterable[tuple[str, Fact]]) -> Pools:
        """Group ``(sheet key, fact)`` pairs by fine kind."""
        pools = cls()
        for sheet, fact in facts:
            kind = fine_kind(fact)
            pools.kind_of[id(fact)] = kind
            if fact.data.get("short"):
                continue  # "Convention" alone is no choice to offer
            pools.sheet_of[id(fact)] = sheet
            pools.by_kind.setdefault(kind, []).append(fact)
            if fact.kind in ("date", "number", "treaty"):
                pools.by_kind.setdefault(fact.kind, []).append(fact)
        return pools

    def _names_of(self, kind: str, lang: str, sheet: str | None) -> tuple[set[str], set[str]]:
        """The names of ``kind`` in ``lang`` (a French question offers French names): those
        of ``sheet``, and for worldwide kinds those found only elsewhere."""
        key = (kind, lang, sheet)
        if key not in self._names:
            texts = [
                (str(f.value if f.kind == "acronym" else f.text), f)
                for f in self.get(kind)
                if f.paragraph.lang == lang
            ]
            same = {text for text, f in texts if self.sheet_of.get(id(f)) == sheet}
            elsewhere = ({text for text, _ in texts} - same) if kind in WORLDWIDE else set()
            self._names[key] = (same, elsewhere)
        return self._names[key]

    def dates_near(self, value: DateValue, years: int) -> Counter[DateValue]:
        """The corpus's absolute dates of ``value``'s precision and kind (qualified or
        not) at most ``years`` away from it, each with how often the corpus states it."""
        group = (value.precision, value.qualifier is None)
        if not self._dates:
            for f in self.get("date"):
                if not f.data.get("relative"):
                    key = (f.value.precision, f.value.qualifier is None)
                    by_year = self._dates.setdefault(key, {})
                    by_year.setdefault(f.value.year, Counter())[f.value] += 1
        near: Counter[DateValue] = Counter()
        for year in range(value.year - years, value.year + years + 1):
            near.update(self._dates.get(group, {}).get(year, {}))
        return near

    def numbers_elsewhere(self, unit: str, sheet: str | None) -> list[Fact]:
        """The corpus's numbers counting ``unit`` (folded) in sheets other than ``sheet``,
        in corpus order."""
        if not self._numbers:
            for position, f in enumerate(self.get("number")):
                by_sheet = self._numbers.setdefault(fold(str(f.data.get("unit"))), {})
                by_sheet.setdefault(self.sheet_of.get(id(f)), []).append((position, f))
        by_sheet = self._numbers.get(unit, {})
        found = sorted(
            (pair for other, pairs in by_sheet.items() if other != sheet for pair in pairs),
            key=lambda pair: pair[0],
        )
        return [f for _, f in found]

    def acted(self, treaty: str, action: object) -> bool:
        """Whether the corpus says that ``treaty`` underwent ``action``."""
        if not self._acted:
            self._acted = {(f.text, f.data.get("action")) for f in self.get("treaty")}
        return (treaty, action) in self._acted

    def kind(self, fact: Fact) -> str:
        """The fine kind of one of the pooled facts."""
        return self.kind_of.get(id(fact)) or fine_kind(fact)

    def get(self, key: str) -> list[Fact]:
        """Facts of one fine kind (or of a coarse kind: 'date', 'number', 'treaty')."""
        return self.by_kind.get(key, [])

    def names(self, fact: Fact, seed: str, kind: str | None = None) -> list[str]:
        """Names of ``fact``'s fine kind from the same sheet, stably shuffled; for
        countries, then the rest of the corpus and well-known countries. A town, a treaty
        or a person from another sheet is no plausible wrong answer (the treaty of
        Canterbury among arms-control treaties)."""
        kind = kind or self.kind(fact)
        if kind == "place":
            return []  # nothing says what kind of place it is: no fair distractor
        same, elsewhere = self._names_of(kind, fact.paragraph.lang, self.sheet_of.get(id(fact)))
        lang = fact.paragraph.lang
        ordered: list[str] = []
        for group in (same, elsewhere):
            ordered += sorted(group, key=lambda text: stable_rank(seed, text))
        answer = str(fact.value) if fact.kind == "acronym" else fact.text
        if kind in WORLDWIDE:
            ordered += [n for n in fallback_names(kind, answer, lang) if n not in ordered][:40]
        if kind == "country" and continent(answer):  # Libya and Sudan for Egypt, not Italy
            home = continent(answer)
            ordered.sort(key=lambda name: continent(name) != home)
        return list(dict.fromkeys(ordered))


def acceptable(candidate: str, answer: str, shown: list[str], chosen: list[str]) -> bool:
    """Whether ``candidate`` may be offered beside ``answer``: distinct from it and from
    the choices made, and absent from the texts the learner reads or the evidence."""
    folded = fold(candidate)
    if not folded or any(folded in fold(c) or fold(c) in folded for c in chosen):
        return False  # "Stoltenberg" after "Jens Stoltenberg": the same person twice
    if folded in fold(answer) or fold(answer) in folded:
        return False  # "Conseil OTAN-Russie" vs "Conseil OTAN-Russie (COR)": not distinct enough
    return not any(contains_words(text, candidate) for text in shown)


def pick(answer: str, shown: list[str], candidates: list[str], want: int = 3) -> list[str]:
    """Up to ``want`` acceptable candidates, in the order given (best first)."""
    chosen: list[str] = []
    for candidate in candidates:
        if len(chosen) == want:
            break
        if acceptable(candidate, answer, shown, chosen):
            chosen.append(candidate)
    return chosen


def date_candidates(fact: Fact, pools: Pools, seed: str) -> list[DateValue]:
    """Dates of the same precision: corpus dates nearest in time, then shifted values."""
    value: DateValue = fact.value
    # Of the same kind, qualified or not: "1999", never "fin 2002". Equal keys are equal
    # values, so the order of the pool does not show through the sort.
    counts = pools.dates_near(value, 15)
    distinct = sorted(
        (v for v in counts if v != value),
        key=lambda v: (abs(v.year - value.year), stable_rank(seed, str(v))),
    )
    # A date stated three times fills three of the six places, as it always has.
    near = list(islice(chain.from_iterable(repeat(v, counts[v]) for v in distinct), 6))
    shifted = [_shift(value, k) for k in (1, -2, 3, -1, 2, -3, 5, -5)]
    return list(dict.fromkeys([*near, *shifted]))


def _shift(value: DateValue, k: int) -> DateValue:
    """A near, different date of the same precision."""
    if value.precision == "day" and value.month and value.day:
        month = (value.month - 1 + k) % 12 + 1
        day = min(value.day, calendar.monthrange(value.year, month)[1])  # never 31 novembre
        return DateValue(value.year, month, day, precision="day")
    if value.precision == "month" and value.month:
        month = (value.month - 1 + 4 * k) % 12 + 1
        return DateValue(value.year + (k // 3), month, precision="month")
    if value.precision == "season":
        seasons = ["spring", "summer", "autumn", "winter"]
        index = seasons.index(value.qualifier or "spring")
        return DateValue(
            value.year + k // 2, qualifier=seasons[(index + k) % 4], precision="season"
        )
    if value.precision == "decade":
        return DateValue(value.year + 10 * k, qualifier=value.qualifier, precision="decade")
    return DateValue(value.year + k, qualifier=value.qualifier, precision="year")


def number_candidates(fact: Fact, pools: Pools, lang: str) -> list[str]:
    """Numbers counting the same thing in the corpus, then scaled values."""
    value = float(fact.value)
    unit = fold(str(fact.data.get("unit")))
    # Only other sheets' numbers: the sheet's own figures may all be true.
    same = [
        f.text
        for f in pools.numbers_elsewhere(unit, pools.sheet_of.get(id(fact)))
        if float(f.value) != value
        and value / 5 <= float(f.value) <= value * 5  # "2 200 personnes" is no near miss for 30
    ]
    if value >= 100:
        factors = [0.5, 2.0, 1.5, 0.25, 3.0]
        scaled = [value * f for f in factors]
    else:
        scaled = [value + d for d in (1, -1, 2, 3, -2, 5, 10) if value + d > 0]
    like = fact.text
    if not like[0].isdigit():  # "onze reprises": answer in words, distractors too
        words = {v: w for w, v in NUMBER_WORDS.get(lang, {}).items()}
        return [*same, *(words[int(v)] for v in scaled if int(v) in words)]
    return [*same, *(format_number(v, like, lang) for v in scaled)]
