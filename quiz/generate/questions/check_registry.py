"""The registry of automatic checks, and what a check reads of a question.

A check is a function registered under a name by ``check``; ``CHECKS`` keeps them
in the order the review queue shows them. ``checks`` registers the structural
checks, then imports ``faults`` which registers the fault classes: read the
registry through ``checks``, which has them all. Both modules build on this one,
so neither has to import the other back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Span


@dataclass(frozen=True)
class Checked:
    """What the checks read of a question, wherever it is stored."""

    type: str
    prompt: str
    answer: Any  # a string, or the items in order for ``order``
    accepted: Sequence[str]
    choices: Sequence[str]
    lang: str
    paragraph: str
    evidence: Span
    # ``order``: each event's date as the sheet writes it (None when unknown).
    item_dates: Sequence[str | None] = field(default_factory=tuple)

    @property
    def answers(self) -> list[str]:
        """The answer as a list of strings (the items of an order question)."""
        return [str(a) for a in self.answer] if isinstance(self.answer, list) else [self.answer]

    @property
    def evidence_text(self) -> str:
        """The evidence span's text ("" when the span lies outside the paragraph)."""
        if not 0 <= self.evidence.start < self.evidence.end <= len(self.paragraph):
            return ""
        return self.paragraph[self.evidence.start : self.evidence.end]


@dataclass(frozen=True)
class Finding:
    """One failed check: its name and why."""

    check: str
    message: str


Check = Callable[[Checked], list[str]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under ``name`` (the review queue shows them in this order)."""

    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register
