"""What a party did to a treaty: signed, ratified, suspended, violated, withdrew...

An action verb is tied to the nearest treaty named in its sentence, or, for
"ce traité" / "le retrait russe", to the treaty named just before. The party
is the nearest place or organisation named before the verb.
"""

from __future__ import annotations

import re

from ..model import Fact, Span
from ..resources import TREATY_ACTIONS
from .context import ParagraphContext

_ANAPHORA = re.compile(
    r"\b(?:ce|cet|cette|ledit|ladite|du dit)\s+(?:traité|accord|texte|convention|protocole)\b|"
    r"\b(?:this|that|the)\s+(?:treaty|agreement|convention|protocol)\b|\bretrait\b|"
    r"^\s*(?:It|Il|Elle)\b",
    re.I,
)
_ARTICLE = re.compile(r"(?:\b(?:la|le|les|the)\s+|\bl')$", re.I)


def _party(
    ctx: ParagraphContext, sentence: Span, verb_start: int, actors: list[Fact]
) -> tuple[str, str] | None:
    """The nearest actor named before the verb, with its article, and its gender/number."""
    before = [a for a in actors if sentence.start <= a.span.start and a.span.end <= verb_start]
    if not before:
        return _subject_before(ctx, sentence, verb_start)
    actor = before[-1]
    article = _ARTICLE.search(
        ctx.text[max(sentence.start, actor.span.start - 6) : actor.span.start]
    )
    start = actor.span.start - (len(article.group()) if article else 0)
    text = ctx.paragraph.text[start : actor.span.end]
    lead = article.group().strip().lower() if article else ""
    if lead in ("les",):
        gender = "plural"
    elif lead == "le":
        gender = "masc"
    elif lead == "la":
        gender = "fem"
    else:
        gender = "fem" if actor.text.endswith("e") else "masc"
    return text, gender


_SUBJECT = re.compile(
    r"(?P<name>(?:[A-ZÀ-Ý][\w-]+\s+){0,2}[A-ZÀ-Ý][\w-]+)\s+(?:(?:has|have|had|a|ont|avait)\s+)?$"
)


def _subject_before(ctx: ParagraphContext, sentence: Span, verb: int) -> tuple[str, str] | None:
    """A capitalised name right before the verb ("In 2007 Russia suspended"), when no
    place or organisation was recognised there."""
    match = _SUBJECT.search(ctx.text[sentence.start : verb])
    if not match or match.group("name").split()[0].lower() in (
        "the",
        "le",
        "la",
        "les",
        "in",
        "en",
    ):
        return None
    name = match.group("name")
    return name, "fem" if name.endswith("e") else "masc"


def _nearest(treaties: list[Fact], position: int) -> Fact | None:
    return min(treaties, key=lambda t: abs(t.span.start - position), default=None)


_PASSIVE = re.compile(r"\b(?:été|was|were|been|is|are|be)\s+$", re.I)


def _date_of(
    ctx: ParagraphContext, dates: list[Fact], verb_start: int, verb_end: int
) -> Fact | None:
    """The date of an action: the first after the verb in its clause ("signé en novembre
    2003, est entré en vigueur en mai 2004"), else the last before it."""
    after = [
        d
        for d in dates
        if d.span.start >= verb_end and not re.search(r"[,;]", ctx.text[verb_end : d.span.start])
    ]
    if after:
        return min(after, key=lambda d: d.span.start)
    before = [d for d in dates if d.span.end <= verb_start]
    return max(before, key=lambda d: d.span.start) if before else _nearest(dates, verb_start)


def _object_of(ctx: ParagraphContext, treaties: list[Fact], verb: int) -> Fact | None:
    """The treaty a verb acts on: the first named after it in the same clause, else the
    nearest named before it ("qu'elle ne respecte plus le Traité...", "X a été signé")."""
    after = [t for t in treaties if t.span.start > verb]
    if after:
        first = min(after, key=lambda t: t.span.start)
        if not any(c in ctx.text[verb : first.span.start] for c in ",;"):
            return first
    before = [t for t in treaties if t.span.start <= verb]
    return max(before, key=lambda t: t.span.start) if before else _nearest(treaties, verb)


def find_treaty_actions(
    ctx: ParagraphContext, institutions: list[Fact], actors: list[Fact], dates: list[Fact]
) -> list[Fact]:
    """Treaty facts: the treaty named, the action, the party and the date when stated."""
    treaties = [
        f for f in institutions if f.kind == "institution" and f.data.get("category") == "treaty"
    ]
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for sentence in ctx.sentences:
        text = ctx.text[sentence.start : sentence.end]
        actions = [(a, m) for a, p in TREATY_ACTIONS.items() for m in p.finditer(text)]
        if any(a == "withdrew" for a, _ in actions):
            actions = [(a, m) for a, m in actions if a != "entered_into_force"]
        for action, match in actions:
            verb = sentence.start + match.start()
            inside = [t for t in treaties if sentence.start <= t.span.start < sentence.end]
            treaty = _object_of(ctx, inside, verb)
            if treaty is None and _ANAPHORA.search(text):
                earlier = [t for t in treaties if t.span.start < sentence.start]
                treaty = earlier[-1] if earlier else None
            if treaty is None or (treaty.text, action) in seen:
                continue
            seen.add((treaty.text, action))
            passive = _PASSIVE.search(ctx.text[sentence.start : verb]) is not None
            others = [a for a in actors if a.span != treaty.span]
            party = None if passive else _party(ctx, sentence, verb, others)
            date = _date_of(
                ctx,
                [
                    d
                    for d in dates
                    if sentence.start <= d.span.start < sentence.end and not d.data.get("relative")
                ],
                verb,
                sentence.start + match.end(),
            )
            evidence = Span(
                min(treaty.evidence.start, sentence.start), max(treaty.evidence.end, sentence.end)
            )
            facts.append(
                Fact(
                    "treaty",
                    treaty.text,
                    treaty.span,
                    evidence,
                    ctx.paragraph,
                    treaty.text,
                    {
                        "action": action,
                        "verb": match.group(),
                        "party": party[0] if party else None,
                        "party_gender": party[1] if party else None,
                        "date": date.text if date else None,
                        "date_precision": date.value.precision if date else None,
                        "short": treaty.data.get("short", False),
                    },
                )
            )
    return facts
