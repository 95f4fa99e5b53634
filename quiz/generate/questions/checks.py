"""The automatic checks every question must pass: before the pipeline emits it, and
when an instructor writes, edits or approves one.

Each check is a function registered under a name, in the order the review queue
shows them; it returns the reasons the question fails it (English; the views
translate), none when it passes. Checks read a ``Checked``: the fields both a
generated question and a stored one have, so the same rules judge both.
"""

from __future__ import annotations

from ..model import Question
from ..normalize import contains_words, fold
from .check_registry import CHECKS, Checked, Finding, check

TEXT_ANSWER_TYPES = ("mcq", "cloze", "short", "numeric")
CHOICE_TYPES = ("mcq", "true_false", "order")


def findings(question: Checked) -> list[Finding]:
    """Every check ``question`` fails, with the reasons."""
    return [Finding(name, reason) for name, run in CHECKS.items() for reason in run(question)]


def checked(question: Question) -> Checked:
    """A generated question as the checks read it."""
    return Checked(
        type=question.type,
        prompt=question.prompt,
        answer=question.answer,
        accepted=question.accepted,
        choices=question.choices,
        lang=question.lang,
        paragraph=question.source.paragraph,
        evidence=question.source.evidence,
        item_dates=[source.date for source in question.item_sources],
    )


def problems(question: Question) -> list[str]:
    """What is wrong with a generated question (empty when it is sound)."""
    return [finding.message for finding in findings(checked(question))]


@check("answer_in_evidence")
def answer_in_evidence(q: Checked) -> list[str]:
    """The evidence lies in its paragraph and states the answer."""
    if not q.evidence_text:
        return ["evidence span outside its paragraph"]
    if q.type in TEXT_ANSWER_TYPES and not any(
        contains_words(q.evidence_text, a) for a in [*q.answers, *q.accepted]
    ):
        return ["answer not in its evidence"]
    return []


@check("answer_not_in_prompt")
def answer_not_in_prompt(q: Checked) -> list[str]:
    """Neither the answer nor an accepted form stands in the prompt."""
    if q.type in TEXT_ANSWER_TYPES and any(
        contains_words(q.prompt, a) for a in [*q.answers, *q.accepted]
    ):
        return ["answer given away in the prompt"]
    return []


@check("choices_sound")
def choices_sound(q: Checked) -> list[str]:
    """Distinct choices, 3–4 for an mcq, the answer exactly once; an order question's
    choices are its events, each with its source."""
    if q.type not in CHOICE_TYPES:
        return []
    folded = [fold(c) for c in q.choices]
    found = []
    if len(set(folded)) != len(folded):
        found.append("choices not distinct")
    if q.type == "mcq" and not 3 <= len(folded) <= 4:
        found.append("an mcq needs 3 or 4 choices")
    if q.type != "order" and folded.count(fold(q.answers[0])) != 1:
        found.append("the answer is not exactly one of the choices")
    if q.type == "order" and sorted(folded) != sorted(fold(a) for a in q.answers):
        found.append("order choices are not the events to order")
    if q.type == "order" and len(q.item_dates) != len(q.answers):
        found.append("every event of an order question needs its source")
    if q.type == "order" and len(q.answers) < 2:
        found.append("an order question needs at least two events")
    return found


# The checks of the fault classes register themselves after the structural ones.
from . import faults  # noqa: E402,F401
