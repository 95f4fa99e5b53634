"""Two revisions of a sheet compared paragraph by paragraph, on the stored rows.

The groups are those ``quiz sheet-diff`` prints and the import carries
questions by: ``quiz.generate.diff.diff_paragraphs``, a pure function
(rapidfuzz; importing it loads no spaCy) run on the live paragraphs of both
revisions, so the counts are the same. Only quizzable paragraphs count:
unchanged (the same anchor), changed (a new paragraph matching a removed one,
similarity ≥ 0.6), removed and added. This module puts the groups in reading
order and marks the words a change touched (``difflib`` on words).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import func, select

from ...extensions import db
from ...generate.diff import diff_paragraphs
from ...models import STATUS_RETIRED, STATUS_SUPERSEDED, Paragraph, Question, Revision, Sheet
from ..errors import Invalid, NotFound, ServiceError
from ..library.sheet_pages import find_revision
from .stale import open_stale_counts

UNCHANGED, CHANGED, REMOVED, ADDED = "unchanged", "changed", "removed", "added"
# Words, runs of punctuation and runs of spaces: a diff on these reads naturally.
_TOKENS = re.compile(r"\w+|[^\w\s]+|\s+")


class NothingToCompare(ServiceError):
    """The sheet has a single revision."""


class SameRevision(Invalid):
    """Both revisions asked for are the same one."""


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text, ``changed`` when the other revision does not have it."""

    text: str
    changed: bool = False


@dataclass(frozen=True)
class DiffRow:
    """One paragraph of the comparison; ``old`` or ``new`` is None when removed or added."""

    kind: str
    old: Paragraph | None
    new: Paragraph | None
    old_pieces: list[Piece]
    new_pieces: list[Piece]
    similarity: float | None  # for changed paragraphs
    questions: int  # questions of the old revision citing the old paragraph


@dataclass(frozen=True)
class RevisionDiff:
    """Revision ``old`` of a sheet compared with revision ``new``."""

    sheet: Sheet
    old: Revision
    new: Revision
    labels: list[str]  # every revision of the sheet, oldest first
    counts: dict[str, int]  # as ``quiz sheet-diff`` prints them
    rows: list[DiffRow]
    open_stale: int  # stale questions of ``old`` nobody decided about yet


def revision_diff(slug: str, old_label: str | None, new_label: str | None) -> RevisionDiff:
    """Compare two revisions of a sheet (default: the latest and the one before it).

    ``NotFound`` for an unknown sheet or label, ``NothingToCompare`` when the
    sheet has one revision, ``SameRevision`` when both labels are the same.
    """
    new = find_revision(slug, new_label or None)
    sheet = new.sheet
    labels = [revision.label for revision in sheet.revisions]
    if old_label:
        old = find_revision(slug, old_label)
    elif labels.index(new.label) == 0:
        if len(labels) == 1:
            raise NothingToCompare("the sheet has a single revision")
        raise NotFound("no revision before this one")
    else:
        old = sheet.revisions[labels.index(new.label) - 1]
    if old.id == new.id:
        raise SameRevision("pick two different revisions")
    rows, counts = compared_rows(old, new)
    stale = open_stale_counts().get(old.id, 0)
    return RevisionDiff(sheet, old, new, labels, counts, rows, stale)


def compared_rows(old: Revision, new: Revision) -> tuple[list[DiffRow], dict[str, int]]:
    """The rows of the comparison in reading order, and the count of each group."""
    old_live = [p for p in old.paragraphs if not p.retired]
    new_live = [p for p in new.paragraphs if not p.retired]
    diff = diff_paragraphs(old_live, new_live)
    cited = _questions_by_paragraph(old)
    rows: list[tuple[tuple[int, int, int], DiffRow]] = []
    partner: dict[int, int] = {}  # old paragraph index → index of its new version
    for before, after in diff.unchanged:
        partner[before.index] = after.index
        pieces = [Piece(after.text)]
        row = DiffRow(UNCHANGED, before, after, [Piece(before.text)], pieces, None, 0)
        rows.append(((after.index, 0, 0), row))
    for change in diff.changed:
        partner[change.old.index] = change.new.index
        old_pieces, new_pieces = marked_words(change.old.text, change.new.text)
        questions = cited[change.old.id]
        row = DiffRow(
            CHANGED, change.old, change.new, old_pieces, new_pieces, change.similarity, questions
        )
        rows.append(((change.new.index, 0, 0), row))
    for paragraph in diff.added:
        row = DiffRow(ADDED, None, paragraph, [], [Piece(paragraph.text)], None, 0)
        rows.append(((paragraph.index, 0, 0), row))
    for paragraph in diff.removed:
        # Right after the nearest paragraph before it that the new revision kept.
        kept = [i for i in partner if i < paragraph.index]
        place = partner[max(kept)] if kept else -1
        row = DiffRow(
            REMOVED, paragraph, None, [Piece(paragraph.text)], [], None, cited[paragraph.id]
        )
        rows.append(((place, 1, paragraph.index), row))
    return [row for _key, row in sorted(rows, key=lambda item: item[0])], diff.counts()


def _questions_by_paragraph(revision: Revision) -> Counter[int]:
    """How many live questions of ``revision`` cite each of its paragraphs, by paragraph id."""
    rows = db.session.execute(
        select(Question.paragraph_id, func.count())
        .where(Question.revision_id == revision.id)
        .where(Question.status.not_in([STATUS_RETIRED, STATUS_SUPERSEDED]))
        .group_by(Question.paragraph_id)
    ).tuples()
    return Counter(dict(rows.all()))


def marked_words(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """Both texts cut into runs, the runs the other text lacks marked ``changed``."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    # Spaces never anchor a match: otherwise each space between two rewritten
    # words would count as kept, and cut one change into many.
    matcher = SequenceMatcher(str.isspace, old_tokens, new_tokens, autojunk=False)
    old_pieces: list[Piece] = []
    new_pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        _append(old_pieces, "".join(old_tokens[i1:i2]), changed)
        _append(new_pieces, "".join(new_tokens[j1:j2]), changed)
    return old_pieces, new_pieces


def _append(pieces: list[Piece], text: str, changed: bool) -> None:
    """Add a run to ``pieces``, merged with the last one when they are alike.

    The spaces around a changed run are not part of the change.
    """
    if changed and text.strip() != text:
        core = text.strip()
        start = text.index(core) if core else len(text)
        _append(pieces, text[:start], False)
        _append(pieces, core, True)
        _append(pieces, text[start + len(core) :], False)
        return
    if not text:
        return
    if pieces and pieces[-1].changed == changed:
        pieces[-1] = Piece(pieces[-1].text + text, changed)
    else:
        pieces.append(Piece(text, changed))
