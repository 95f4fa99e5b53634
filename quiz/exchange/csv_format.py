"""CSV: one question a row, for spreadsheets.

Written in UTF-8 with a byte-order mark (so that Excel reads the accents) and
CRLF line ends (RFC 4180). Columns, in order: ``id type prompt choices answer
accepted lang tags difficulty explanation sheet revision anchor evidence_start
evidence_end paragraph item_sources citation``.

A list (``choices``, ``accepted``, an ``order`` question's ``answer``, oldest
event first) holds one item a line inside its cell, which a spreadsheet shows
as a list; ``tags`` are separated by spaces; ``item_sources`` is the schema's
JSON list. ``citation`` is written for people and ignored on import. On import
``choices accepted tags difficulty explanation paragraph item_sources`` may be
left out (as columns or cells); an unknown column is an error, so that a
misspelt header cannot silently drop a column.

An ordinary spreadsheet needs only ``prompt`` and ``answer`` (and ``choices``
for a multiple choice): a row without ``revision`` and evidence positions
cites its source as a teacher does, by ``sheet`` and either ``anchor`` or
the paragraph's ``first_words`` (an import-only column), or by ``sheet``
alone (the evidence is placed later). Its ``type`` defaults to ``mcq`` when
it has choices, else ``short``; its ``lang`` to the sheet's; its ``id`` to a
hash of the question.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .common import (
    CONTENT_FIELDS,
    DEFAULT_DIFFICULTY,
    TRUE_FALSE_CHOICES,
    Citation,
    Export,
    Parsed,
    Record,
    citation_text,
    content_id,
    decode_text,
    load_json,
    make_record,
    make_source,
    read_citation,
    sheet_titles,
)
from .errors import ImportErrors
from .messages import N_, message_of
from .validation import checked_records

COLUMNS = (
    "id",
    *CONTENT_FIELDS,
    "sheet",
    "revision",
    "anchor",
    "evidence_start",
    "evidence_end",
    "paragraph",
    "item_sources",
    "citation",
)
# A teacher's citation by the paragraph's first words: read on import, never written.
IMPORT_ONLY_COLUMNS = ("first_words",)
REQUIRED_COLUMNS = ("prompt", "answer")
# Columns of quiz's own source: all of them, or none (the row then cites as a teacher does).
SOURCE_POSITION_COLUMNS = ("revision", "evidence_start", "evidence_end")
# How a teacher may write a true-false answer, in either language.
_TRUE_WORDS = {"vrai", "true", "v", "t"}
_FALSE_WORDS = {"faux", "false", "f"}


def export(
    records: Sequence[Record], *, sheets: Iterable[Mapping[str, Any]] = (), base_url: str = ""
) -> Export:
    """A header row, then one row per record."""
    titles = sheet_titles(sheets)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(_row(record, titles, base_url))
    return Export(buffer.getvalue().encode("utf-8-sig"), len(records))


def parse(data: bytes) -> list[Parsed]:
    """The questions of a CSV file, each with the line where its row starts."""
    rows = _rows(decode_text(data))
    header_line, header = next(rows, (1, []))
    header = [name.strip() for name in header]
    _check_header(header, header_line)
    parsed: list[Parsed] = []
    errors: list[tuple[int, str]] = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave blank rows behind
        if len(cells) > len(header):
            message = N_(
                "%(cells)d cells for %(columns)d columns", cells=len(cells), columns=len(header)
            )
            errors.append((line, message))
            continue
        try:
            parsed.append(Parsed(line, *_record(dict(zip(header, cells, strict=False)))))
        except ValueError as error:
            errors.append((line, message_of(error)))
    return checked_records(parsed, errors)


def _row(record: Record, titles: Mapping[str, str], base_url: str) -> list[str]:
    """The cells of one record, in ``COLUMNS`` order."""
    source = record["source"]
    answer = record["answer"]
    item_sources = record.get("item_sources")
    return [
        record["id"],
        record["type"],
        record["prompt"],
        "\n".join(record["choices"]),
        "\n".join(answer) if isinstance(answer, list) else answer,
        "\n".join(record["accepted"]),
        record["lang"],
        " ".join(record["tags"]),
        repr(record["difficulty"]),
        record["explanation"],
        source["sheet"],
        source["revision"],
        source["anchor"],
        str(source["evidence"]["start"]),
        str(source["evidence"]["end"]),
        source["paragraph"],
        json.dumps(item_sources, ensure_ascii=False) if item_sources else "",
        citation_text(record, titles, base_url),
    ]


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` of each row; a quoted cell may span several lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = N_("malformed CSV: %(reason)s", reason=str(error))
            raise ImportErrors.single(line, message) from None
        yield line, cells


def _check_header(header: list[str], line: int) -> None:
    """Every required column present, none unknown, none twice."""
    known = (*COLUMNS, *IMPORT_ONLY_COLUMNS)
    unknown = [name for name in header if name not in known]
    errors = [(line, N_("unknown column %(name)r", name=name)) for name in unknown]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    errors += [(line, N_("missing column %(name)r", name=name)) for name in missing]
    duplicates = sorted({name for name in header if header.count(name) > 1})
    errors += [(line, N_("column %(name)r appears twice", name=name)) for name in duplicates]
    if errors:
        raise ImportErrors(errors)


def _record(cells: Mapping[str, str]) -> tuple[Record, Citation | None]:
    """The record of one row, and the teacher's citation it waits for (None when the row
    has quiz's source); ``ValueError`` for a cell that is not the right kind of value."""
    cell = {name: cells.get(name, "").strip() for name in (*COLUMNS, *IMPORT_ONLY_COLUMNS)}
    citation = _teacher_citation(cell)
    kind = cell["type"] or ("mcq" if cell["choices"] else "short")
    answer: str | list[str] = _items(cell["answer"]) if kind == "order" else cell["answer"]
    choices = _items(cell["choices"])
    if kind == "true_false" and citation is not None and not choices:
        choices, answer = _true_false(cell["answer"])
    source = make_source(
        cell["sheet"],
        cell["revision"],
        cell["anchor"],
        _integer(cell["evidence_start"] or "0", "evidence_start"),
        _integer(cell["evidence_end"] or "0", "evidence_end"),
        cell["paragraph"],
    )
    record = make_record(
        cell["id"],
        kind,
        cell["prompt"],
        answer,
        source,
        lang=cell["lang"],
        choices=choices,
        accepted=_items(cell["accepted"]),
        tags=cell["tags"].split(),
        difficulty=_number(cell["difficulty"]),
        explanation=cell["explanation"],
        item_sources=_item_sources(cell["item_sources"]),
    )
    if citation is not None and not record["id"]:
        record["id"] = content_id(record)
    return record, citation


def _teacher_citation(cell: Mapping[str, str]) -> Citation | None:
    """The citation of a row without quiz's source positions; None for a row with them."""
    given = [name for name in SOURCE_POSITION_COLUMNS if cell[name]]
    if len(given) == len(SOURCE_POSITION_COLUMNS):
        return None
    if given:
        raise ValueError(
            N_(
                "give revision, evidence_start and evidence_end together, or none of them"
                " (then the sheet with an anchor or the paragraph's first_words)"
            )
        )
    paragraph = f"#{cell['anchor']}" if cell["anchor"] else cell["first_words"]
    return read_citation(f"{cell['sheet']}, {paragraph}")


def _true_false(answer: str) -> tuple[list[str], str]:
    """``(choices, answer)`` of a true-false row, in French until the sheet's language is
    known."""
    choices = TRUE_FALSE_CHOICES["fr"]
    word = answer.casefold()
    if word not in _TRUE_WORDS | _FALSE_WORDS:
        raise ValueError(
            N_("a true_false answer is Vrai or Faux (True or False), not %(answer)r", answer=answer)
        )
    return list(choices), choices[0] if word in _TRUE_WORDS else choices[1]


def _items(cell: str) -> list[str]:
    """The non-blank lines of a list cell."""
    return [item.strip() for item in cell.splitlines() if item.strip()]


def _integer(cell: str, column: str) -> int:
    """A whole number cell."""
    try:
        return int(cell)
    except ValueError:
        message = N_("%(column)s must be a whole number, not %(cell)r", column=column, cell=cell)
        raise ValueError(message) from None


def _number(cell: str) -> float:
    """The difficulty cell; the default when empty."""
    if not cell:
        return DEFAULT_DIFFICULTY
    try:
        return float(cell.replace(",", "."))  # a French spreadsheet writes 0,5
    except ValueError:
        raise ValueError(N_("difficulty must be a number, not %(cell)r", cell=cell)) from None


def _item_sources(cell: str) -> list[Record]:
    """The JSON list of an ``item_sources`` cell; empty when the cell is."""
    if not cell:
        return []
    try:
        value = load_json(cell)
    except json.JSONDecodeError as error:
        message = N_("item_sources is not valid JSON: %(reason)s", reason=error.msg)
        raise ValueError(message) from None
    if not isinstance(value, list):
        raise ValueError(N_("item_sources must be a JSON list"))
    return value
