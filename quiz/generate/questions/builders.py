"""What every question builder shares: drafts, the per-sheet context, and the
two forms most questions take (a sentence to complete, a statement to judge)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import Fact, QuestionType, SheetResult, Span
from ..normalize import contains_words, word_pattern
from .distractors import (
    Pools,
    stable_rank,
)
from .phrasing import (
    BLANK,
    TEXT,
    blank_out,
    excerpt,
    opens_on_pronoun,
    readable,
)


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


@dataclass
class Builder:
    """Everything the builders of one sheet share."""

    sheet: SheetResult
    pools: Pools
    docs: dict[int, Any]
    place_mentions: Counter[str] = field(default_factory=Counter)
    # "ESA" → "elle": the tagger knows no gender for acronyms, the sheet does.
    pronouns: dict[str, str] = field(default_factory=dict)

    def seed(self, fact: Fact, variant: str = "") -> str:
        """A per-fact seed for stable, varied choices."""
        return f"{self.sheet.source.slug}|{fact.paragraph.anchor}|{fact.kind}|{fact.text}|{variant}"

    def flip(self, fact: Fact, variant: str) -> bool:
        """A stable coin toss for this fact (true/false items, which facts get one)."""
        return int(hashlib.sha1(self.seed(fact, variant).encode()).hexdigest()[:8], 16) % 2 == 0


def evidence_text(fact: Fact) -> str:
    """The sentence (or sentences) that prove a fact."""
    return fact.paragraph.text[fact.evidence.start : fact.evidence.end]


def choices_for(builder: Builder, fact: Fact, answer: str, distractors: list[str]) -> list[str]:
    """Answer and distractors in a stable shuffled order."""
    seed = builder.seed(fact, "choices")
    return sorted([answer, *distractors], key=lambda c: stable_rank(seed, c))


_PREVIOUS_SENTENCE_END = re.compile(r"[.!?…]\s+(?=\S)")


def quoted_passage(builder: Builder, fact: Fact) -> tuple[str, Span, int]:
    """The sentence to quote, its span, and where the paragraph text starts in it.

    A sentence opening on a pronoun ("Elle est entrée en vigueur...") is quoted
    with the sentence before it, or, first in its paragraph, tagged with the
    sheet's title so the learner knows what it is about.
    """
    paragraph = fact.paragraph.text
    span = fact.evidence
    if not opens_on_pronoun(paragraph[span.start : span.end]):
        return paragraph[span.start : span.end], span, 0
    before = paragraph[: span.start]
    if before.strip():
        ends = list(_PREVIOUS_SENTENCE_END.finditer(before.rstrip()))
        extended = Span(ends[-1].end() if ends else 0, span.end)
        return paragraph[extended.start : extended.end], extended, 0
    tag = f"[{builder.sheet.title}] "
    return tag + paragraph[span.start : span.end], span, len(tag)


def substitute(builder: Builder, fact: Fact, replacement: str) -> tuple[str, Span]:
    """The quoted passage with the fact replaced: at its own place for a date or a
    number (the same year may stand in another date), everywhere for a name."""
    passage, evidence, shift = quoted_passage(builder, fact)
    at = fact.span.start - evidence.start + shift
    if fact.kind in ("date", "number") and passage[at : at + len(fact.text)] == fact.text:
        return passage[:at] + replacement + passage[at + len(fact.text) :], evidence
    return word_pattern(fact.text, re.I).sub(lambda _: replacement, passage), evidence


def cloze(
    builder: Builder,
    fact: Fact,
    answer: str,
    tags: list[str],
    accepted: list[str],
    distractors: list[str] | None = None,
    qtype: QuestionType = "cloze",
) -> Draft | None:
    """A sentence with the answer blanked: free answer, or choices when given."""
    lang = fact.paragraph.lang
    if answer == fact.text:
        passage, evidence = substitute(builder, fact, BLANK)
    else:
        raw, evidence, _ = quoted_passage(builder, fact)
        passage = blank_out(raw, answer)
    sentence = readable(excerpt(passage, BLANK, limit=300))
    if BLANK not in sentence or len(sentence.replace(BLANK, "").split()) < 5:
        return None
    leaked = [a for a in accepted if a != answer and contains_words(sentence, a)]
    if fact.kind == "date" and leaked:
        return None  # "19 May. 2015" blanked, "19 mai 2015" still there: no question
    accepted = [a for a in accepted if a not in leaked]
    if distractors is not None and len(distractors) >= 2:
        prompt = TEXT[lang]["cloze_choice"].format(s=sentence)
        choices = choices_for(builder, fact, answer, distractors)
        return Draft(
            "mcq", prompt, answer, fact, "cloze-mcq", choices, accepted, tags, evidence=evidence
        )
    key = "number" if qtype == "numeric" else "cloze"
    prompt = TEXT[lang][key].format(s=sentence)
    return Draft(qtype, prompt, answer, fact, qtype, [], accepted, tags, evidence=evidence)


def true_false(
    builder: Builder,
    fact: Fact,
    wrong: str | None,
    truth: str | None = None,
    tags: list[str] | None = None,
) -> Draft | None:
    """'Vrai ou faux ?' on the evidence sentence, with the fact swapped when false."""
    lang = fact.paragraph.lang
    is_true = wrong is None or builder.flip(fact, "tf")
    shown = truth if truth and is_true else (fact.text if is_true else wrong)
    passage, evidence = substitute(builder, fact, shown or fact.text)
    statement = excerpt(passage, shown or fact.text, limit=300)
    if not is_true and contains_words(statement, fact.text) and fact.kind not in ("date", "number"):
        return None
    labels = [TEXT[lang]["true"], TEXT[lang]["false"]]
    answer = labels[0] if is_true else labels[1]
    prompt = TEXT[lang]["true_false"].format(s=readable(statement))
    return Draft(
        "true_false", prompt, answer, fact, "tf", labels, [], tags or [fact.kind], evidence=evidence
    )
