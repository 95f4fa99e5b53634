"""JSON: exactly the document ``quiz generate --json`` prints.

``{"sheets": [...], "questions": [...]}``; each question is a record as is, so
nothing is lost. On import ``sheets`` may be empty or missing: questions are
tied to the sheets already in the database, never to the file's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from json.decoder import WHITESPACE  # type: ignore[attr-defined]
from typing import Any

from .common import Export, Parsed, Record, decode_text, load_json
from .errors import ImportErrors
from .messages import N_
from .validation import check_records

_TOP_LEVEL_FIELDS = ("sheets", "questions")


def export(
    records: Sequence[Record], *, sheets: Iterable[Mapping[str, Any]] = (), base_url: str = ""
) -> Export:
    """The records (and the sheet objects given) as one JSON document.

    ``base_url`` is unused: the JSON carries the source itself, not a link to it.
    """
    document = {"sheets": list(sheets), "questions": list(records)}
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return Export(text.encode("utf-8"), len(records))


def parse(data: bytes) -> list[Parsed]:
    """The questions of a JSON document, each with the line where it starts."""
    text = decode_text(data)
    try:
        document = load_json(text)
    except json.JSONDecodeError as error:
        message = N_("not valid JSON: %(reason)s", reason=error.msg)
        raise ImportErrors.single(error.lineno, message) from None
    _check_document(document)
    questions = document["questions"]
    lines = _question_lines(text)
    if len(lines) != len(questions):  # a key given twice: json.loads kept the last one
        lines = [1] * len(questions)
    parsed = [Parsed(line, record) for line, record in zip(lines, questions, strict=True)]
    check_records(parsed)
    return parsed


def _check_document(document: Any) -> None:
    """The top level: an object with a ``questions`` list and maybe a ``sheets`` list."""
    if not isinstance(document, dict):
        message = N_('expected an object {"sheets": [...], "questions": [...]}')
        raise ImportErrors.single(1, message)
    unknown = [name for name in document if name not in _TOP_LEVEL_FIELDS]
    errors = [(1, N_("unknown field %(name)r", name=name)) for name in unknown]
    if not isinstance(document.get("questions"), list):
        errors.append((1, N_("'questions' must be a list")))
    sheets = document.get("sheets", [])
    if not isinstance(sheets, list) or not all(_is_sheet(sheet) for sheet in sheets):
        errors.append((1, N_("'sheets' must be a list of sheet objects with a slug and a title")))
    if errors:
        raise ImportErrors(errors)


def _is_sheet(sheet: Any) -> bool:
    """Whether ``sheet`` looks like a sheet object (quiz reads only its slug and title)."""
    return isinstance(sheet, dict) and all(
        isinstance(sheet.get(name), str) for name in ("slug", "title")
    )


def _question_lines(text: str) -> list[int]:
    """The line where each element of the top-level ``questions`` list starts.

    ``json.loads`` keeps no positions, so the document (already known to be
    valid) is walked again with the decoder's own scanner, value by value.
    """
    scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
    index = _skip_space(text, 0) + 1  # past "{"
    while True:
        index = _skip_space(text, index)
        if text[index] == "}":
            return []
        key, index = scan(text, index)
        index = _skip_space(text, _skip_space(text, index) + 1)  # past ":"
        if key == "questions":
            return _element_lines(text, index, scan)
        _, index = scan(text, index)
        index = _skip_space(text, index)
        if text[index] == ",":
            index += 1


def _element_lines(text: str, index: int, scan: Any) -> list[int]:
    """The start line of each element of the list that opens at ``text[index]``."""
    lines: list[int] = []
    index += 1  # past "["
    while True:
        index = _skip_space(text, index)
        if text[index] == "]":
            return lines
        lines.append(text.count("\n", 0, index) + 1)
        _, index = scan(text, index)
        index = _skip_space(text, index)
        if text[index] == ",":
            index += 1


def _skip_space(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not JSON white space."""
    return int(WHITESPACE.match(text, index).end())
