"""What a learner sees once a question is answered: the verdict and the sheet's proof.

Every answer cites the paragraph (and the words in it) that prove the expected
answer. An ``order`` question also cites each of its events: its
``item_sources`` (one source object per event, in answer order) say where each
event is stated and, when the generator read it, its date as the sheet writes it.
Both the web pages (``attempts``) and the API's hot path (``api_answers``) build
their ``Feedback`` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...models import Question
from ..library.sheet_pages import evidence_url
from .checking import normalize_text


@dataclass(frozen=True)
class Source:
    """Where the sheet proves an answer: a span of one paragraph, and a link to it."""

    sheet: str  # slug
    sheet_title: str
    revision: str  # label
    anchor: str
    paragraph: str  # the paragraph's full text
    lang: str
    evidence_start: int  # half-open span [start, end) of ``paragraph``
    evidence_end: int
    url: str  # the sheet page with the evidence highlighted (a path on this site)


@dataclass(frozen=True)
class QuestionFacts:
    """What the answer path reads of a question, fetched as plain columns (no ORM object)."""

    id: int
    type: str
    answer: Any
    accepted: list[str]
    choices: list[str]
    lang: str
    explanation: str


@dataclass(frozen=True)
class Event:
    """One event of an ``order`` question, in its right place, with its date and source.

    ``date`` (as the sheet writes it) and ``source`` are None when unknown: an
    event an instructor wrote, or a question imported without them.
    """

    text: str
    date: str | None
    source: Source | None


@dataclass(frozen=True)
class Feedback:
    """What a learner sees once a question is answered."""

    correct: bool
    given: Any
    expected: Any
    explanation: str
    source: Source
    question: Question | QuestionFacts
    position: int  # 1-based, in the attempt's order
    total: int
    events: tuple[Event, ...] = ()  # ``order`` questions: the events oldest first

    @property
    def events_cited(self) -> bool:
        """Whether some event has a date or a source to show (not just its text)."""
        return any(event.date or event.source for event in self.events)

    @property
    def explanation_shown(self) -> str:
        """The explanation, unless the page already says all of it (see ``explanation_to_show``)."""
        source = self.source
        evidence = source.paragraph[source.evidence_start : source.evidence_end]
        return explanation_to_show(self.explanation, evidence, self.events)

    @property
    def source_among_events(self) -> bool:
        """Whether one event already cites the main source (then it is shown once)."""
        main = (self.source.anchor, self.source.evidence_start, self.source.evidence_end)
        return any(
            (event.source.anchor, event.source.evidence_start, event.source.evidence_end) == main
            for event in self.events
            if event.source is not None
        )


def explanation_to_show(explanation: str, evidence: str, events: Sequence[Event] = ()) -> str:
    """``explanation``, or "" when the feedback already shows everything it says.

    The generator writes "Answer: X. From the sheet "T", section "S": "<evidence>"",
    or for an order question "Answer: <date>: <event>; ...": the expected answer,
    the source (the evidence highlighted in its paragraph, with the sheet's title
    and a link) and the dated events already say it, so printing it too showed
    the evidence sentence twice. An explanation of an instructor's own, which
    neither quotes the evidence nor lists the dated events, is kept.
    """
    said = _comparable(explanation)
    if not said:
        return ""
    if _comparable(evidence) and _comparable(evidence) in said:
        return ""
    if events and all(
        event.date
        and _comparable(event.date) in said
        and _comparable(event.text.rstrip(".")) in said
        for event in events
    ):
        return ""
    return explanation


def accepted_to_show(answer: Any, accepted: Sequence[str]) -> list[str]:
    """The accepted forms a reader would not take for the answer itself, once each.

    "100000" for "100 000" only repeats it: the same text, as the checker
    compares texts (no case, accents or punctuation), spaces aside.
    """
    seen = {_answer_form(str(answer))}
    shown = []
    for form in accepted:
        key = _answer_form(form)
        if key and key not in seen:
            seen.add(key)
            shown.append(form)
    return shown


def _comparable(text: str) -> str:
    """``text`` single-spaced and case-folded, to find one text inside another."""
    return " ".join(text.split()).casefold()


def _answer_form(text: str) -> str:
    """``text`` as the answer checker compares it, without spaces ("100 000" is "100000")."""
    return normalize_text(text).replace(" ", "")


def cite(
    sheet: tuple[str, str, str], paragraph: tuple[str, str, str], evidence: tuple[int, int]
) -> Source:
    """The source of a feedback: (slug, title, revision label), (anchor, text, lang),
    (evidence start, end), with the link to the sheet page that highlights it."""
    (slug, title, label), (anchor, text, lang), (start, end) = sheet, paragraph, evidence
    url = evidence_url(slug, label, anchor, start, end)
    return Source(slug, title, label, anchor, text, lang, start, end, url)


def order_events(
    question_type: str, answer: Any, item_sources: Any, main: Source
) -> tuple[Event, ...]:
    """The events of an ``order`` question oldest first, each with its date and source.

    ``item_sources`` come from the database as stored: one that is missing or
    malformed gives an event without a source rather than an error. Other
    question types have no events.
    """
    if question_type != "order" or not isinstance(answer, list):
        return ()
    sources: Sequence[Any] = item_sources if isinstance(item_sources, list) else []
    if len(sources) != len(answer):
        sources = [None] * len(answer)
    return tuple(
        Event(str(text), _date(raw), _item_source(raw, main))
        for text, raw in zip(answer, sources, strict=True)
    )


def _date(raw: Any) -> str | None:
    """The ``date`` of an item source, if it holds a non-blank string."""
    date = raw.get("date") if isinstance(raw, dict) else None
    return date.strip() if isinstance(date, str) and date.strip() else None


def _item_source(raw: Any, main: Source) -> Source | None:
    """An item source object as a ``Source``; None when it does not hold together."""
    if not isinstance(raw, dict) or not isinstance(raw.get("evidence"), dict):
        return None
    slug, label, anchor = raw.get("sheet"), raw.get("revision"), raw.get("anchor")
    text, span = raw.get("paragraph"), raw["evidence"]
    start, end = span.get("start"), span.get("end")
    if not all(isinstance(value, str) and value for value in (slug, label, anchor)):
        return None
    if not isinstance(text, str) or type(start) is not int or type(end) is not int:
        return None
    if not 0 <= start < end <= len(text):
        return None
    # An order question's events come from its own sheet; another slug keeps its name.
    title = main.sheet_title if slug == main.sheet else str(slug)
    return cite((str(slug), title, str(label)), (str(anchor), text, main.lang), (start, end))
