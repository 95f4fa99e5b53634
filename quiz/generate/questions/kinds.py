"""Question builders, one small function per kind of fact.

Each returns drafts; ``assemble`` turns drafts into questions with stable ids
and provenance. A builder that cannot word a question well returns nothing
for that form and lets a simpler form (a cloze item) carry the fact.
"""

from __future__ import annotations

from typing import Any

from ..model import Fact
from ..normalize import contains_words, fold, strip_accents
from .builders import Builder, Draft, choices_for, cloze, evidence_text, true_false
from .distractors import date_candidates, number_candidates, pick, text_candidates
from .phrasing import (
    PRONOUNS,
    TEXT,
    TREATY_PASSIVE,
    TREATY_QUESTIONS,
    date_phrase,
    format_date,
    french_date_question,
    with_article,
)


def date_accepted(fact: Fact) -> list[str]:
    """Ways of writing the date a learner may type."""
    variants = [fact.text, format_date(fact.value, fact.paragraph.lang), strip_accents(fact.text)]
    if fact.value.precision == "day":
        variants.append(f"{fact.value.day:02d}/{fact.value.month:02d}/{fact.value.year}")
    return list(dict.fromkeys(v for v in variants if v))


def date_questions(b: Builder, fact: Fact) -> list[Draft]:
    """A direct question ('En quelle année ... ?') when the parse allows, else a cloze; some T/F."""
    lang = fact.paragraph.lang
    drafts: list[Draft | None] = []
    candidates = date_candidates(fact, b.pools, lang, b.seed(fact))
    if fact.data.get("relative"):
        resolved = format_date(fact.value, lang)
        truth = ("En " if lang == "fr" else "In ") + resolved
        wrong = pick(resolved, evidence_text(fact), b.seed(fact), candidates, 1)
        false = ("En " if lang == "fr" else "In ") + wrong[0] if wrong else None
        return [d for d in [true_false(b, fact, false, truth, ["date"])] if d]
    distractors = pick(fact.text, evidence_text(fact), b.seed(fact), candidates)
    doc = b.docs.get(id(fact.paragraph))
    direct = french_date_question(fact, doc, b.pronouns) if lang == "fr" else None
    if direct and len(distractors) >= 2:
        drafts.append(
            Draft(
                "mcq",
                direct[0],
                fact.text,
                fact,
                "direct",
                choices_for(b, fact, fact.text, distractors),
                date_accepted(fact),
                ["date"],
            )
        )
    else:
        drafts.append(cloze(b, fact, fact.text, ["date"], date_accepted(fact)))
    if b.flip(fact, "tf-date") and distractors:
        drafts.append(true_false(b, fact, distractors[0], tags=["date"]))
    return [d for d in drafts if d]


def number_questions(b: Builder, fact: Fact) -> list[Draft]:
    """A numeric cloze; some numbers also get a true/false item."""
    value = fact.value
    accepted = list(
        dict.fromkeys(
            [
                fact.text,
                fact.text.replace(" ", "").replace("\u202f", ""),
                str(int(value)) if value == int(value) else str(value),
            ]
        )
    )
    drafts = [cloze(b, fact, fact.text, ["number"], accepted, qtype="numeric")]
    if b.flip(fact, "tf-number"):
        wrong = pick(
            fact.text,
            evidence_text(fact),
            b.seed(fact),
            number_candidates(fact, b.pools, fact.paragraph.lang),
            1,
        )
        if wrong:
            drafts.append(true_false(b, fact, wrong[0], tags=["number"]))
    return [d for d in drafts if d]


def institution_questions(b: Builder, fact: Fact) -> list[Draft]:
    """A cloze on the name, with choices of the same category when the corpus has them."""
    if fact.data.get("short"):
        return []  # "la Convention": too vague to ask about by itself
    category = fact.data.get("category")
    keys = [f"institution:{category}", "institution"]
    candidates = text_candidates(fact, b.pools, keys, b.seed(fact))
    distractors = pick(fact.text, evidence_text(fact), b.seed(fact), candidates)
    accepted = [fact.text] + ([fact.data["acronym"]] if fact.data.get("acronym") else [])
    tags = ["institution"] + (["treaty"] if category == "treaty" else [])
    draft = cloze(b, fact, fact.text, tags, accepted, distractors)
    return [draft] if draft else []


def acronym_questions(b: Builder, fact: Fact) -> list[Draft]:
    """'Quel est le sigle du ... ?' (short answer) and 'Que désigne le sigle ... ?' (choices)."""
    lang = fact.paragraph.lang
    name = str(fact.value)
    of_name = with_article(name, fact.data, lang, "de" if lang == "fr" else "of")
    drafts: list[Draft | None] = [
        Draft(
            "short",
            TEXT[lang]["acronym_of"].format(of_name=of_name),
            fact.text,
            fact,
            "acronym-of",
            [],
            [fact.text],
            ["acronym", "institution"],
        )
    ]
    keys = [f"institution:{fact.data.get('category')}", "institution"]
    names = pick(
        name,
        evidence_text(fact),
        b.seed(fact, "means"),
        text_candidates(fact, b.pools, keys, b.seed(fact)),
    )
    prompt = TEXT[lang]["acronym_means"].format(acronym=fact.text)
    if len(names) >= 2:
        drafts.append(
            Draft(
                "mcq",
                prompt,
                name,
                fact,
                "acronym-means",
                choices_for(b, fact, name, names),
                [name, fact.text],
                ["acronym", "institution"],
            )
        )
    else:
        drafts.append(
            Draft(
                "short",
                prompt,
                name,
                fact,
                "acronym-means",
                [],
                [name, strip_accents(name)],
                ["acronym", "institution"],
            )
        )
    return [d for d in drafts if d]


def treaty_prompt(fact: Fact) -> str | None:
    """'Quel texte la Russie viole-t-elle ?', or a passive form when no party is named."""
    lang, data = fact.paragraph.lang, fact.data
    action, party = data["action"], data.get("party")
    date = date_phrase(data.get("date"), data.get("date_precision"), lang)
    if party and action in TREATY_QUESTIONS[lang]:
        template = TREATY_QUESTIONS[lang][action]
        if action == "entered_into_force":
            return template.format(date=date)
        prompt = template.format(
            party=party, pron=PRONOUNS.get(data.get("party_gender") or "", "il")
        )
    elif action in TREATY_PASSIVE[lang]:
        prompt = TREATY_PASSIVE[lang][action].format(date=date)
    else:
        return None
    return prompt[0].upper() + prompt[1:]


def treaty_questions(b: Builder, fact: Fact) -> list[Draft]:
    """Which treaty a party violated / left / signed..., with other treaties as choices."""
    drafts: list[Draft | None] = []
    prompt = None if fact.data.get("short") else treaty_prompt(fact)
    if prompt and not contains_words(prompt, fact.text):
        candidates = text_candidates(fact, b.pools, ["institution:treaty"], b.seed(fact))
        candidates = [c for c in candidates if not _also_true(b, c, fact.data)]
        distractors = pick(fact.text, evidence_text(fact), b.seed(fact), candidates)
        if len(distractors) >= 2:
            drafts.append(
                Draft(
                    "mcq",
                    prompt,
                    fact.text,
                    fact,
                    f"treaty-{fact.data['action']}",
                    choices_for(b, fact, fact.text, distractors),
                    [fact.text],
                    ["treaty"],
                )
            )
    drafts.append(true_false(b, fact, None, tags=["treaty"]))
    return [d for d in drafts if d]


def _also_true(b: Builder, treaty: str, data: dict[str, Any]) -> bool:
    """Whether the same party is said to have done the same to this other treaty."""
    return any(
        f.text == treaty and f.data.get("action") == data["action"] for f in b.pools.get("treaty")
    )


def entity_questions(b: Builder, fact: Fact) -> list[Draft]:
    """People and places: choices of the same kind when there are enough, else a cloze."""
    if fact.kind == "place" and b.place_mentions[fold(fact.text)] > 3:
        return []  # the sheet's subject ("Russie" 30 times) is no fact to test
    if fold(fact.text) in fold(b.sheet.title):
        return []
    keys: list[str] = (
        [f"place:{fact.data['class']}", "place"] if fact.data.get("class") else [fact.kind]
    )
    candidates = text_candidates(fact, b.pools, keys, b.seed(fact))
    distractors = pick(fact.text, evidence_text(fact), b.seed(fact), candidates)
    accepted = [fact.text, strip_accents(fact.text)]
    if fact.kind == "person" and " " in fact.text:
        accepted.append(fact.text.split()[-1])
    draft = cloze(
        b,
        fact,
        fact.text,
        [fact.kind],
        list(dict.fromkeys(accepted)),
        distractors if len(distractors) >= 3 else None,
    )
    return [draft] if draft else []


BUILDERS = {
    "date": date_questions,
    "number": number_questions,
    "institution": institution_questions,
    "acronym": acronym_questions,
    "treaty": treaty_questions,
    "person": entity_questions,
    "place": entity_questions,
}
