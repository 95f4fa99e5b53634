"""Structural checks every question must pass before it is emitted.

The same checks later tell an instructor why a question cannot be approved.
"""

from __future__ import annotations

from ..model import Question
from ..normalize import contains_words, fold

TEXT_ANSWER_TYPES = ("mcq", "cloze", "short", "numeric")


def problems(question: Question) -> list[str]:
    """What is wrong with a question (empty when it is sound)."""
    found: list[str] = []
    paragraph = question.source.paragraph
    span = question.source.evidence
    if not 0 <= span.start < span.end <= len(paragraph):
        return ["evidence span outside its paragraph"]
    evidence = paragraph[span.start : span.end]
    answers = [question.answer] if isinstance(question.answer, str) else list(question.answer)
    if question.type in TEXT_ANSWER_TYPES:
        answer = str(question.answer)
        if not any(contains_words(evidence, a) for a in [answer, *question.accepted]):
            found.append("answer not in its evidence")
        if any(contains_words(question.prompt, a) for a in [answer, *question.accepted]):
            found.append("answer given away in the prompt")
    if question.type in ("mcq", "true_false", "order"):
        folded = [fold(c) for c in question.choices]
        if len(set(folded)) != len(folded):
            found.append("choices not distinct")
        if question.type == "mcq" and not 3 <= len(folded) <= 4:
            found.append("an mcq needs 3 or 4 choices")
        if question.type != "order" and folded.count(fold(answers[0])) != 1:
            found.append("the answer is not exactly one of the choices")
        if question.type == "order" and sorted(folded) != sorted(fold(a) for a in answers):
            found.append("order choices are not the events to order")
    if question.type == "order" and len(question.item_sources) != len(answers):
        found.append("every event of an order question needs its source")
    return found
