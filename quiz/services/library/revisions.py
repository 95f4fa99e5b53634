"""Revisions of a sheet: carry questions forward, flag those a new text no longer proves.

Each revision after the first is compared with the one before it (by
position) on the stored paragraphs, with the same diff as ``quiz sheet-diff``:

- A question of the earlier revision whose evidence paragraphs are all
  unchanged is **carried**: the later revision gets a copy with the same uid,
  content and status, citing its own identical paragraph, whose
  ``carried_from_id`` names the row the question was first stored as. Answers
  already given stay on that row; attempts on the later revision answer the copy.
- A question whose evidence paragraph changed or disappeared stays with the
  earlier revision, flagged ``stale``: still true of that revision's text (its
  own quizzes keep it) but never part of a later revision's quizzes.
- A question the pipeline generates for a revision and that is not carried
  (a new or changed paragraph, or a new question on an unchanged one) is a
  draft waiting for an instructor's review, unless the import approves: then
  it is approved when it passes the automatic checks (``checks.problems``).
  ``quiz import-sheets`` approves, so the built-in sheets give learners
  questions on a fresh install (the pipeline only emits questions that pass
  the checks); ``quiz import-file`` approves only with ``--approve`` or the
  ``AUTO_APPROVE_GENERATED`` setting.
- An instructor's question (``edited_at`` set: written, edited, or carried
  forward by hand from a stale one, see ``services.authoring.stale``) is never
  rewritten, overwritten by a carry-over, or removed by an import.
- An edit waiting for approval (a draft version over the approved one, see
  ``services.authoring.editing``) follows its question: the later revision gets a copy
  of it as the next version of the carried copy, still a draft, so that
  approving it (``approval.approve`` approves every copy of one edit) reaches
  the revision learners are drawn from. Learners keep the approved version meanwhile.

A revision is synced again whenever the one before it changed
(``Revision.previous_generated_hash``), and only real differences are written:
importing twice changes nothing.

Only the import (a command, or the worker) runs this module's code. It reads the
pipeline's diff and checks, plain text rules that load no spaCy (the web loads
them too, for the review queue and the revision diff). The row helpers it shares
with ``sheets`` live in ``row_sync``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from copy import deepcopy
from typing import TYPE_CHECKING, Any

from ...exchange.common import CONTENT_FIELDS
from ...extensions import db
from ...generate.diff import diff_paragraphs, holds
from ...generate.questions.checks import problems
from ...models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    Paragraph,
    Question,
    Revision,
    Sheet,
)
from .row_sync import Tally, _refresh, current_versions, sync_questions

if TYPE_CHECKING:
    from ...generate import Question as GeneratedQuestion

# Copied unchanged from a question to its carried copy: the question itself.
CARRIED_COLUMNS = CONTENT_FIELDS


def previous_revision(sheet: Sheet, position: int, label: str) -> Revision | None:
    """The sheet's revision just before the one at ``position`` labelled ``label``, if any."""
    earlier = [
        revision
        for revision in sheet.revisions
        if revision.label != label and (revision.position, revision.label) < (position, label)
    ]
    return max(earlier, key=lambda revision: (revision.position, revision.label), default=None)


def sync_revision_questions(
    revision: Revision,
    generated: Iterable[GeneratedQuestion],
    paragraphs: dict[str, Paragraph],
    tally: Tally,
    approve: bool = True,
) -> None:
    """Store the questions of ``revision`` (its paragraphs already stored, by anchor).

    A first revision keeps what the pipeline generated. A later one carries
    over the questions its text still proves and flags the others of the
    previous revision as stale. New questions are drafts, or with ``approve``
    approved when they pass the automatic checks.
    """
    status_of = checked_status if approve else draft_status
    previous = previous_revision(revision.sheet, revision.position, revision.label)
    if previous is None:
        sync_questions(revision, generated, paragraphs, tally, status_of=status_of)
        return
    live = [paragraph for paragraph in previous.paragraphs if not paragraph.retired]
    unchanged = diff_paragraphs(live, list(paragraphs.values())).unchanged_anchors
    served = served_versions(previous)
    carried = {
        uid: question
        for uid, question in served.items()
        if question.status != STATUS_RETIRED and holds(stored_evidence(question), unchanged)
    }
    # An instructor's question is theirs: the pipeline may generate its uid again from
    # the text the instructor moved it away from, but never takes it back. Unless
    # carried, it stays stale in the previous revision for the instructor to decide.
    theirs = {uid for uid, question in served.items() if question.edited_at}
    fresh = [item for item in generated if item.id not in carried and item.id not in theirs]
    sync_questions(revision, fresh, paragraphs, tally, keep=carried, status_of=status_of)
    carry_questions(revision, carried.values(), paragraphs, tally)
    pending = pending_edits(previous, carried, unchanged)
    carry_pending_edits(revision, pending, paragraphs, tally)
    flag_stale_questions(previous, unchanged)


def served_versions(revision: Revision) -> dict[str, Question]:
    """By uid, the approved version when there is one, else the newest.

    While an edit waits for approval, learners keep the approved version: that
    is the one a later revision carries, never the pending draft.
    """
    chosen = current_versions(revision)
    for question in revision.questions:
        if question.status == STATUS_APPROVED:
            chosen[question.uid] = question
    return chosen


def pending_edits(
    previous: Revision, carried: dict[str, Question], unchanged: Collection[str]
) -> list[Question]:
    """The draft versions of ``previous`` newer than the carried approved ones they edit.

    Only those whose own evidence the next text leaves unchanged: an edit that
    moved its evidence to a changed paragraph stays behind, flagged stale.
    """
    newest = current_versions(previous)
    return [
        head
        for uid, served in carried.items()
        if (head := newest[uid]) is not served
        and head.status == STATUS_DRAFT
        and served.status == STATUS_APPROVED
        and head.version > served.version
        and holds(stored_evidence(head), unchanged)
    ]


def carry_pending_edits(
    revision: Revision, pending: Iterable[Question], paragraphs: dict[str, Paragraph], tally: Tally
) -> None:
    """Copy each pending edit into ``revision`` as the draft next version of its carried copy.

    Left alone when ``revision`` already holds a version of the question an
    instructor wrote (this copy, made by an earlier import, or their own edit there).
    """
    current = current_versions(revision)
    for edit in pending:
        copy = current.get(edit.uid)
        if copy is None or copy.edited_at is not None:
            continue
        values = carried_values(edit, paragraphs, revision.label) | {
            "version": copy.version + 1,
            "replaces": copy,
            "status": STATUS_DRAFT,
            # Still the instructor's edit: imports leave it alone, its history names them.
            "edited_at": edit.edited_at,
            "edited_by_id": edit.edited_by_id,
        }
        revision.questions.append(Question(**values))
        tally.added += 1
    db.session.flush()


def checked_status(item: GeneratedQuestion) -> str:
    """Approved when the question passes the automatic checks; else a draft to review."""
    return STATUS_DRAFT if problems(item) else STATUS_APPROVED


def draft_status(_item: GeneratedQuestion) -> str:
    """A draft, whatever the question: an instructor approves it in the review queue."""
    return STATUS_DRAFT


def carry_questions(
    revision: Revision,
    origins: Iterable[Question],
    paragraphs: dict[str, Paragraph],
    tally: Tally,
) -> None:
    """Copy ``origins`` (questions of the previous revision) into ``revision``, as they are.

    A copy an instructor made or edited (``edited_at``) is theirs: left as it is.
    """
    existing = current_versions(revision)
    for origin in origins:
        values = carried_values(origin, paragraphs, revision.label)
        question = existing.get(origin.uid)
        if question is not None and question.edited_at is not None:
            tally.unchanged += 1
        elif question is None:
            revision.questions.append(Question(**values))
            tally.added += 1
        else:
            _refresh(question, values, tally)
    db.session.flush()


def carried_values(
    origin: Question, paragraphs: dict[str, Paragraph], label: str
) -> dict[str, Any]:
    """The columns of ``origin``'s copy in the revision ``label`` whose paragraphs are given."""
    paragraph = paragraphs[origin.paragraph.anchor]
    start, end = same_span(
        origin.paragraph.text, paragraph.text, origin.evidence_start, origin.evidence_end
    )
    # Copies, not the origin's lists: JSON columns must not share mutable values.
    values = {name: deepcopy(getattr(origin, name)) for name in CARRIED_COLUMNS}
    return values | {
        "uid": origin.uid,
        "paragraph": paragraph,
        "evidence_start": start,
        "evidence_end": end,
        "item_sources": [moved_source(source, paragraphs, label) for source in origin.item_sources],
        "status": origin.status,
        "stale": False,
        # Always the first row, so every copy of a question leads to the same history.
        "carried_from_id": origin.carried_from_id or origin.id,
    }


def moved_source(
    source: dict[str, Any], paragraphs: dict[str, Paragraph], label: str
) -> dict[str, Any]:
    """An ``order`` question's item source, pointing into revision ``label`` instead."""
    paragraph = paragraphs[source["anchor"]]
    evidence = source["evidence"]
    start, end = same_span(source["paragraph"], paragraph.text, evidence["start"], evidence["end"])
    return source | {
        "revision": label,
        "paragraph": paragraph.text,
        "evidence": {"start": start, "end": end},
    }


def same_span(old_text: str, new_text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``new_text`` covering what ``[start, end)`` covers in ``old_text``.

    Both texts have the same anchor, so they differ at most in white space and
    typographic apostrophes or spaces (folded one for one): the n-th character
    that is not a space is the same in both.
    """
    if old_text == new_text:
        return start, end
    old_marks = [i for i, char in enumerate(old_text) if not char.isspace()]
    new_marks = [i for i, char in enumerate(new_text) if not char.isspace()]
    if len(old_marks) != len(new_marks):  # not the same text after all: keep the span in range
        return min(start, len(new_text)), min(end, len(new_text))
    # How many non-space characters come before each end of the span.
    before_start, before_end = bisect_left(old_marks, start), bisect_left(old_marks, end)
    new_start = new_marks[before_start] if before_start < len(new_marks) else len(new_text)
    new_end = new_marks[before_end - 1] + 1 if before_end else 0
    return new_start, new_end


def flag_stale_questions(previous: Revision, unchanged: Collection[str]) -> None:
    """Flag the questions of ``previous`` whose evidence the next revision changed or removed.

    Not counted in the import report: the flags follow from the rows it counts.
    """
    for question in previous.questions:
        stale = not holds(stored_evidence(question), unchanged)
        if question.stale != stale:
            question.stale = stale
    db.session.flush()


def stored_evidence(question: Question) -> frozenset[str]:
    """Anchors of every paragraph a stored question's proof rests on."""
    item_anchors = (source["anchor"] for source in question.item_sources)
    return frozenset([question.paragraph.anchor, *item_anchors])
