"""Questions on treaties: which treaty a party violated, left, signed or ratified, with
other treaties as choices, and a statement of what the sheet says happened to it."""

from __future__ import annotations

from ..model import Fact
from ..normalize import contains_words
from .builders import Builder, Draft, choices_for
from .distractors import pick
from .forms import true_false
from .phrasing import PRONOUNS, TREATY_PASSIVE, TREATY_QUESTIONS, date_phrase


def _evidence(fact: Fact) -> str:
    return fact.paragraph.text[fact.evidence.start : fact.evidence.end]


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
        candidates = [
            c for c in b.pools.names(fact, b.seed(fact), "treaty") if not _also_true(b, c, fact)
        ]
        distractors = pick(fact.text, [_evidence(fact), prompt], candidates)
        if len(distractors) >= 2:
            choices = choices_for(b, fact, fact.text, distractors)
            variant = f"treaty-{fact.data['action']}"
            drafts.append(Draft("mcq", prompt, fact.text, fact, variant, choices, [], ["treaty"]))
    if fact.data.get("date"):  # a statement with nothing to check is no question
        drafts.append(true_false(b, fact, None, tags=["treaty"]))
    return [d for d in drafts if d]


def _also_true(b: Builder, treaty: str, fact: Fact) -> bool:
    """Whether the sheets say this other treaty underwent the same action."""
    return b.pools.acted(treaty, fact.data["action"])
