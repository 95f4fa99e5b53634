"""Questions from facts: build drafts per fact, add chronologies, check, identify."""

from __future__ import annotations

import hashlib
from collections import Counter

from ..model import Fact, GenerationResult, Question, SheetResult, Source, Span
from ..normalize import fold
from ..parses import Parses
from .builders import Builder, Draft, located_cities
from .checks import problems
from .distractors import Pools
from .grammar import Lexicon
from .kinds import BUILDERS
from .order import order_questions
from .phrasing import TEXT

BASE_DIFFICULTY = {
    "true_false": 0.25,
    "mcq": 0.4,
    "cloze": 0.6,
    "short": 0.55,
    "numeric": 0.7,
    "order": 0.65,
}


def _sheet_key(sheet: SheetResult) -> str:
    return sheet.source.slug  # every revision of a sheet is one source of distractors


def _difficulty(draft: Draft, mentions: Counter[str]) -> float:
    """Harder for free answers, long answers and facts the sheet states only once."""
    score = BASE_DIFFICULTY[draft.type]
    answer = draft.answer if isinstance(draft.answer, str) else ""
    score += min(len(answer), 60) / 400
    score -= 0.05 * min(mentions[fold(draft.fact.text)] - 1, 3)
    return round(min(max(score, 0.05), 0.95), 2)


def _explanation(sheet: SheetResult, draft: Draft) -> str:
    """The answer, then the sheet's own words that prove it; for an order question,
    each event with its date."""
    fact = draft.fact
    words = TEXT[fact.paragraph.lang]
    if draft.type == "order":
        pairs = zip(draft.item_dates, draft.answer, strict=True)
        joined = " ; ".join(f"{date} : {label.rstrip('.')}" for date, label in pairs)
        return words["answer"].format(answer=joined)
    answer = ", ".join(draft.answer) if isinstance(draft.answer, list) else draft.answer
    section = fact.paragraph.section
    where = words["section"].format(section=section) if section else ""
    span = draft.evidence or fact.evidence
    evidence = " ".join(fact.paragraph.text[span.start : span.end].split())
    return (
        words["answer"].format(answer=answer)
        + " "
        + words["explain"].format(title=sheet.title, section=where, evidence=evidence)
    )


def _source(
    sheet: SheetResult, fact: Fact, evidence: Span | None = None, date: str | None = None
) -> Source:
    return Source(
        sheet.source.slug,
        sheet.source.revision,
        fact.paragraph.anchor,
        fact.paragraph.text,
        evidence or fact.evidence,
        date,
    )


# At most this many questions quote one sentence, and one of them a true/false item:
# a sentence blanked eight times over (a list of countries) is not eight facts.
PER_SENTENCE = 5
# Which facts a crowded sentence asks first: what happened when, then how much, then
# who and what, then where; a statement to judge comes last.
_KIND_RANK = {"date": 0, "treaty": 0, "number": 1, "acronym": 2, "institution": 2,
              "person": 3, "place": 4}  # fmt: skip


def _rank(draft: Draft) -> int:
    return 9 if draft.type == "true_false" else _KIND_RANK.get(draft.fact.kind, 5)


def _per_sentence(drafts: list[Draft]) -> list[Draft]:
    """Drafts with at most PER_SENTENCE per evidence sentence: one question per fact
    first, by kind, then a second form of a fact, then one true/false item if room is
    left, on a fact not asked otherwise if there is one. The original order is kept."""
    groups: dict[tuple[str, Span], list[Draft]] = {}
    for draft in drafts:
        if draft.type != "order":
            key = (draft.fact.paragraph.anchor, draft.evidence or draft.fact.evidence)
            groups.setdefault(key, []).append(draft)
    covered = {(d.fact.text, d.fact.span) for d in drafts if d.type != "true_false"}
    kept: set[int] = set()
    for group in groups.values():
        firsts: list[Draft] = []
        seconds: list[Draft] = []
        asked: set[tuple[str, Span]] = set()
        for draft in sorted(group, key=_rank):
            key = (draft.fact.text, draft.fact.span)
            (seconds if key in asked else firsts).append(draft)
            asked.add(key)
        chosen = [d for d in firsts + seconds if d.type != "true_false"][:PER_SENTENCE]
        statements = [d for d in firsts + seconds if d.type == "true_false"]
        # A statement on a fact nothing else asks (a treaty) before one on a date asked.
        statement = next(
            (d for d in statements if (d.fact.text, d.fact.span) not in covered),
            statements[0] if statements else None,
        )
        if statement is not None and len(chosen) < PER_SENTENCE:
            chosen.append(statement)
        kept.update(id(d) for d in chosen)
    return [d for d in drafts if d.type == "order" or id(d) in kept]


def _merged(drafts: list[Draft]) -> list[Draft]:
    """One draft per (type, prompt, answer): a statement asked for its date and for
    its treaty is one question carrying both tags."""
    kept: dict[tuple[str, str], Draft] = {}
    for draft in drafts:
        key = (draft.type, fold(draft.prompt) + "|" + fold(str(draft.answer)))
        if key in kept:
            kept[key].tags.extend(t for t in draft.tags if t not in kept[key].tags)
        else:
            kept[key] = draft
    return list(kept.values())


def _assemble(sheet: SheetResult, drafts: list[Draft], mentions: Counter[str]) -> list[Question]:
    questions: list[Question] = []
    seen_ids: set[str] = set()
    for draft in _per_sentence(_merged(drafts)):
        fact = draft.fact
        basis = "|".join(
            [
                sheet.source.slug,
                fact.paragraph.anchor,
                draft.type,
                draft.variant,
                fact.kind,
                fact.text,
            ]
        )
        qid = "q-" + hashlib.sha1(basis.encode()).hexdigest()[:12]
        while qid in seen_ids:
            qid = "q-" + hashlib.sha1((qid + basis).encode()).hexdigest()[:12]
        question = Question(
            id=qid,
            type=draft.type,
            prompt=draft.prompt,
            answer=draft.answer,
            source=_source(sheet, draft.fact, draft.evidence),
            lang=draft.fact.paragraph.lang,
            choices=draft.choices,
            accepted=draft.accepted,
            tags=draft.tags,
            difficulty=_difficulty(draft, mentions),
            explanation=_explanation(sheet, draft),
            item_sources=[
                _source(sheet, f, evidence, date)
                for f, evidence, date in zip(
                    draft.item_facts, draft.item_evidence, draft.item_dates, strict=True
                )
            ],
        )
        if not problems(question):
            seen_ids.add(qid)
            questions.append(question)
    return questions


def _sheet_drafts(builder: Builder) -> list[Draft]:
    drafts: list[Draft] = []
    asked_acronyms: set[str] = set()
    acronym_paragraphs: set[tuple[str, str]] = set()
    asked: set[tuple[str, str, str]] = set()
    for fact in builder.sheet.facts:
        key = (fact.kind, fold(fact.text), fact.paragraph.anchor)
        if fact.kind in ("institution", "person", "place") and key in asked:
            continue
        asked.add(key)
        if fact.kind == "acronym":
            if fact.text in asked_acronyms:
                continue
            asked_acronyms.add(fact.text)
            acronym_paragraphs.add((fact.paragraph.anchor, fold(str(fact.value))))
        if (
            fact.kind == "institution"
            and (fact.paragraph.anchor, fold(fact.text)) in acronym_paragraphs
        ):
            continue
        drafts.extend(BUILDERS[fact.kind](builder, fact))
    dates = [f for f in builder.sheet.facts if f.kind == "date"]
    return drafts + order_questions(builder, dates)


def _aliases(sheet: SheetResult) -> dict[str, str]:
    """Folded name → acronym and folded acronym → name, as the sheet defines them."""
    aliases: dict[str, str] = {}
    for fact in sheet.facts:
        if fact.kind == "acronym":
            aliases.setdefault(fold(str(fact.value)), fact.text)
            aliases.setdefault(fold(fact.text), str(fact.value))
    return aliases


def build_questions(sheets: list[SheetResult], parses: Parses) -> GenerationResult:
    """Questions for every sheet, distractors drawn from all of them."""
    pools = Pools.from_facts((_sheet_key(s), f) for s in sheets for f in s.facts)
    lexicon = Lexicon()
    lexicon.observe(p.text for s in sheets for p in s.paragraphs if p.quizzable)
    cities = located_cities(p.text for s in sheets for p in s.paragraphs if p.quizzable)
    result = []
    for sheet in sheets:
        mentions = Counter(fold(f.text) for f in sheet.facts)
        pronouns = {
            f.text: "elle" if f.data.get("gender") == "fem" else "il"
            for f in sheet.facts
            if f.kind == "acronym"
        }
        places = Counter(fold(f.text) for f in sheet.facts if f.kind == "place")
        builder = Builder(sheet, pools, parses, lexicon, places, pronouns, _aliases(sheet), cities)
        # Acronym facts come right after their name in text order: put them first per span
        # so that the acronym questions claim the paragraph before the plain name cloze.
        builder.sheet.facts.sort(
            key=lambda f: (f.paragraph.index, f.span.start, f.kind != "acronym")
        )
        questions = _assemble(sheet, _sheet_drafts(builder), mentions)
        result.append(
            SheetResult(
                sheet.source, sheet.title, sheet.lang, sheet.paragraphs, sheet.facts, questions
            )
        )
    return GenerationResult(result)
