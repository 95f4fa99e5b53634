"""Chronology: put 4–5 dated events of a sheet in order.

Events are labelled by their clause without the date ("la Russie a rejoint
le programme du Partenariat pour la paix"); an event whose label still names
another year, or repeats another label, is left out so the order is unambiguous.
"""

from __future__ import annotations

import re

from ..model import Fact
from .builders import Builder, Draft
from .distractors import stable_rank
from .phrasing import TEXT, french_date_question, opens_on_pronoun, readable

_YEARISH = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_LEAD = r"(?:,\s*)?(?:\(?\s*\b(?:en|le|au|à la|depuis|dès|de|in|on|at|since|by)\s+)?"


def event_label(fact: Fact, builder: Builder) -> str | None:
    """A short description of the event a date fact dates, without the date."""
    sentence = fact.paragraph.text[fact.evidence.start : fact.evidence.end]
    direct = None
    if fact.paragraph.lang == "fr":
        direct = french_date_question(fact, builder.docs.get(id(fact.paragraph)), builder.pronouns)
    if direct:
        label = direct[1]
    else:
        pattern = re.compile(_LEAD + re.escape(fact.text) + r"\)?\s*,?\s*", re.I)
        if not re.search(r"\w", sentence[fact.span.end - fact.evidence.start :]):
            return None  # the date ends the sentence: without it the clause is cut short
        label = re.sub(r"\s+([,.;:])", r"\1", pattern.sub(" ", sentence, count=1))
    label = readable(label).strip(" ,;:.")
    if len(label) > 120:
        label = label[:117].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if len(label.split()) < 5 or _YEARISH.search(label) or fact.text in label:
        return None
    if opens_on_pronoun(label):
        return None
    return label[0].upper() + label[1:]


def order_questions(builder: Builder, dates: list[Fact]) -> list[Draft]:
    """Chronology items from a sheet's dated events, 4–5 events each."""
    events: dict[int, tuple[Fact, str]] = {}
    for fact in dates:
        if fact.value.precision == "decade" or fact.value.year in events:
            continue  # one event per year keeps the order unambiguous
        label = event_label(fact, builder)
        if label and all(label != other for _, other in events.values()):
            events[fact.value.year] = (fact, label)
    ordered = [events[year] for year in sorted(events)]
    groups = [ordered[i : i + 5] for i in range(0, len(ordered), 5)]
    if len(groups) > 1 and len(groups[-1]) < 4:
        tail = groups.pop()
        groups[-1] = groups[-1] + tail if len(groups[-1]) + len(tail) <= 5 else groups[-1]
    drafts = []
    for group in groups:
        if not 4 <= len(group) <= 5:
            continue
        facts = [fact for fact, _ in group]
        labels = [label for _, label in group]
        seed = builder.seed(facts[0], "order")
        shuffled = sorted(labels, key=lambda label: stable_rank(seed, label))
        if shuffled == labels:
            shuffled = labels[1:] + labels[:1]
        lang = facts[0].paragraph.lang
        drafts.append(
            Draft(
                "order",
                TEXT[lang]["order"],
                labels,
                facts[0],
                "order",
                shuffled,
                [],
                ["date"],
                item_facts=facts,
            )
        )
    return drafts
