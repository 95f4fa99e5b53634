"""The answer block of a GIFT question, and the escapes of its text.

``split_question`` cuts a question (its escapes masked by ``mask``) into its
title, text format, prompt and answer block; the block's shape (multiple
choice, true-false, numeric, free answers or matching) is read here, and
``reader`` turns a masked piece back into the text it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .common import BLANK, as_number, html_to_text, order_from_ranks
from .messages import N_, message_of

SPECIAL = "\\~=#{}:"
# Escaped characters are swapped for private-use ones while the structure is read.
_MASKS = {char: chr(0xE000 + index) for index, char in enumerate(SPECIAL)}
_UNMASK = str.maketrans({mask: char for char, mask in _MASKS.items()})
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|markdown|plain|moodle)\]")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Turns a masked piece of the question into the text it stands for.
Reader = Callable[[str], str]


class GiftError(ValueError):
    """One problem with one question of a GIFT file (on ``line``, else the question's first)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Answers:
    """What an answer block says: its shape, answers and general feedback."""

    shape: str  # "mcq", "true_false", "numeric", "free" or "order"
    choices: list[str]
    answers: list[str]
    feedback: str


def split_question(masked: str) -> tuple[str, str, str, Answers]:
    """``(title, text format, prompt, answers)`` of a question whose escapes are masked."""
    title = ""
    if masked.startswith("::"):
        end = masked.find("::", 2)
        if end < 0:
            raise GiftError(N_("the title has no closing '::'"))
        title, masked = masked[2:end], masked[end + 2 :].lstrip()
    text_format = _FORMAT.match(masked)
    if text_format:
        masked = masked[text_format.end() :]
    start = masked.find("{")
    end = masked.find("}", start)
    if start < 0:
        raise GiftError(N_("no answer block { … } (descriptions are not questions)"))
    if end < 0 or "{" in masked[start + 1 : end]:
        raise GiftError(
            N_("the answer block '{' is not closed (escape a literal brace as \\{)")
        )
    after = masked[end + 1 :]
    if "{" in after or "}" in after:
        raise GiftError(
            N_("more than one answer block (escape literal braces as \\{ and \\})")
        )
    before = masked[:start]
    prompt = before + BLANK + after if after.strip() else before.strip()
    text_format_name = text_format[1] if text_format else "plain"
    return title, text_format_name, prompt, _read_answers(masked[start + 1 : end])


def _read_answers(block: str) -> Answers:
    """The shape and answers of an answer block (still masked)."""
    block, _, feedback = block.partition("####")
    body = block.strip()
    if not body:
        raise GiftError(N_("an empty answer block: essay questions are not supported"))
    if body.startswith("#"):
        value = as_number(body[1:].split("#")[0].split(":")[0].translate(_UNMASK))
        if value is None:
            raise GiftError(
                N_("a numeric answer must be one number (ranges are not supported)")
            )
        return Answers("numeric", [], [value], feedback)
    if body.split("#")[0].strip().upper() in TRUE_FALSE:
        return Answers("true_false", [], [body.split("#")[0].strip().upper()], feedback)
    entries = _entries(body)
    if any("->" in text for _, text in entries):
        return _matching(entries, feedback)
    if any(not right for right, _ in entries):
        choices = [text for _, text in entries]
        rights = [text for right, text in entries if right]
        if len(rights) != 1:
            raise GiftError(
                N_(
                    "a multiple choice needs exactly one right answer, not %(count)d",
                    count=len(rights),
                )
            )
        return Answers("mcq", choices, rights, feedback)
    return Answers("free", [], [text for _, text in entries], feedback)


def _entries(body: str) -> list[tuple[bool, str]]:
    """``(right, text)`` of each ``=`` or ``~`` entry, per-answer feedback and weights dropped."""
    pieces = re.split(r"(?=[=~])", body)
    if pieces[0].strip():
        raise GiftError(
            N_("unexpected text before the first answer: %(text)r", text=pieces[0].strip())
        )
    entries = []
    for piece in pieces[1:]:
        text = piece[1:].split("#")[0].strip()
        weight = _WEIGHT.match(text)
        right = piece[0] == "=" or (weight is not None and float(weight[1]) == 100)
        entries.append((right, text[weight.end() :].strip() if weight else text))
    if any(not text for _, text in entries):
        raise GiftError(N_("an empty answer"))
    return entries


def _matching(entries: list[tuple[bool, str]], feedback: str) -> Answers:
    """A matching block, read as an ``order`` question: each event matched with its rank."""
    pairs = [text.partition("->")[::2] for _, text in entries]
    try:
        events, oldest_first = order_from_ranks((event, rank) for event, rank in pairs)
    except ValueError as error:
        raise GiftError(message_of(error)) from None
    return Answers("order", events, oldest_first, feedback)


def mask(text: str) -> str:
    """``text`` with each escape replaced by a private-use character (``\\n`` by a newline)."""

    def replace(match: re.Match[str]) -> str:
        char = match[1]
        return _MASKS.get(char, "\n" if char == "n" else match[0])

    return _ESCAPED.sub(replace, text)


def reader(text_format: str) -> Reader:
    """The function that turns a masked piece of text into the text it stands for."""
    if text_format == "html":
        return lambda piece: html_to_text(piece.translate(_UNMASK))
    return lambda piece: piece.translate(_UNMASK).strip()
