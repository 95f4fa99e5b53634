"""Distractors: wrong answers of the answer's own kind, plausible and never true.

Candidates come first from the same sheet, then from the rest of the corpus
generated together, then (for dates and numbers) from near values. A
candidate is refused when it equals the answer, is already chosen, or
appears in the evidence sentence (where it might also be true).
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import DateValue, Fact
from ..normalize import contains_words, fold
from ..resources import NUMBER_WORDS
from .phrasing import format_date, format_number


def stable_rank(seed: str, item: str) -> str:
    """A deterministic pseudo-random sort key: varied, yet identical on every run."""
    return hashlib.sha1(f"{seed}|{item}".encode()).hexdigest()


@dataclass
class Pools:
    """Every fact of the corpus, by kind, to draw distractors from."""

    by_kind: dict[str, list[Fact]] = field(default_factory=dict)
    sheet_of: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_facts(cls, facts: Iterable[tuple[str, Fact]]) -> Pools:
        """Group ``(sheet key, fact)`` pairs by kind (institutions also by category)."""
        pools = cls()
        for sheet, fact in facts:
            if fact.data.get("short"):
                continue  # "Convention" alone is no choice to offer
            pools.sheet_of[id(fact)] = sheet
            pools.by_kind.setdefault(fact.kind, []).append(fact)
            if fact.kind in ("institution", "acronym"):
                key = f"{fact.kind}:{fact.data.get('category')}"
                pools.by_kind.setdefault(key, []).append(fact)
            if fact.kind == "place" and fact.data.get("class"):
                pools.by_kind.setdefault(f"place:{fact.data['class']}", []).append(fact)
        return pools

    def get(self, key: str) -> list[Fact]:
        """Facts of one kind (or 'institution:treaty'-style key)."""
        return self.by_kind.get(key, [])


def _accept(candidate: str, answer: str, evidence: str, chosen: list[str]) -> bool:
    folded = fold(candidate)
    if not folded or any(folded in fold(c) or fold(c) in folded for c in chosen):
        return False  # "Stoltenberg" after "Jens Stoltenberg": the same person twice
    if folded in fold(answer) or fold(answer) in folded:
        return False  # "Conseil OTAN-Russie" vs "Conseil OTAN-Russie (COR)": not distinct enough
    return not contains_words(evidence, candidate)


def pick(answer: str, evidence: str, seed: str, candidates: list[str], want: int = 3) -> list[str]:
    """Up to ``want`` acceptable candidates, in the order given (best first)."""
    chosen: list[str] = []
    for candidate in candidates:
        if len(chosen) == want:
            break
        if _accept(candidate, answer, evidence, chosen):
            chosen.append(candidate)
    return chosen


def text_candidates(fact: Fact, pools: Pools, keys: list[str], seed: str) -> list[str]:
    """Names of the first key (the closest kind) before the next; within a key the
    same sheet before the rest of the corpus; shuffled stably within each group."""
    ordered: list[str] = []
    sheet = pools.sheet_of.get(id(fact))
    for key in keys:
        same_sheet = {str(f.text) for f in pools.get(key) if pools.sheet_of.get(id(f)) == sheet}
        elsewhere = {str(f.text) for f in pools.get(key)} - same_sheet
        for group in (same_sheet, elsewhere):
            for text in sorted(group, key=lambda t: stable_rank(seed, t)):
                if text not in ordered:
                    ordered.append(text)
    return ordered


def date_candidates(fact: Fact, pools: Pools, lang: str, seed: str) -> list[str]:
    """Dates of the same precision: corpus dates nearest in time, then shifted values."""
    value: DateValue = fact.value
    same = [
        f.value
        for f in pools.get("date")
        if f.value.precision == value.precision
        and (f.value.qualifier is None) == (value.qualifier is None)  # "1999", never "fin 2002"
        and not f.data.get("relative")
        and f.value != value
    ]
    same.sort(key=lambda v: (abs(v.year - value.year), stable_rank(seed, str(v))))
    near = [v for v in same if abs(v.year - value.year) <= 15]
    shifted = [_shift(value, k) for k in (1, -2, 3, -1, 2, -3, 5, -5)]
    return [format_date(v, lang) for v in [*near[:6], *shifted]]


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
    same = [
        f.text
        for f in pools.get("number")
        if fold(str(f.data.get("unit"))) == unit and float(f.value) != value
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
