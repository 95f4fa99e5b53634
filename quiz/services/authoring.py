"""The instructor's review of generated questions: automatic checks, the queue, approval.

A question reaches learners only once approved. ``question_checks`` re-runs,
on the stored row, the structural checks the pipeline ran when it emitted the
question, plus one the pipeline cannot know: whether the source paragraph is
still in the latest revision of its sheet. A question failing any check
cannot be approved. Writers only flush; the caller commits once.

Only ``quiz.generate.normalize`` (plain text folding) is imported from the
pipeline, never the modules that load spaCy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, select

from ..extensions import db
from ..generate.normalize import contains_words, fold
from ..models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Paragraph,
    Question,
    Revision,
    Sheet,
)

QUEUE_PAGE_SIZE = 20
TEXT_ANSWER_TYPES = ("mcq", "cloze", "short", "numeric")
CHOICE_TYPES = ("mcq", "true_false", "order")

# Check names, in the order they are shown.
ANSWER_IN_EVIDENCE = "answer_in_evidence"
ANSWER_NOT_IN_PROMPT = "answer_not_in_prompt"
CHOICES_SOUND = "choices_sound"
PARAGRAPH_IN_LATEST = "paragraph_in_latest"

# Messages (English; the views translate them).
PASSED = "passed"
SPAN_OUTSIDE = "evidence span outside its paragraph"
ANSWER_MISSING = "answer not in its evidence"
ANSWER_GIVEN_AWAY = "answer given away in the prompt"
CHOICES_REPEATED = "choices not distinct"
ANSWER_NOT_A_CHOICE = "the answer is not exactly one of the choices"
ORDER_ITEMS_DIFFER = "order choices are not the events to order"
PARAGRAPH_GONE = "paragraph no longer in the latest revision"


@dataclass(frozen=True)
class Check:
    """One automatic check of a question: its name, whether it passed, and why not."""

    name: str
    ok: bool
    message: str


@dataclass(frozen=True)
class QueueFilters:
    """What the review queue shows; ``None`` (or ``False``) means any."""

    sheet: str | None = None
    revision: str | None = None
    type: str | None = None
    tag: str | None = None
    status: str | None = None
    stale: bool = False


@dataclass(frozen=True)
class QueueItem:
    """A question of the queue with its checks."""

    question: Question
    checks: list[Check]

    @property
    def approvable(self) -> bool:
        """Whether every check passed."""
        return all(check.ok for check in self.checks)


@dataclass(frozen=True)
class QueuePage:
    """One page of the review queue."""

    items: list[QueueItem]
    page: int
    pages: int
    total: int


@dataclass
class ReviewOutcome:
    """What a bulk approve or reject changed, and what it refused (id → failed messages)."""

    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)


# Checks -----------------------------------------------------------------------


def question_checks(question: Question) -> list[Check]:
    """The automatic checks that apply to ``question``'s type, computed from its row."""
    paragraph = question.paragraph.text
    start, end = question.evidence_start, question.evidence_end
    span_ok = 0 <= start < end <= len(paragraph)
    evidence = paragraph[start:end] if span_ok else ""
    checks: list[Check] = []
    if question.type in TEXT_ANSWER_TYPES:
        candidates = [str(question.answer), *question.accepted]
        found = span_ok and any(contains_words(evidence, c) for c in candidates)
        missing = ANSWER_MISSING if span_ok else SPAN_OUTSIDE
        checks.append(_check(ANSWER_IN_EVIDENCE, found, missing))
        given_away = any(contains_words(question.prompt, c) for c in candidates)
        checks.append(_check(ANSWER_NOT_IN_PROMPT, not given_away, ANSWER_GIVEN_AWAY))
    if question.type in CHOICE_TYPES:
        problem = _choices_problem(question)
        checks.append(_check(CHOICES_SOUND, problem is None, problem or PASSED))
    checks.append(_check(PARAGRAPH_IN_LATEST, _paragraph_in_latest(question), PARAGRAPH_GONE))
    return checks


def _check(name: str, ok: bool, failure: str) -> Check:
    """A check that says ``passed`` when ``ok`` and ``failure`` otherwise."""
    return Check(name, ok, PASSED if ok else failure)


def _choices_problem(question: Question) -> str | None:
    """What is wrong with the choices of an mcq, true/false or order question, if anything."""
    folded = [fold(choice) for choice in question.choices]
    if len(set(folded)) != len(folded):
        return CHOICES_REPEATED
    if question.type == "order":
        answers = question.answer if isinstance(question.answer, list) else [question.answer]
        if sorted(folded) != sorted(fold(str(item)) for item in answers):
            return ORDER_ITEMS_DIFFER
        return None
    if folded.count(fold(str(question.answer))) != 1:
        return ANSWER_NOT_A_CHOICE
    return None


def _paragraph_in_latest(question: Question) -> bool:
    """Whether the latest revision of the question's sheet has its paragraph's anchor.

    A question an instructor carried forward citing an earlier revision passes:
    it cites that revision on purpose, and says so wherever it is shown.
    """
    if question.paragraph.revision_id != question.revision_id:
        return True
    latest = db.session.scalar(
        select(Revision.id)
        .where(Revision.sheet_id == question.revision.sheet_id)
        .order_by(Revision.position.desc(), Revision.id.desc())
        .limit(1)
    )
    found = db.session.scalar(
        select(Paragraph.id).where(
            Paragraph.revision_id == latest,
            Paragraph.anchor == question.paragraph.anchor,
            Paragraph.retired.is_(False),
        )
    )
    return found is not None


# The queue --------------------------------------------------------------------


def filter_options() -> dict[str, list[str]]:
    """The values each queue filter offers: sheets, revision labels, types and tags present."""
    rows = db.session.execute(
        select(Sheet.slug, Revision.label, Question.type, Question.tags)
        .join(Revision, Question.revision_id == Revision.id)
        .join(Sheet, Revision.sheet_id == Sheet.id)
    ).tuples()
    sheets: set[str] = set()
    revisions: set[str] = set()
    types: set[str] = set()
    tags: set[str] = set()
    for slug, label, kind, question_tags in rows:
        sheets.add(slug)
        revisions.add(label)
        types.add(kind)
        tags.update(question_tags or ())
    return {
        "sheet": sorted(sheets),
        "revision": sorted(revisions),
        "type": sorted(types),
        "tag": sorted(tags),
        "status": [STATUS_DRAFT, STATUS_APPROVED, STATUS_RETIRED],
    }


def review_queue(filters: QueueFilters, page: int = 1) -> QueuePage:
    """One page of the questions ``filters`` select, oldest sheet revision first."""
    rows = db.session.execute(_queue_query(filters)).tuples()
    ids = [qid for qid, tags in rows if filters.tag is None or filters.tag in (tags or ())]
    pages = max(1, math.ceil(len(ids) / QUEUE_PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = ids[(page - 1) * QUEUE_PAGE_SIZE : page * QUEUE_PAGE_SIZE]
    by_id = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(shown)))}
    items = [QueueItem(by_id[qid], question_checks(by_id[qid])) for qid in shown]
    return QueuePage(items=items, page=page, pages=pages, total=len(ids))


def _queue_query(filters: QueueFilters) -> Select[tuple[int, list[str]]]:
    """Ids and tags of the filtered questions (tags are matched in Python: JSON is portable)."""
    query = (
        select(Question.id, Question.tags)
        .join(Revision, Question.revision_id == Revision.id)
        .join(Sheet, Revision.sheet_id == Sheet.id)
        .order_by(Sheet.slug, Revision.position, Question.id)
    )
    if filters.sheet:
        query = query.where(Sheet.slug == filters.sheet)
    if filters.revision:
        query = query.where(Revision.label == filters.revision)
    if filters.type:
        query = query.where(Question.type == filters.type)
    if filters.status:
        query = query.where(Question.status == filters.status)
    else:  # an earlier version of an edited question is history, not work to review
        query = query.where(Question.status != STATUS_SUPERSEDED)
    if filters.stale:
        query = query.where(Question.stale.is_(True))
    return query


# Approval ---------------------------------------------------------------------


def approve(question_ids: Iterable[int]) -> ReviewOutcome:
    """Approve the draft questions that pass every check; refuse the others, saying why.

    Retired questions stay retired (the pipeline no longer produces them). Only
    the newest version of a question is approved, and approving it supersedes
    the versions before it: learners then get the new one.
    """
    outcome = ReviewOutcome()
    for question in _questions(question_ids):
        failed = [check.message for check in question_checks(question) if not check.ok]
        if question.status != STATUS_DRAFT or _has_successor(question):
            outcome.unchanged.append(question.id)
        elif failed:
            outcome.refused[question.id] = failed
        else:
            question.status = STATUS_APPROVED
            _supersede_earlier_versions(question)
            outcome.changed.append(question.id)
    db.session.flush()
    return outcome


def _has_successor(question: Question) -> bool:
    """Whether a newer version of ``question`` exists (a row that replaces it)."""
    found = db.session.scalar(select(Question.id).where(Question.replaces_id == question.id))
    return found is not None


def _supersede_earlier_versions(question: Question) -> None:
    """Mark the versions ``question`` replaces as superseded: never drawn again.

    Their rows stay, so the answers given to them keep the question they answered.
    """
    earlier = question.replaces
    while earlier is not None and earlier.status != STATUS_SUPERSEDED:
        earlier.status = STATUS_SUPERSEDED
        earlier = earlier.replaces


def reject(question_ids: Iterable[int]) -> ReviewOutcome:
    """Send approved questions back to draft, out of learners' sight; others stay as they are."""
    outcome = ReviewOutcome()
    for question in _questions(question_ids):
        if question.status == STATUS_APPROVED:
            question.status = STATUS_DRAFT
            outcome.changed.append(question.id)
        else:
            outcome.unchanged.append(question.id)
    db.session.flush()
    return outcome


def _questions(question_ids: Iterable[int]) -> list[Question]:
    """The questions with these ids, in id order (unknown ids are ignored)."""
    wanted = set(question_ids)
    if not wanted:
        return []
    query = select(Question).where(Question.id.in_(wanted)).order_by(Question.id)
    return list(db.session.scalars(query))
