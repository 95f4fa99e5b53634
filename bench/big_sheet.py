"""A big sheet made of the real ones: every sheet of questions/ and tests/data/
read by its own reader, written again as plain text under distinct headings,
round after round until the text reaches the size asked for.

Usage: .venv/bin/python bench/big_sheet.py SIZE_IN_BYTES OUT.txt
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from quiz.generate import discover
from quiz.generate.readers import read_sheet

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["questions", "tests/data/sheets", *sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "tests/data/review").iterdir() if p.is_dir()
)]


def sheet_sections(paths: Sequence[str] = SOURCES) -> list[tuple[str, list[str]]]:
    """Each sheet revision under ``paths`` (relative to the repository) as its title and
    its lines of plain text, headings marked ###."""
    sections = []
    for source in discover([ROOT / path for path in paths]):
        title, blocks = read_sheet(source.path)
        lines = []
        for block in blocks:
            if block.kind == "heading":
                lines.append("### " + " ".join(block.text.split()))
            elif block.kind == "item":
                lines.append("- " + " ".join(block.text.split()))
            else:
                lines.append(" ".join(block.text.split()))
        sections.append((title or source.path.stem, lines))
    return sections


def big_sheet_text(size: int, paths: Sequence[str] = SOURCES, rounds: int | None = None) -> str:
    """Plain text of at least ``size`` bytes in UTF-8 (or of ``rounds`` rounds of the
    sheets, when given), whole sheets only, one at the least; each copy of a sheet has
    its own heading so that no two sections share one."""
    sections = sheet_sections(paths)
    parts = ["Grande fiche de lecture"]
    written = len(parts[0].encode())
    round_number = 0
    while written < size and round_number != rounds:
        round_number += 1
        for title, lines in sections:
            chunk = "\n\n".join([f"## {title} (partie {round_number})", *lines])
            parts.append(chunk)
            written += len(chunk.encode()) + 2
            if written >= size:
                break
    return "\n\n".join(parts) + "\n"


def main() -> None:
    """Write a big sheet of the size asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.write_text(big_sheet_text(args.size), encoding="utf-8")


if __name__ == "__main__":
    main()
