"""``quiz sheet-diff OLD NEW``: what a new revision of a sheet changes.

It runs the pipeline on both files and compares them with
``quiz.generate.diff``: paragraphs unchanged, changed, removed or added, and
which questions of OLD still hold (carried) or no longer do (stale). Like
``quiz generate``, it never touches the database, and the pipeline is imported
inside the command because it loads spaCy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import EXIT_BAD_INPUT, fail

if TYPE_CHECKING:
    from ..generate import SheetResult, SheetSource
    from ..generate.diff import SheetDiff

# Room for a paragraph or a prompt on one line of the listing.
EXCERPT_LENGTH = 70


@click.command("sheet-diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts and question ids as JSON.")
def sheet_diff_command(old: Path, new: Path, as_json: bool) -> None:
    """Compare two revisions (files) of a sheet: paragraphs, and the OLD questions that hold.

    A file listed in its folder's sheet.toml is read with that sheet's
    metadata, so question ids are those `quiz generate` prints for the folder.
    """
    diff = diff_or_exit(old, new)
    if as_json:
        click.echo(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in diff_lines(diff):
            click.echo(line)


def diff_or_exit(old: Path, new: Path) -> SheetDiff:
    """Generate both revisions together and compare them; on bad input, exit with one line."""
    from ..generate import SheetError, generate  # loads spaCy: CLI only
    from ..generate.diff import diff_sheets

    try:
        # Together, as the import generates a sheet's revisions: the same distractors.
        old_sheet, new_sheet = generate([revision_source(old), revision_source(new)]).sheets
    except SheetError as error:
        fail(str(error), EXIT_BAD_INPUT)
    return diff_sheets(old_sheet, new_sheet)


def revision_source(path: Path) -> SheetSource:
    """The revision held by the file ``path``, with its folder's sheet.toml metadata if listed.

    The manifest gives the sheet's slug, from which question ids derive, its
    language and the revision's label; a file it does not list is a lone sheet.
    """
    from ..generate import SheetError, discover
    from ..generate.pipeline import MANIFEST

    if path.is_dir():
        raise SheetError(path, "expected a sheet file (one revision), not a folder")
    if (path.parent / MANIFEST).is_file():
        for source in discover([path.parent]):
            if source.path.resolve() == path.resolve():
                return source
    return discover([path])[0]


def diff_lines(diff: SheetDiff) -> list[str]:
    """The readable listing: the two revisions, then paragraphs, then questions."""
    counts = diff.paragraphs.counts()
    lines = [
        f"{_revision_name(diff.old)} → {_revision_name(diff.new)}",
        "Paragraphs: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()),
    ]
    for change in diff.paragraphs.changed:
        lines.append(
            f"  changed  {change.old.anchor} → {change.new.anchor}"
            f" ({change.similarity:.0%}) « {_excerpt(change.new.text)} »"
        )
    lines += [f"  removed  {p.anchor} « {_excerpt(p.text)} »" for p in diff.paragraphs.removed]
    lines += [f"  added    {p.anchor} « {_excerpt(p.text)} »" for p in diff.paragraphs.added]
    lines.append(
        f"Questions of {diff.old.source.revision}:"
        f" {len(diff.carried)} carried, {len(diff.stale)} stale"
    )
    for label, questions in (("stale", diff.stale), ("carried", diff.carried)):
        lines += [
            f"  {label:<8} {q.id} {q.type:<10} {q.source.anchor} « {_excerpt(q.prompt)} »"
            for q in questions
        ]
    return lines


def _revision_name(sheet: SheetResult) -> str:
    """``slug [label] file`` of one revision, as ``quiz generate`` names it."""
    source = sheet.source
    return f"{source.slug} [{source.revision}] {source.path.name}"


def _excerpt(text: str) -> str:
    """``text`` on one line, cut to EXCERPT_LENGTH characters."""
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_LENGTH:
        return flat
    return flat[: EXCERPT_LENGTH - 1].rstrip() + "…"
