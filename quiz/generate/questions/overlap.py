"""Which questions may sit in the same quiz: none may give another one away.

Two questions conflict when

- the answer of one, or any accepted form of it, stands as whole words (loosely
  compared, as ``normalize.contains_words`` does) in what the learner reads of the
  other: its prompt, the items of an ``order`` question, and the "true statement" of
  a ``true_false`` question (its evidence, shown as the truth once it is answered).
  Only text answers count (``mcq``, ``cloze``, ``short``, ``numeric``): "Vrai" or
  "Faux", or a list of events, is no answer to leak;
  A month asked with its year ("August 1883") is given by its month alone; a false
  statement's truth by the words it changed and their neighbours (« 28 mai 2004 »);
- or both come from one evidence sentence: the same paragraph (the same text, or the
  same anchor: a copy carried into a later revision cites the same paragraph) and
  overlapping evidence spans. The events of an ``order`` question count as its
  evidence too: its feedback shows each event's sentence, and the date in it.

``pick`` keeps, from candidates in a random order, those compatible with every one
kept before, up to a count: a quiz comes out shorter rather than leaky.

Pure: no Flask, no database, no spaCy. It reads any object with the fields of
``Quizzable``: the pipeline's questions through ``of_generated``, the database's
as ``quiz.services.study.drawing`` loads them (a ``QuestionFields`` with an id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Protocol, TypeVar

from ..model import Question
from ..normalize import fold, word_pattern
from ..resources import MONTHS_EN, MONTHS_FR

# The types whose answer is a text the learner could read elsewhere.
TEXT_ANSWER_TYPES = frozenset({"mcq", "cloze", "short", "numeric"})


@dataclass(frozen=True)
class Evidence:
    """A half-open span ``[start, end)`` of one paragraph, known by its anchor and text."""

    anchor: str
    paragraph: str
    start: int
    end: int

    @property
    def text(self) -> str:
        """The words the span covers."""
        return self.paragraph[self.start : self.end]

    def overlaps(self, other: Evidence) -> bool:
        """Whether both spans cover some of one paragraph (same anchor or same text)."""
        same_paragraph = self.anchor == other.anchor or self.paragraph == other.paragraph
        return same_paragraph and self.start < other.end and other.start < self.end


class Quizzable(Protocol):
    """What the compatibility rules read of a question."""

    @property
    def type(self) -> str:
        """``mcq``, ``cloze``, ``true_false``, ``short``, ``numeric`` or ``order``."""

    @property
    def prompt(self) -> str:
        """The question as asked."""

    @property
    def answer(self) -> str | Sequence[str]:
        """The expected answer; the events oldest first for ``order``."""

    @property
    def accepted(self) -> Sequence[str]:
        """Other forms of the answer that count as right."""

    @property
    def choices(self) -> Sequence[str]:
        """The choices shown (the events, shuffled, for ``order``)."""

    @property
    def anchor(self) -> str:
        """The anchor of the paragraph that proves the answer."""

    @property
    def paragraph(self) -> str:
        """That paragraph's text."""

    @property
    def evidence_start(self) -> int:
        """Where the evidence starts in ``paragraph``."""

    @property
    def evidence_end(self) -> int:
        """Where it ends (excluded)."""

    @property
    def item_evidence(self) -> Sequence[Evidence]:
        """``order`` only: where each event is stated; empty otherwise."""


@dataclass(frozen=True)
class QuestionFields:
    """A plain ``Quizzable``: what the rules need, copied out of any question."""

    type: str
    prompt: str
    answer: str | Sequence[str]
    accepted: Sequence[str]
    choices: Sequence[str]
    anchor: str
    paragraph: str
    evidence_start: int
    evidence_end: int
    item_evidence: Sequence[Evidence] = ()


def of_generated(question: Question) -> QuestionFields:
    """The fields of a question of the pipeline."""
    source = question.source
    return QuestionFields(
        type=question.type,
        prompt=question.prompt,
        answer=question.answer,
        accepted=question.accepted,
        choices=question.choices,
        anchor=source.anchor,
        paragraph=source.paragraph,
        evidence_start=source.evidence.start,
        evidence_end=source.evidence.end,
        item_evidence=tuple(
            Evidence(item.anchor, item.paragraph, item.evidence.start, item.evidence.end)
            for item in question.item_sources
        ),
    )


def evidence_of_sources(sources: Iterable[Any]) -> tuple[Evidence, ...]:
    """The spans of source objects of the question schema (``item_sources``); a malformed
    object is left out rather than trusted."""
    found = []
    for source in sources:
        if not isinstance(source, Mapping) or not isinstance(source.get("evidence"), Mapping):
            continue
        anchor, paragraph = source.get("anchor"), source.get("paragraph")
        start, end = source["evidence"].get("start"), source["evidence"].get("end")
        if isinstance(anchor, str) and isinstance(paragraph, str):
            if isinstance(start, int) and isinstance(end, int):
                found.append(Evidence(anchor, paragraph, start, end))
    return tuple(found)


@dataclass(frozen=True)
class _Profile:
    """A question's side of the rules, folded once: a draw compares it many times.

    The comparison is ``contains_words``'s (``fold``, then ``word_pattern``, both
    cached), each text folded once per draw rather than at every comparison.
    """

    answers: tuple[tuple[str, re.Pattern[str]], ...]  # each form folded, and as whole words
    shown: str  # what the learner reads of it, folded, one text a line
    evidence: tuple[Evidence, ...]  # its evidence, then its events'


def _profile(question: Quizzable) -> _Profile:
    """The folded needles, texts and spans of ``question``."""
    main = Evidence(
        question.anchor, question.paragraph, question.evidence_start, question.evidence_end
    )
    forms: set[str] = set()
    if question.type in TEXT_ANSWER_TYPES and isinstance(question.answer, str):
        forms = {fold(form) for form in [question.answer, *question.accepted]} - {""}
        month = _MONTH_AND_YEAR.match(fold(question.answer))
        if month:
            forms.add(month.group(1))
    if question.type == "true_false" and fold(str(question.answer)) in ("faux", "false"):
        forms |= _truths_changed(question.prompt, main.text)
    shown = [question.prompt]
    if question.type == "true_false":
        shown.append(main.text)
    elif question.type == "order":
        items = question.choices or question.answer
        shown.extend([items] if isinstance(items, str) else items)
    # Folded texts hold no line break, so no needle matches across two of them.
    return _Profile(
        tuple((form, word_pattern(form)) for form in sorted(forms)),
        "\n".join(fold(text) for text in shown),
        (main, *question.item_evidence),
    )


_MONTHS = "|".join(sorted({fold(m) for m in [*MONTHS_FR, *MONTHS_EN] if len(m) > 3}, key=len))
_MONTH_AND_YEAR = re.compile(rf"^({_MONTHS})\s+\d{{4}}$")
_QUOTED = re.compile(r"[«“\"](.*)[»”\"]", re.DOTALL)


def _truths_changed(statement: str, truth: str) -> set[str]:
    """The true words a false statement replaced, with a word either side ("28 mai
    2004" for "le 28 juin 2004"): another question printing them tells it is false."""
    quoted = _QUOTED.search(statement)  # "Vrai ou faux ? « … »": the statement itself
    said, true = fold(quoted.group(1) if quoted else statement).split(), fold(truth).split()
    matcher = SequenceMatcher(None, said, true, autojunk=False)
    if matcher.ratio() < 0.7:
        return set()  # not one sentence with a word changed: nothing to tell apart
    found = set()
    for op, _, _, start, end in matcher.get_opcodes():
        if op in ("replace", "insert") and end - start <= 3:
            window = true[max(0, start - 1) : end + 1]
            found.add(" ".join(w.strip(".,;:!?«»\"“”") for w in window))
    return found - {""}


def _gives_away(asked: _Profile, reader: _Profile) -> bool:
    """Whether an answer of ``asked`` stands as whole words in what ``reader`` shows."""
    # The plain substring test first: it rules out nearly every pair, and fast.
    return any(form in reader.shown and words.search(reader.shown) for form, words in asked.answers)


def _fit(one: _Profile, other: _Profile) -> bool:
    """The rules on two profiles."""
    if any(a.overlaps(b) for a in one.evidence for b in other.evidence):
        return False
    return not (_gives_away(one, other) or _gives_away(other, one))


def compatible(one: Quizzable, other: Quizzable) -> bool:
    """Whether ``one`` and ``other`` may sit in the same quiz (see the module's rules)."""
    return _fit(_profile(one), _profile(other))


Q = TypeVar("Q", bound=Quizzable)


def pick(candidates: Iterable[Q], count: int) -> list[Q]:
    """Up to ``count`` of ``candidates``, in their order, each compatible with the ones
    kept before it: the first is always kept, a later one only if it fits them all."""
    kept: list[tuple[Q, _Profile]] = []
    if count <= 0:
        return []
    for candidate in candidates:
        profile = _profile(candidate)
        if all(_fit(profile, other) for _, other in kept):
            kept.append((candidate, profile))
            if len(kept) == count:
                break
    return [candidate for candidate, _ in kept]
