"""Reading a learner's answer from the question form, per question type.

The inputs differ by type: radio buttons (``mcq``, ``true_false``), a text box
(``cloze``, ``short``, ``numeric``), and for ``order`` one position select per
item. What a learner can get wrong (nothing chosen, two items at the same
place) is a ``MissingAnswer`` shown beside the inputs; what only a tampered
form can send (a choice that is not offered, an item that is not in the
question) is a ``TamperedAnswer``, answered 400.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

CHOICE_TYPES = frozenset({"mcq", "true_false"})
TEXT_TYPES = frozenset({"cloze", "short", "numeric"})
ORDER_TYPE = "order"
MAX_TEXT_LENGTH = 500


class TamperedAnswer(Exception):
    """The form holds something the page could not have sent."""


class MissingAnswer(Exception):
    """The learner did not answer completely; the message says what is missing."""


@dataclass(frozen=True)
class OrderRow:
    """One item of an ``order`` question with the position chosen for it (if any)."""

    item: str
    position: int | None


def read_answer(view: Mapping[str, Any], form: Mapping[str, str]) -> str | list[str]:
    """The ``given`` value for ``checking.check``: a string, or the items in order."""
    kind = view["type"]
    if kind in CHOICE_TYPES:
        return _read_choice(view["choices"], form.get("answer"))
    if kind in TEXT_TYPES:
        return _read_text(form.get("answer"))
    if kind == ORDER_TYPE:
        rows = read_order_rows(view["choices"], form)
        return _ordered_items(rows)
    raise TamperedAnswer(f"unknown question type {kind!r}")


def _read_choice(choices: list[str], value: str | None) -> str:
    if not value:
        raise MissingAnswer(_("Choose an answer."))
    if value not in choices:
        raise TamperedAnswer("not one of the choices")
    return value


def _read_text(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        raise MissingAnswer(_("Type an answer."))
    if len(value) > MAX_TEXT_LENGTH:
        raise TamperedAnswer("answer too long")
    return value


def read_order_rows(choices: list[str], form: Mapping[str, str]) -> list[OrderRow]:
    """The posted items with their positions, in the order the page showed them."""
    count = len(choices)
    rows = []
    for index in range(count):
        item = form.get(f"item-{index}")
        position = form.get(f"position-{index}", "")
        if item is None:
            raise TamperedAnswer("missing item")
        # isascii: isdigit alone lets "²" through, which int() refuses.
        readable = position.isascii() and position.isdigit()
        if position and not (readable and 1 <= int(position) <= count):
            raise TamperedAnswer("position out of range")
        rows.append(OrderRow(item, int(position) if position else None))
    if Counter(row.item for row in rows) != Counter(choices):
        raise TamperedAnswer("items differ from the question's")
    return rows


def _ordered_items(rows: list[OrderRow]) -> list[str]:
    positions = [row.position for row in rows]
    if None in positions:
        raise MissingAnswer(_("Give every item a position."))
    if len(set(positions)) != len(positions):
        raise MissingAnswer(_("Give each item a different position."))
    return [row.item for row in sorted(rows, key=lambda row: row.position or 0)]
