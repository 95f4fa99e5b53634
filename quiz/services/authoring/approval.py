"""The instructor's review of generated questions: automatic checks, the queue, approval.

A question reaches learners only once approved. ``question_checks`` runs, on
the stored row, every check of the pipeline's registry
(``quiz.generate.questions.checks``: the same rules judge generated and
hand-written questions), plus the one the pipeline cannot know: whether a
question of the latest revision still finds its paragraph there. A question
failing any check cannot be approved. Writers only flush; the caller commits once.

The registry is plain text rules: importing it loads neither spaCy nor the
parser (``tests/test_author_pages.py`` makes sure).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select

from ...exchange.common import CONTENT_FIELDS
from ...extensions import db
from ...generate.model import Span
from ...generate.questions.check_registry import CHECKS, Checked, Finding
from ...generate.questions.checks import findings
from ...models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Question,
    Revision,
    Sheet,
)

QUEUE_PAGE_SIZE = 20
TEXT_ANSWER_TYPES = ("mcq", "cloze", "short", "numeric")

# The check only the database can run, shown after the registry's.
PARAGRAPH_IN_LATEST = "paragraph_in_latest"

# Messages (English; the views translate them, and the registry's messages too).
PASSED = "passed"
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

    @property
    def needs_attention(self) -> bool:
        """An approved question failing a check: learners still get it until an
        instructor edits it or sends it back to draft (a check added or tightened
        after its approval, or a later import that retired its paragraph)."""
        return self.question.status == STATUS_APPROVED and not self.approvable


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
    # Approved id → labels of the other revisions where the same edit was approved with it.
    also_in: dict[int, list[str]] = field(default_factory=dict)


# Checks -----------------------------------------------------------------------


def check_names() -> list[str]:
    """Every check's name, in the order they are shown: the registry's, then the database's."""
    return [*CHECKS, PARAGRAPH_IN_LATEST]


def question_checks(question: Question) -> list[Check]:
    """Every automatic check of ``question``, computed from its row, in ``check_names`` order.

    A check that passes gives one ``Check`` saying ``passed``; one that fails
    gives one per reason (two wrong choices that break agreement: two lines).
    """
    failed = findings(checked_row(question))
    if not _paragraph_in_latest(question):
        failed.append(Finding(PARAGRAPH_IN_LATEST, PARAGRAPH_GONE))
    checks: list[Check] = []
    for name in check_names():
        reasons = [finding.message for finding in failed if finding.check == name]
        checks += [Check(name, False, reason) for reason in reasons] or [Check(name, True, PASSED)]
    return checks


def checked_row(question: Question) -> Checked:
    """A stored question as the registry's checks read it (``Checked``).

    An order question's events take their dates from its item sources' optional
    ``"date"``. One written or edited by hand has no item sources: its single
    evidence span is the source of every event (``docs/authoring.md``).
    """
    answer = _answer(question.answer, question.type)
    sources = question.item_sources if isinstance(question.item_sources, list) else []
    if question.type == "order" and not sources:
        item_dates: list[str | None] = [None] * len(answer)
    else:
        item_dates = [_source_date(source) for source in sources]
    return Checked(
        type=question.type,
        prompt=question.prompt or "",
        answer=answer,
        accepted=[str(form) for form in question.accepted or ()],
        choices=[str(choice) for choice in question.choices or ()],
        lang=question.lang,
        paragraph=question.paragraph.text,
        evidence=Span(question.evidence_start, question.evidence_end),
        item_dates=item_dates,
    )


def _answer(stored: Any, question_type: str) -> str | list[str]:
    """The stored answer as the checks read it: the events as strings for an order
    question, else a string (whatever a malformed row holds, so that no check breaks)."""
    items = stored if isinstance(stored, list) else [] if stored is None else [stored]
    if question_type == "order":
        return [str(item) for item in items]
    return " ".join(str(item) for item in items)


def _source_date(source: Any) -> str | None:
    """An item source's ``"date"``, None when it has none (or is not a source object)."""
    date = source.get("date") if isinstance(source, dict) else None
    return date if isinstance(date, str) and date.strip() else None


def _paragraph_in_latest(question: Question) -> bool:
    """Whether a question of the latest revision of its sheet finds its paragraph there.

    A question of an earlier revision passes: it was written for that revision,
    whose text holds its paragraph, and only quizzes on that revision ask it (a
    later text that changed the paragraph flags it stale instead). A question an
    instructor carried forward citing an earlier revision passes too: it cites
    that revision on purpose, and says so wherever it is shown.
    """
    if question.paragraph.revision_id != question.revision_id:
        return True
    latest = db.session.scalar(
        select(Revision.id)
        .where(Revision.sheet_id == question.revision.sheet_id)
        .order_by(Revision.position.desc(), Revision.id.desc())
        .limit(1)
    )
    # Its paragraph is of its own revision: the latest holds it unless an import retired it.
    return question.revision_id != latest or not question.paragraph.retired


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
    the versions before it: learners then get the new one. An edit a new
    revision carried along (``revisions.carry_pending_edits``) is one edit in
    several revisions: its copies that pass their checks are approved with it.
    """
    outcome = ReviewOutcome()
    for question in _questions(question_ids):
        failed = [check.message for check in question_checks(question) if not check.ok]
        if question.status != STATUS_DRAFT or _has_successor(question):
            outcome.unchanged.append(question.id)
        elif failed:
            outcome.refused[question.id] = failed
        else:
            _approve_version(question)
            outcome.changed.append(question.id)
            copies = [copy for copy in same_edit_elsewhere(question) if _passes(copy)]
            for copy in copies:
                _approve_version(copy)
            if copies:
                outcome.also_in[question.id] = [copy.revision.label for copy in copies]
    db.session.flush()
    return outcome


def same_edit_elsewhere(question: Question) -> list[Question]:
    """The pending copies of the edit ``question`` holds in the other revisions of its sheet.

    A pending edit is a draft newer version (``replaces_id`` set) with no newer
    version of its own; a copy holds the same content (evidence aside: each
    cites its own revision's paragraph).
    """
    if question.replaces_id is None:
        return []
    rows = db.session.scalars(
        select(Question)
        .join(Revision, Question.revision_id == Revision.id)
        .where(
            Revision.sheet_id == question.revision.sheet_id,
            Question.revision_id != question.revision_id,
            Question.uid == question.uid,
            Question.status == STATUS_DRAFT,
            Question.replaces_id.is_not(None),
        )
        .order_by(Revision.position, Question.id)
    )
    return [
        row
        for row in rows
        if not _has_successor(row) and _content(row) == _content(question)
    ]


def pending_edit_count(revision: Revision) -> int:
    """How many edits of ``revision``'s questions wait for approval (draft newer versions)."""
    return sum(
        1
        for question in revision.questions
        if question.status == STATUS_DRAFT and question.replaces_id is not None
    )


def _content(question: Question) -> tuple[Any, ...]:
    """What a question asks and answers, whatever paragraph cites it."""
    return tuple(getattr(question, name) for name in CONTENT_FIELDS)


def _passes(question: Question) -> bool:
    """Whether ``question`` passes every automatic check."""
    return all(check.ok for check in question_checks(question))


def _approve_version(question: Question) -> None:
    """Approve ``question`` and supersede the versions it replaces."""
    question.status = STATUS_APPROVED
    _supersede_earlier_versions(question)


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
