"""Stems: the whole sentences a question quotes, self-contained and never cut.

A fact is asked in the sentence that states it. A sentence that leans on the one
before ("De son côté", "ce chiffre", "à nouveau", "Its commission") is quoted with
that sentence, taken from the paragraph before when it opens its own (a list of
milestones); a loose opener ("Par ailleurs,") is dropped. A sentence too long to
read is cut down to a sentence of its own: one item of an enumeration with its
introduction, or the first of two clauses. A sentence that cannot stand alone (a
first-person quote with no speaker, a dateline) is never quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Span
from ..normalize import fold
from ..resources import (
    ANTECEDENT,
    CHRONOLOGY_ENTRY,
    CLAUSE_BREAK,
    COMPARING_ASIDE,
    DATA_LINE,
    DATELINE,
    ENUMERATION,
    FIRST_PERSON,
    FRONTED_PRONOUN,
    GLOSSARY_ENTRY,
    LEANING_OPENER,
    LEANING_WORDS,
    LIST_CONNECTIVE,
    LOOSE_OPENER,
    META_NOTE,
    MONTHS_EN,
    MONTHS_FR,
    PRONOUN,
    QUOTED,
    SPEAKER,
    TIMELINE_ENTRY,
    TITLE_WITH_DATES,
    UNNAMED_SUBJECT,
    UNNAMED_WORK,
    VERB_AFTER_COMMA,
)
from .topic import name_pronoun, name_work

MAX_SENTENCE = 400  # characters: longer sentences are cut down to one of their parts
MAX_STEM = 500  # with the sentences before it
SHORT_LIST = 250  # an enumeration this short is quoted whole
_TERMINAL = re.compile(r"[.!?…][»\"”)]*\s*$")
_CLOSING = re.compile(r"[\s,;:]+$")
# Where an enumeration's introduction ends, and the words announcing a whole list.
_LIST_SUBJECT = re.compile(
    r"(?:les|des)\s+\w+\s+suivant(?:e|s|es)\s+(?P<verb>ont)\b|"
    r"the\s+following\s+\w+\s+(?P<verb_en>have)\b",
    re.I,
)
_ONE_OF = {"fr": ", notamment ", "en": ", including "}
_DEFINITE = re.compile(r"^(?:le|la|les|l['’]|the)\b\s*", re.I)
_NAME = re.compile(r"(?<=[\s(«“\"'’-])[A-ZÀ-Ý][\w.]*")
_MONTHS = {m.lower().rstrip(".") for m in [*MONTHS_FR, *MONTHS_EN]}  # "in December" names nothing
_MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b", re.I)
# The English pronouns that stand for a person, whose antecedent must be a name.
PERSONAL = re.compile(r"he|his|him|she|her", re.I)


@dataclass(frozen=True)
class Piece:
    """A stretch of the stem copied from the fact's paragraph: ``text[at:]`` is
    ``paragraph[start:end]``, letter case of its first character aside."""

    at: int
    start: int
    end: int


@dataclass(frozen=True)
class Stem:
    """What a question quotes: ``text``, and ``evidence``, the span of the paragraph
    that proves the fact (the sentence, or the enumeration item, holding it)."""

    text: str
    evidence: Span
    pieces: tuple[Piece, ...]
    # Its opening pronoun stands for the sheet's work, to be named ("Elle pèse…").
    names_work: bool = False

    def locate(self, span: Span) -> Span | None:
        """Where a span of the paragraph stands in the stem, if it was copied."""
        for piece in self.pieces:
            if piece.start <= span.start and span.end <= piece.end:
                offset = piece.at + span.start - piece.start
                return Span(offset, offset + span.end - span.start)
        return None


@lru_cache(maxsize=1 << 14)  # each fact of a sentence asks again about the same sentence
def leans(text: str, lang: str, topic: str = "") -> bool:
    """Whether a sentence points at something said before it: a pronoun or connective,
    a demonstrative, or a definite description and no name to say which ("Le chantier a
    débuté le 28 janvier 1887": which one?), unless it names the sheet's ``topic``
    ("La tour a été achevée…" on "La tour Eiffel")."""
    text = name_work(text, topic, lang) if topic else text
    if LEANING_OPENER.match(text) or LEANING_WORDS[lang].search(text):
        return True
    definite = _DEFINITE.match(text)
    names = [m for m in _NAME.findall(text) if m.lower().rstrip(".") not in _MONTHS]
    if definite and not names:
        noun = text[definite.end() :].split(" ", 1)[0]
        if fold(noun) not in fold(topic).split():
            return True
    if FRONTED_PRONOUN.match(text):
        return True
    unnamed = UNNAMED_SUBJECT.match(text) or UNNAMED_WORK.search(text)
    if unnamed and _last_word(unnamed.group(0)) not in fold(topic).split():
        return True  # "L'ouvrage est inauguré…", "franchi l'ouvrage": which one?
    pronoun = PRONOUN[lang].search(text, 1)
    if pronoun is None:
        return False
    before = _MONTH_WORD.sub(" ", text[: pronoun.start()])  # "On 3 September 1928 he": who?
    if PERSONAL.fullmatch(pronoun.group(0)):  # "he", "his" stand for a person: a name before
        return not any(m.lower().rstrip(".") not in _MONTHS for m in _NAME.findall(before))
    return not ANTECEDENT.search(before)


@lru_cache(maxsize=1 << 14)
def unquotable(text: str, lang: str) -> bool:
    """A first-person sentence with no speaker, a speaker and their words, or a news
    dateline: never a stem."""
    unquoted = QUOTED.sub(" ", text)
    if GLOSSARY_ENTRY.match(text) or TITLE_WITH_DATES.match(text) or META_NOTE.search(text):
        return True  # a caption, a title and its dates, the sheet's note about itself
    if DATA_LINE.search(text) or TIMELINE_ENTRY.match(text):
        return True  # a fact box ("· Composed 1822–1824 ·"), a timeline ("120 BC — …")
    return bool(FIRST_PERSON[lang].search(unquoted) or DATELINE.match(text) or SPEAKER.search(text))


def _last_word(text: str) -> str:
    return fold(re.split(r"[\s'’]", text.strip())[-1])


def standalone(text: str, lang: str, topic: str = "") -> bool:
    """Whether a sentence can be quoted by itself."""
    return (
        len(text) <= MAX_SENTENCE
        and _TERMINAL.search(text) is not None
        and not leans(text, lang, topic)
        and not unquotable(text, lang)
    )


# A stretch of a paragraph to quote, and what joins it to the one before (None: a space).
Part = tuple[int, int] | tuple[int, int, str]


def _reduced(text: str, start: int, end: int, fact: Span) -> list[Part] | None:
    """The parts of a long sentence ``text[start:end]`` that make a sentence of their
    own around ``fact``: an enumeration's introduction and the item holding the fact,
    or the clause holding it when it comes first. None when there is none."""
    sentence = text[start:end]
    colon = ENUMERATION.search(sentence)
    if colon:
        separators = list(re.finditer(r"\s*;\s+(?:et\s+|and\s+)?", sentence))
        starts = [start + colon.end()] + [start + m.end() for m in separators]
        ends = [start + m.start() for m in separators] + [end]
        clauses = any(LIST_CONNECTIVE.match(text, s, e) for s, e in zip(starts, ends, strict=True))
        for item_start, item_end in zip(starts, ends, strict=True):
            if clauses and item_start <= fact.start and fact.end <= item_end:
                return _clause_item(text, item_start, item_end)
            if item_start <= fact.start and fact.end <= item_end:
                item_end = item_start + len(_CLOSING.sub("", text[item_start:item_end]))
                if len(text[item_start:item_end].split()) < 6:
                    return None  # "the Montreal Amendment of 1997": nothing said of it
                return _one_item(text, start, start + colon.start(), item_start, item_end)
        return None
    first = CLAUSE_BREAK.search(sentence)
    if first and fact.end <= start + first.start() and len(sentence[: first.start()]) > 40:
        return [(start, start + first.start())]
    return None


def _clause_item(text: str, item_start: int, item_end: int) -> list[Part] | None:
    """An item of a list of clauses as a sentence of its own, without its connective
    (« enfin, une passerelle … remplace l'ancienne digue » → « Une passerelle …
    remplace… »): no « notamment » joins a clause to the introduction."""
    connective = LIST_CONNECTIVE.match(text, item_start, item_end)
    start = connective.end() if connective else item_start
    end = start + len(_CLOSING.sub("", text[start:item_end]))
    return [(start, end)] if len(text[start:end].split()) >= 6 else None


# "l'intervention de la Russie et la présence russe": two subjects, a plural verb.
_COORDINATED_SUBJECT = re.compile(r"\s(?:et|and)\s+(?:le|la|les|l['’]|the)\b", re.I)


def _one_item(text: str, start: int, colon: int, item_start: int, item_end: int) -> list[Part]:
    """One item of an enumeration as a sentence: the item as the subject of what the
    introduction says of the whole list ("Les faits suivants ont suscité des
    condamnations : l'attaque…" → "L'attaque… a suscité des condamnations"), or the
    introduction, then the item as one of a list (", notamment …", ", including …")."""
    intro_end = start + len(text[start:colon].rstrip())
    subject = _LIST_SUBJECT.match(text, start, intro_end)
    if subject is not None:
        item = text[item_start:item_end]
        plural = re.match(r"(?:les|des|ces|ses|leurs|both)\b", item, re.I)
        plural = plural or _COORDINATED_SUBJECT.search(item)
        french = subject.group("verb") is not None
        verb = (" ont " if plural else " a ") if french else (" have " if plural else " has ")
        rest = subject.end() + len(text[subject.end() : intro_end]) - len(
            text[subject.end() : intro_end].lstrip()
        )
        return [(item_start, item_end), (rest, intro_end, verb)]
    return [(start, intro_end), (item_start, item_end, "")]


def _assemble(text: str, parts: list[Part], lang: str) -> tuple[str, list[Piece]]:
    """The stem text of some parts of one paragraph, joined, ending as a sentence; an
    enumeration's introduction leads to its one item with "notamment" / "including"."""
    pieces: list[Piece] = []
    out = ""
    for part in parts:
        start, end = part[0], part[1]
        if out:
            glue = part[2] if len(part) > 2 else " "
            out += _ONE_OF[lang] if glue == "" else glue
        pieces.append(Piece(len(out), start, end))
        out += text[start:end]
    out = _CLOSING.sub("", out)
    if not _TERMINAL.search(out):
        out += "."
    return out, pieces


def _opening(text: str, parts: list[Part]) -> list[Part]:
    """The parts without a loose opener ("Par ailleurs, ") or a comparing aside
    ("a elle aussi été automatisée" → "a été automatisée")."""
    start, end = parts[0][0], parts[0][1]
    loose = LOOSE_OPENER.match(text[start:end])
    if loose is not None:
        parts = [(start + loose.end(), end), *parts[1:]]
    return _asides_out(text, parts)


def _asides_out(text: str, parts: list[Part]) -> list[Part]:
    """The parts without their comparing asides."""
    return [piece for part in parts for piece in _without_asides(text, part)]


def _without_asides(text: str, part: Part) -> list[Part]:
    """``part`` split around its comparing asides, the first piece keeping its glue."""
    start, end = part[0], part[1]
    pieces: list[Part] = []
    for aside in COMPARING_ASIDE.finditer(text, start, end):
        pieces.append((start, aside.start()) if pieces else (*part[:1], aside.start(), *part[2:]))
        start = aside.end()
    if not pieces:
        return [part]
    return [*pieces, (start, end, " ")]


@dataclass(frozen=True)
class Before:
    """A sentence before the fact's: its text, and its span when it lies in the fact's
    own paragraph (None when it ends the paragraph before)."""

    text: str
    span: Span | None = None


def _units(
    text: str, sentence: Span, fact: Span, cuts: list[int]
) -> list[list[Part]]:
    """Ways to quote the fact's sentence, longest first: whole, ended early at a cut
    after the fact (the main clause is complete there), or reduced to a part. An
    enumeration is quoted one item at a time, never cut after some of its items."""
    start, end = sentence.start, max(sentence.end, fact.end)
    units: list[list[Part]] = [[(start, end)]] if end - start <= MAX_SENTENCE else []
    colon = ENUMERATION.search(text, start, end)
    limit = colon.start() if colon else end
    for cut in sorted(cuts, reverse=True):
        if fact.end <= cut < limit and cut - start <= MAX_SENTENCE and cut - start > 30:
            if not VERB_AFTER_COMMA.match(text, cut):  # the main verb is still to come
                units.append([(start, cut)])
    reduced = _reduced(text, start, end, fact)
    if reduced is not None and colon and len(reduced) > 1 and end - start > SHORT_LIST:
        units.insert(0, reduced)  # one item of a long enumeration reads best on its own
    elif reduced is not None:
        units.append(reduced)
    return units


def build_stems(
    text: str,
    sentences: list[Span],
    fact: Span,
    lang: str,
    before: list[str] | None = None,
    cuts: list[int] | None = None,
    topic: str = "",
) -> list[Stem]:
    """The stems that may quote the fact at ``fact`` in a paragraph's ``text``, best
    (longest) first.

    ``sentences`` are the paragraph's sentences; ``before`` the sentences that
    end the paragraph before (nearest last), which a paragraph's first sentence
    may lean on; ``cuts`` the offsets where a sentence may end early; ``topic`` the
    sheet's title, which a definite description may name.
    """
    index = next((i for i, s in enumerate(sentences) if s.start <= fact.start < s.end), None)
    if index is None:
        return []
    preceding = [Before(t) for t in before or []]
    preceding += [Before(text[s.start : s.end], s) for s in sentences[:index]]
    stems = []
    for parts in _units(text, sentences[index], fact, cuts or []):
        stem = _stem(text, parts, fact, preceding, lang, topic)
        if stem is not None:
            stems.append(stem)
    return stems


def _stem(
    text: str, parts: list[Part], fact: Span, preceding: list[Before], lang: str, topic: str
) -> Stem | None:
    """The stem of ``parts``, alone or after the one or two sentences it leans on, or
    alone with its opening pronoun naming the sheet's work; its evidence is the part
    that holds the fact."""
    holder = next((p for p in parts if p[0] <= fact.start < p[1]), parts[0])
    evidence = Span(holder[0], holder[1])
    alone, pieces = _assemble(text, _opening(text, parts), lang)
    if unquotable(alone, lang):
        return None
    if not leans(alone, lang, topic):
        return Stem(alone[0].upper() + alone[1:], evidence, tuple(pieces))
    for count in (1, 2):
        chosen = preceding[-count:] if len(preceding) >= count else []
        if not chosen or not standalone(chosen[0].text, lang, topic):
            continue
        if any(unquotable(b.text, lang) or len(b.text) > MAX_SENTENCE for b in chosen):
            continue
        if any(b.span is None and CHRONOLOGY_ENTRY.match(b.text) for b in chosen):
            continue  # a chronology's entry is no antecedent for the next paragraph
        outside = [b.text for b in chosen if b.span is None]
        inside: list[Part] = [(b.span.start, b.span.end) for b in chosen if b.span is not None]
        prefix = " ".join(outside) + " " if outside else ""
        quoted = _asides_out(text, inside + parts) if prefix else _opening(text, inside + parts)
        body, pieces = _assemble(text, quoted, lang)
        if len(prefix) + len(body) > MAX_STEM:
            return None
        if inside:
            evidence = Span(inside[0][0], evidence.end)
        shifted = tuple(Piece(p.at + len(prefix), p.start, p.end) for p in pieces)
        whole = prefix + body
        return Stem(whole[0].upper() + whole[1:], evidence, shifted)
    named = name_pronoun(alone, topic, lang)
    if named != alone and not leans(named, lang, topic):
        return Stem(alone[0].upper() + alone[1:], evidence, tuple(pieces), names_work=True)
    return None
