"""Question exchange formats: GIFT, Moodle XML, Anki, CSV and JSON.

A pure package (no Flask, no database): it turns question records (dicts in
the schema of ``docs/question-schema.md``) into files and files back into
records. Every format keeps the stable id and the source citation:

=========  ======  ======================================  ===========================
format     ext.    stable id                               source
=========  ======  ======================================  ===========================
gift       .gift   ``::id::`` title                        ``// quiz:`` line + feedback
moodle     .xml    ``<idnumber>`` (and the name)           ``<generalfeedback>``
apkg       .apkg   note guid ``guid_for(id)``, Id field    Source field
csv        .csv    ``id`` column                           source columns + citation
json       .json   ``id``                                  ``source``
=========  ======  ======================================  ===========================

``export(name, records, sheets=..., base_url=...)`` writes one format;
``parse(name, data)`` reads one back (all but ``apkg``), raising
``ImportErrors`` with every problem and its line, and returning nothing then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import anki, csv_format, gift, json_format, moodle
from .common import Export, Parsed, Record, Skipped
from .errors import ImportErrors

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "Export",
    "ImportErrors",
    "Parsed",
    "Record",
    "Skipped",
    "export",
    "format_for_path",
    "parse",
]

Exporter = Callable[..., Export]
Parser = Callable[[bytes], list[Parsed]]

_EXPORTERS: dict[str, Exporter] = {
    "gift": gift.export,
    "moodle": moodle.export,
    "apkg": anki.export,
    "csv": csv_format.export,
    "json": json_format.export,
}
_PARSERS: dict[str, Parser] = {
    "gift": gift.parse,
    "moodle": moodle.parse,
    "csv": csv_format.parse,
    "json": json_format.parse,
}
EXPORT_FORMATS = tuple(_EXPORTERS)
IMPORT_FORMATS = tuple(_PARSERS)
EXTENSIONS = {
    ".gift": "gift",
    ".txt": "gift",  # Moodle's own GIFT exports end in .txt
    ".xml": "moodle",
    ".apkg": "apkg",
    ".csv": "csv",
    ".json": "json",
}


def export(
    format_name: str,
    records: Sequence[Record],
    *,
    sheets: Iterable[Mapping[str, Any]] = (),
    base_url: str = "",
) -> Export:
    """The file of ``records`` in ``format_name``; ``sheets`` give titles (and JSON's sheets)."""
    return _EXPORTERS[format_name](records, sheets=list(sheets), base_url=base_url)


def parse(format_name: str, data: bytes) -> list[Parsed]:
    """The records of a file in ``format_name``, or ``ImportErrors`` (and no record at all)."""
    return _PARSERS[format_name](data)


def format_for_path(path: Path | str) -> str | None:
    """The format a file name's extension stands for, if any."""
    return EXTENSIONS.get(Path(path).suffix.lower())
