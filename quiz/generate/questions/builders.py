"""What every question builder shares: drafts and the per-sheet context.

The context knows, for one sheet, each paragraph's sentences (from its parse),
the sentence that comes before each paragraph, the stems of the facts, how the
corpus writes names (their gender and number), and which names the sheet
abbreviates ("Conseil OTAN-Russie" ↔ "COR").
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Fact, Paragraph, QuestionType, SheetResult, Span
from ..normalize import fold, matching_text
from ..parses import Parses
from ..resources import CITY_IN_COUNTRY
from .alike import AlikeIndex
from .classes import city_country, country_code, is_country
from .clauses import clause_ends
from .distractors import Pools, stable_rank
from .grammar import Lexicon
from .people import fuller_names
from .stems import Stem, build_stems


@dataclass
class Draft:
    """A question before it gets its id and provenance."""

    type: QuestionType
    prompt: str
    answer: str | list[str]
    fact: Fact
    variant: str
    choices: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    item_facts: list[Fact] = field(default_factory=list)
    evidence: Span | None = None
    # Order questions: each event's date as the sheet writes it, and its sentence.
    item_dates: list[str] = field(default_factory=list)
    item_evidence: list[Span] = field(default_factory=list)


@dataclass
class Builder:
    """Everything the builders of one sheet share."""

    sheet: SheetResult
    pools: Pools
    parses: Parses
    lexicon: Lexicon
    place_mentions: Counter[str] = field(default_factory=Counter)
    # "ESA" → "elle": the tagger knows no gender for acronyms, the sheet does.
    pronouns: dict[str, str] = field(default_factory=dict)
    # Folded name → acronym and folded acronym → name, as the sheet defines them.
    aliases: dict[str, str] = field(default_factory=dict)
    # Folded city → the ISO code of its country, as the corpus states it ("à Genève,
    # en Suisse").
    cities: dict[str, str] = field(default_factory=dict)
    _before: dict[int, list[str]] = field(default_factory=dict)
    _cuts: dict[int, list[int]] = field(default_factory=dict)
    _stems: dict[tuple[int, Span], list[Stem]] = field(default_factory=dict)
    _alike: AlikeIndex | None = None
    _uses: dict[str, int] = field(default_factory=dict)
    # Results of the question helpers, by what they depend on (see forms.gaps).
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict)
    _facts_in: dict[int, list[Fact]] = field(default_factory=dict)
    _descriptions: dict[str, set[str | None]] = field(default_factory=dict)
    _years: dict[str, int] = field(default_factory=dict)
    _countries: dict[str, str] = field(default_factory=dict)

    def seed(self, fact: Fact, variant: str = "") -> str:
        """A per-fact seed for stable, varied choices."""
        return f"{self.sheet.source.slug}|{fact.paragraph.anchor}|{fact.kind}|{fact.text}|{variant}"

    def flip(self, fact: Fact, variant: str) -> bool:
        """A stable coin toss for this fact (true/false items, which facts get one)."""
        return int(hashlib.sha1(self.seed(fact, variant).encode()).hexdigest()[:8], 16) % 2 == 0

    def doc(self, paragraph: Paragraph) -> Any:
        """The paragraph's parse (None for a paragraph that was not parsed)."""
        return self.parses.doc(paragraph)

    def sentences(self, paragraph: Paragraph) -> list[Span]:
        """The paragraph's sentences, as found when it was parsed."""
        return self.parses.sentences(paragraph)

    def before(self, paragraph: Paragraph) -> list[str]:
        """The last two sentences of the quizzable block before ``paragraph`` in its
        section: what a list item's first sentence may lean on ("Le même mois, ...")."""
        key = id(paragraph)
        if key not in self._before:
            self._before[key] = self._previous_sentences(paragraph)
        return self._before[key]

    def _previous_sentences(self, paragraph: Paragraph) -> list[str]:
        blocks = self.sheet.paragraphs
        index = paragraph.index
        if index == 0 or index > len(blocks):
            return []
        previous = blocks[index - 1]
        if not previous.quizzable or previous.section != paragraph.section:
            return []
        return [previous.text[s.start : s.end] for s in self.sentences(previous)[-2:]]

    def cuts(self, paragraph: Paragraph) -> list[int]:
        """Where the paragraph's sentences may end early (see ``clauses``)."""
        key = id(paragraph)
        if key not in self._cuts:
            text = matching_text(paragraph.text)
            self._cuts[key] = clause_ends(text, self.doc(paragraph), paragraph.lang)
        return self._cuts[key]

    def stems(self, fact: Fact) -> list[Stem]:
        """The self-contained sentences that may quote ``fact``, best first."""
        key = (id(fact.paragraph), fact.span)
        if key not in self._stems:
            paragraph = fact.paragraph
            self._stems[key] = build_stems(
                paragraph.text,
                self.sentences(paragraph),
                fact.span,
                paragraph.lang,
                self.before(paragraph),
                self.cuts(paragraph),
                self.sheet.title,
            )
        return self._stems[key]

    def stem(self, fact: Fact) -> Stem | None:
        """The best stem quoting ``fact``, or None."""
        stems = self.stems(fact)
        return stems[0] if stems else None

    def uses(self, word: str) -> int:
        """How many times the sheet's text writes ``word``, as a whole word."""
        if word not in self._uses:
            pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
            self._uses[word] = sum(
                len(pattern.findall(p.text)) for p in self.sheet.paragraphs if word in p.text
            )
        return self._uses[word]

    def people(self) -> tuple[str, ...]:
        """The names of people the sheet writes, each form once, in order (listed once:
        every person question asks for them, and a big sheet has thousands)."""
        key = ("people",)
        if key not in self.memo:
            self.memo[key] = tuple(
                dict.fromkeys(f.text for f in self.sheet.facts if f.kind == "person")
            )
        people: tuple[str, ...] = self.memo[key]
        return people

    def fuller_names(self) -> dict[str, str]:
        """Each person's name on the sheet and its fullest form (see ``people``)."""
        key = ("fuller names",)
        if key not in self.memo:
            self.memo[key] = fuller_names(self.people())
        fuller: dict[str, str] = self.memo[key]
        return fuller

    def stated_dates(self) -> frozenset[Any]:
        """The dates the sheet states, as values (collected once, for every date fact)."""
        key = ("stated dates",)
        if key not in self.memo:
            self.memo[key] = frozenset(f.value for f in self.sheet.facts if f.kind == "date")
        dates: frozenset[Any] = self.memo[key]
        return dates

    def facts_in(self, paragraph: Paragraph) -> list[Fact]:
        """The sheet's facts found in ``paragraph``, in the sheet's order (indexed once:
        a scan of every fact for every question costs a big sheet the square of it)."""
        if not self._facts_in:
            for fact in self.sheet.facts:
                self._facts_in.setdefault(id(fact.paragraph), []).append(fact)
        return self._facts_in.get(id(paragraph), [])

    def said_alike(self, candidate: str, stem: str, shared: int = 2) -> bool:
        """Whether the sheet names ``candidate`` in a sentence that says much what
        ``stem`` says (``shared`` distinctive words or years in common): offered as a
        wrong answer, it might well be true ("also created in 1997", "also occupied")."""
        if self._alike is None:
            self._alike = AlikeIndex(_quizzable_sentences(self.sheet, self.sentences))
        return self._alike.said_alike(candidate, stem, shared)

    def described_alike(self, fact: Fact, candidates: list[str]) -> list[str]:
        """The candidates the corpus describes as it describes the person ``fact`` ("le
        Français Philippe Cozette", "le président François Mitterrand"): where the sentence
        says "le Français _____", a Briton is no choice. All when it describes nobody."""
        wanted = describe(fact)
        if wanted is None:
            return candidates
        if not self._descriptions:
            for person in self.pools.get("person"):
                self._descriptions.setdefault(fold(person.text), set()).add(describe(person))
        return [c for c in candidates if wanted in self._descriptions.get(fold(c), set())]

    def contemporaries(self, fact: Fact, candidates: list[str]) -> list[str]:
        """The candidates the sheet does not date a generation (40 years) away from the
        person ``fact``: no rider of 2022 for the yellow jersey of 1919."""
        if not self._years:
            for person in self.pools.get("person"):
                year = self._year_of(person)
                if year is not None:
                    self._years.setdefault(fold(person.text), year)
        year = self._year_of(fact)
        if year is None:
            return candidates
        return [c for c in candidates if abs(self._years.get(fold(c), year) - year) <= 40]

    def compatriots(self, fact: Fact, candidates: list[str]) -> list[str]:
        """The candidates the corpus gives no other country than the one the sentence
        gives ``fact`` in brackets ("_____ et Eric Liddell (Grande-Bretagne)": Paavo
        Nurmi, "(Finlande)" elsewhere, is ruled out). All when it gives none."""
        wanted = _bracketed_country(fact, reach=60)
        if wanted is None:
            return candidates
        if not self._countries:
            for person in self.pools.get("person"):
                country = _bracketed_country(person, reach=0)
                if country is not None:
                    self._countries.setdefault(fold(person.text), country)
        return [c for c in candidates if self._countries.get(fold(c), wanted) == wanted]

    def _year_of(self, person: Fact) -> int | None:
        """The first year of the sentence that names ``person``, else the last year
        the paragraph writes before it ("Le 24 juillet 2022, … La Néerlandaise Annemiek
        van Vleuten a remporté cette édition"), else its first one after, or None."""
        paragraph = person.paragraph
        sentence = next(
            (s for s in self.sentences(paragraph) if s.start <= person.span.start < s.end), None
        )
        if sentence is None:
            return None
        found = _YEAR.search(paragraph.text, sentence.start, sentence.end)
        if found is None:
            earlier = _YEAR.findall(paragraph.text, 0, sentence.start)
            later = _YEAR.search(paragraph.text, sentence.end)
            found_year = earlier[-1] if earlier else later.group() if later else None
            return int(found_year) if found_year else None
        return int(found.group())

    def country_of(self, city: str) -> str | None:
        """The country a city lies in, as the corpus or the locale data says."""
        return self.cities.get(fold(city)) or city_country(city)

    def alias(self, name: str) -> str | None:
        """The acronym of a name the sheet abbreviates, or the name of an acronym."""
        return self.aliases.get(fold(name))


_BRACKETED = re.compile(r"\(([^()]{2,40})\)")


def _bracketed_country(person: Fact, reach: int) -> str | None:
    """The country (folded) in the brackets right after a person's name ("Paavo Nurmi
    (Finlande)"), or within ``reach`` characters of the same sentence, or None."""
    text = person.paragraph.text
    after = text[person.span.end : person.span.end + max(reach, 1) + 40]
    found = _BRACKETED.search(after.split(". ")[0])
    if found is None or found.start() > reach and after[: found.start()].strip():
        return None
    code = country_code(found.group(1))
    return code or (fold(found.group(1)) if is_country(found.group(1)) else None)


def choices_for(builder: Builder, fact: Fact, answer: str, distractors: list[str]) -> list[str]:
    """Answer and distractors in a stable shuffled order."""
    seed = builder.seed(fact, "choices")
    return sorted([answer, *distractors], key=lambda c: stable_rank(seed, c))


def located_cities(texts: Iterable[str]) -> dict[str, str]:
    """Folded city → country code for every "à Genève, en Suisse" of ``texts``."""
    found: dict[str, str] = {}
    for text in texts:
        for match in CITY_IN_COUNTRY.finditer(text):
            code = country_code(match.group("country"))
            if code:
                found.setdefault(fold(match.group("city")), code)
    return found


def _quizzable_sentences(
    sheet: SheetResult, sentences: Callable[[Paragraph], list[Span]]
) -> Iterator[str]:
    """Every quizzable sentence of the sheet, in text order."""
    for paragraph in sheet.paragraphs:
        if paragraph.quizzable:
            for span in sentences(paragraph):
                yield paragraph.text[span.start : span.end]


_DESCRIBED = re.compile(
    r"(?:\b(?:le|la|les|du|des|au|aux|ses|son|sa|leurs?|the|an?|its|their|his|her)\s+|"
    r"\bl['’])(?:[\w'’-]+\s+){0,3}?"
    r"(?P<word>[\w'’-]+)\s*,?\s*$",
    re.I,
)


_YEAR = re.compile(r"(?<!\d)1[5-9]\d\d(?!\d)|(?<!\d)20\d\d(?!\d)")
# A title right before a name, with no determiner: "President Bill Clinton".
_TITLED = re.compile(
    r"(?:^|[\s,(])(?P<word>(?:Vice-)?Pr[eé]sident|Prime Minister|Premier ministre|Chancellor|"
    r"Chancelier|King|Queen|Roi|Reine|Pope|Pape|Emperor|Empereur|General|Général|Senator|"
    r"Sénateur|Governor|Gouverneur|Mayor|Sir|Dame|Cardinal|Archbishop)\s+$"
)
# A name right before another, joined by "et" or "and": "Maurice Koechlin et _____".
_COORDINATED = re.compile(r"(?:[A-ZÀ-Ý][\w'’-]+\s+){1,3}(?:et|and)\s+$")


def describe(person: Fact) -> str | None:
    """The word a sentence describes a person with, right before the name ("le médecin
    anglais Edward Jenner" → "anglais", "le Français Philippe Cozette" → "francais"),
    or before the name it is coordinated with ("ses ingénieurs, Maurice Koechlin et
    Émile Nouguier" → "ingenieur"); singular, so that one and many compare."""
    text = person.paragraph.text
    before = text[max(0, person.span.start - 40) : person.span.start]
    partner = _COORDINATED.search(text, 0, person.span.start)
    if partner is not None and not _DESCRIBED.search(before):
        before = text[max(0, partner.start() - 40) : partner.start()]
    match = _DESCRIBED.search(before) or _TITLED.search(before)
    if match is None:
        return None
    word = fold(match.group("word"))
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word
