"""Chronology: put 4–5 dated events of a sheet in order.

Every event is a whole sentence of the sheet dated by itself: it states exactly
one date, which is taken out ("En 1994, la Russie a rejoint..." → "La Russie a
rejoint..."). A sentence whose date cannot be taken out cleanly ("depuis 2014"),
that leans on another, or whose wording tells the order ("31e sommet", "à
nouveau", "after") is no event; events share no year, so the order is certain.
"""

from __future__ import annotations

import re

from ..model import Fact, Span
from ..resources import ORDER_GIVEAWAYS, YEAR_ALONE
from .builders import Builder, Draft
from .distractors import stable_rank
from .phrasing import TEXT, readable
from .stems import Stem, leans

MAX_ITEM = 200  # characters: an event is read among four others
# The words that introduce a date and go with it ("en", "le", "in", "on"...).
_LEAD = re.compile(r"(?:^|[\s(,])(?:en|le|au|à la|in|on|at|during)\s+$", re.I)
# A name past the sentence's first word: what makes an event this one and no other.
_NAMED = re.compile(r"(?<=[\s'’(-])[A-ZÀ-Ý]")
# A participle left alone between commas once its date is out.
_BARE_PARTICIPLE = re.compile(r",\s+[^\W\d_]+(?:ée?s?|ed)\s*[,.;]")
# A French participle qualifying a noun right before the date ("un référendum
# organisé"), not one after an auxiliary ("a été créé"). English "-ed" is left alone:
# "collapsed in 2001" is a verb as often as a participle.
_NOUN_PARTICIPLE = re.compile(
    r"\b(?!(?:a|ont|est|sont|été|fut|furent)\b)[^\W\d_]+"
    r"\s+[^\W\d_]+(?:ée?s?|tenue?s?|prévue?s?)\s*$",
    re.I,
)
# The clause that says when, once the date before it is out ("commence, lorsque…").
_WHEN_CLAUSE = re.compile(r"^\s*,\s*(?:lorsque|lorsqu['’]|quand|when|as soon as|dès que)\b", re.I)
_OPENING_LEAD = re.compile(r"^(?:en|le|au|à la|in|on|at|during|début|fin|early|late)?\s*$", re.I)


def _without_date(stem: Stem, fact: Fact) -> str | None:
    """The stem's sentence with its date phrase taken out, or None when the date
    cannot be taken out without changing what the sentence says."""
    where = stem.locate(fact.span)
    if where is None:
        return None
    before, after = stem.text[: where.start], stem.text[where.end :]
    if _OPENING_LEAD.match(before):
        rest = re.sub(r"^\s*[,:]?\s*", "", after)  # "Octobre 1975 : au Bangladesh, ..."
        return rest[:1].upper() + rest[1:] if rest else None
    if before.endswith(", de ") and after.startswith(","):
        return before[: -len(", de ")] + after[1:]  # "L'Acte fondateur, de 1997, a ..."
    lead = _LEAD.search(before)
    if lead is None:
        return None  # "depuis 2014", "jusqu'en 2009": the date is part of the event
    kept = before[: lead.start() + (1 if lead.group()[0] in ",(" else 0)]
    if _NOUN_PARTICIPLE.search(kept):
        return None  # "un référendum organisé le 14 septembre": "organisé" needs its date
    enclosed = kept.rstrip(" (").endswith(",") and after.lstrip(" )").startswith(",")
    head = kept.rstrip(" ,(")
    tail = re.sub(r"^\s*\)", "", after)
    if enclosed:  # "a ouvert, en 2001, un bureau" → "a ouvert un bureau"
        tail = " " + tail.lstrip(" ,")
    elif _WHEN_CLAUSE.match(tail):  # "commence en 1819, lorsque…" → "commence lorsque…"
        tail = " " + tail.lstrip(" ,")
    joined = f"{head}{tail if tail[:1] in ',.;' else ' ' + tail.lstrip()}"
    text = re.sub(r"\s+([,.;])", r"\1", joined)
    if _BARE_PARTICIPLE.search(text):
        return None  # "(CIPRA), fondée, a plaidé": the date completed the participle
    return text


def event_label(
    builder: Builder, fact: Fact, dates_by_paragraph: dict[int, list[Fact]]
) -> tuple[str, Span] | None:
    """A whole sentence stating the event ``fact`` dates, its date taken out, and the
    span of the paragraph it quotes."""
    if fact.data.get("relative") or fact.value.precision == "decade":
        return None
    for stem in builder.stems(fact):
        label = _label(stem, fact, dates_by_paragraph)
        if label is not None:
            return label, stem.evidence
    return None


def _label(stem: Stem, fact: Fact, dates_by_paragraph: dict[int, list[Fact]]) -> str | None:
    """The event of one stem, or None when it is no clean, single-dated sentence."""
    if len(stem.pieces) != 1 or stem.pieces[0].at != 0:
        return None  # an event is one sentence of the sheet, nothing around it
    located = [
        d for d in dates_by_paragraph.get(id(fact.paragraph), []) if stem.locate(d.span) is not None
    ]
    if len(located) != 1 or len(YEAR_ALONE.findall(stem.text)) != 1:
        return None  # one date per event, dated by its own sentence
    if leans(stem.text, fact.paragraph.lang):
        return None  # the sentence needs another to make sense
    label = _without_date(stem, fact)
    if label is None or len(label) > MAX_ITEM or len(label.split()) < 5:
        return None
    if ORDER_GIVEAWAYS[fact.paragraph.lang].search(label):
        return None
    if not _NAMED.search(label):
        return None  # "Le dialogue a été renforcé": which, between whom? Any year fits
    return readable(label)


def _groups(events: list[tuple[Fact, str, Span]]) -> list[list[tuple[Fact, str, Span]]]:
    """Events in chronological order, cut into groups of 4–5."""
    groups = [events[i : i + 5] for i in range(0, len(events), 5)]
    if len(groups) > 1 and len(groups[-1]) < 4:
        tail = groups.pop()
        if len(groups[-1]) + len(tail) <= 5:
            groups[-1] += tail
    return [g for g in groups if 4 <= len(g) <= 5]


def order_questions(builder: Builder, dates: list[Fact]) -> list[Draft]:
    """Chronology items from a sheet's dated events, 4–5 events each."""
    by_paragraph: dict[int, list[Fact]] = {}
    for fact in dates:
        by_paragraph.setdefault(id(fact.paragraph), []).append(fact)
    events: dict[int, tuple[Fact, str, Span]] = {}
    for fact in dates:
        found = event_label(builder, fact, by_paragraph)
        if found is None or fact.value.year in events:
            continue  # one event per year keeps the order certain
        label, evidence = found
        if any(label == other for _, other, _ in events.values()):
            continue
        events[fact.value.year] = (fact, label, evidence)
    drafts = []
    for group in _groups([events[year] for year in sorted(events)]):
        facts = [fact for fact, _, _ in group]
        labels = [label for _, label, _ in group]
        seed = builder.seed(facts[0], "order")
        shuffled = sorted(labels, key=lambda label: stable_rank(seed, label))
        if shuffled == labels:
            shuffled = labels[1:] + labels[:1]
        lang = facts[0].paragraph.lang
        draft = Draft("order", TEXT[lang]["order"], labels, facts[0], "order", shuffled)
        draft.tags = ["date"]
        draft.item_facts = facts
        draft.item_dates = [fact.text for fact in facts]
        draft.item_evidence = [evidence for _, _, evidence in group]
        draft.evidence = group[0][2]
        drafts.append(draft)
    return drafts
