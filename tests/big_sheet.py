"""Long sheets for the tests and measurements of background imports.

A long sheet is the built-in NATO-Russia sheet (French, full of dates, names
and acronyms) repeated part after part until the text reaches the size asked:
real prose with facts on every paragraph, as an instructor's long document has.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = REPO_ROOT / "questions" / "otan-russie" / "2022-early.md"


def long_sheet_text(size_bytes: int) -> str:
    """Markdown of about ``size_bytes`` (UTF-8): the built-in sheet's paragraphs, part by part."""
    blocks = [block.strip() for block in SOURCE.read_text(encoding="utf-8").split("\n\n")]
    paragraphs = [block for block in blocks if block and not block.startswith("#")]
    parts = ["# Une longue fiche sur l'OTAN et la Russie"]
    size, number = len(parts[0].encode()), 0
    while size < size_bytes:
        number += 1
        for block in [f"## Partie {number}", *paragraphs]:
            parts.append(block)
            size += len(block.encode()) + 2
            if size >= size_bytes:
                break
    return "\n\n".join(parts) + "\n"


def write_long_sheet(path: Path, size_bytes: int) -> Path:
    """Write ``long_sheet_text(size_bytes)`` to ``path``; return ``path``."""
    path.write_text(long_sheet_text(size_bytes), encoding="utf-8")
    return path
