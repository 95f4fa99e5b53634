"""Questions written or edited by an instructor, and their versions.

Rules (see docs/authoring.md, "Editor and versions"):

- A question nobody has answered and learners cannot see (a draft) is edited
  in place; ``edited_at`` marks it as the instructor's, so imports leave it alone.
- A question learners may meet (approved, or retired but answered) or that
  has answers is never changed: the edit is a new row of the same uid and
  revision, ``version`` + 1, ``replaces_id`` pointing at it, a draft. The old
  row keeps being served until the new version is approved
  (``approval.approve`` then marks it superseded), so learners never see an
  unapproved edit and never lose a question mid-attempt, and every answer
  keeps the exact question it answered.
- Only the newest version of a question (its head) may be edited or approved.
  A form carries a stamp of the row it was opened on: saving over a row that
  has changed or has a newer version since is a conflict, unless the
  submitted content is already what the head holds (a double submit).

Writers only flush; the view commits once.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    Answer,
    Paragraph,
    Question,
    Revision,
    Sheet,
    User,
    utcnow,
)
from ..errors import Invalid, NotFound, ServiceError
from . import approval
from .stale import requoted

UID_TRIES = 5
# Choice types: the learner picks among ``choices``, nothing is typed.
CHOICE_TYPES = ("mcq", "true_false", "order")


class EditConflict(ServiceError):
    """The question changed, or got a newer version, since the form was opened."""

    def __init__(self, message: str, current: Question) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class QuestionContent:
    """What an instructor writes: a question's content and the span that proves it.

    ``choices`` of an mcq are the answer and the wrong choices in any order
    (they are shuffled when stored); ``answer`` is a list for ``order``.
    """

    type: str
    prompt: str
    choices: list[str]
    answer: Any
    accepted: list[str]
    lang: str
    tags: list[str]
    difficulty: float
    explanation: str
    paragraph_id: int
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class EditOutcome:
    """The row that holds the edit, and whether it is a new version or anything changed."""

    question: Question
    new_version: bool
    changed: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One version of a question as its history lists it."""

    question: Question
    when: datetime
    editor: str | None  # None: as generated or imported
    answers: int


# Reading ----------------------------------------------------------------------


def get_question(question_id: int) -> Question:
    """The question row with this id; ``NotFound`` if there is none."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound("Cette question n'existe pas.")
    return question


def versions(question: Question) -> list[Question]:
    """Every version of ``question`` in its revision (same uid), oldest first."""
    query = (
        select(Question)
        .where(Question.revision_id == question.revision_id, Question.uid == question.uid)
        .order_by(Question.version, Question.id)
    )
    return list(db.session.scalars(query))


def head_version(question: Question) -> Question:
    """The newest version of ``question``: the only one that may be edited or approved."""
    return versions(question)[-1]


def is_head(question: Question) -> bool:
    """Whether no newer version of ``question`` exists."""
    return head_version(question).id == question.id


def served_version(question: Question) -> Question | None:
    """The version of ``question`` learners are drawn today (approved), if any."""
    return next((row for row in versions(question) if row.status == STATUS_APPROVED), None)


def history(question: Question) -> list[HistoryEntry]:
    """The versions of ``question``, oldest first, with when, by whom and how often answered."""
    rows = versions(question)
    ids = [row.id for row in rows]
    counts: dict[int, int] = dict(
        db.session.execute(  # type: ignore[arg-type]
            select(Answer.question_id, func.count())
            .where(Answer.question_id.in_(ids))
            .group_by(Answer.question_id)
        ).all()
    )
    editor_ids = {row.edited_by_id for row in rows if row.edited_by_id is not None}
    named = db.session.execute(select(User.id, User.username).where(User.id.in_(editor_ids)))
    names: dict[int, str] = {row.id: row.username for row in named}
    return [
        HistoryEntry(
            question=row,
            when=row.edited_at or row.created_at,
            editor=names.get(row.edited_by_id) if row.edited_by_id is not None else None,
            answers=counts.get(row.id, 0),
        )
        for row in rows
    ]


def has_answers(question: Question) -> bool:
    """Whether any learner answered this very row."""
    found = db.session.scalar(select(Answer.id).where(Answer.question_id == question.id).limit(1))
    return found is not None


def editable_paragraphs(revision: Revision, cited: Paragraph | None = None) -> list[Paragraph]:
    """Paragraphs a question of ``revision`` may cite: the quizzable ones still shown.

    ``cited`` (the paragraph a question already cites) is always offered, so an
    edit never has to move the evidence.
    """
    rows = [p for p in revision.paragraphs if p.quizzable and not p.retired]
    if cited is not None and cited not in rows:
        rows = sorted([*rows, cited], key=lambda paragraph: paragraph.index)
    return rows


def sheets_with_revisions() -> list[Sheet]:
    """Every sheet (by title), for choosing where a new question goes."""
    return list(db.session.scalars(select(Sheet).order_by(Sheet.title, Sheet.slug)))


def stamp(question: Question) -> str:
    """A fingerprint of the row as a form shows it: any save or new version changes it."""
    payload = {"id": question.id, "version": question.version, **_columns_of(question)}
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def content_of(question: Question) -> QuestionContent:
    """The editable content of a stored question."""
    return QuestionContent(
        type=question.type,
        prompt=question.prompt,
        choices=list(question.choices),
        answer=list(question.answer) if isinstance(question.answer, list) else question.answer,
        accepted=list(question.accepted),
        lang=question.lang,
        tags=list(question.tags),
        difficulty=question.difficulty,
        explanation=question.explanation,
        paragraph_id=question.paragraph_id,
        evidence_start=question.evidence_start,
        evidence_end=question.evidence_end,
    )


# Writing ----------------------------------------------------------------------


def create_question(revision: Revision, content: QuestionContent, editor_id: int) -> Question:
    """A new draft question of ``revision``, version 1, with a fresh uid."""
    uid = _new_uid(revision)
    question = Question(
        uid=uid,
        revision=revision,
        status=STATUS_DRAFT,
        version=1,
        edited_at=utcnow(),
        edited_by_id=editor_id,
        **_stored_values(content, uid, previous=None, revision_id=revision.id),
    )
    db.session.add(question)
    db.session.flush()
    return question


def edit_question(
    question: Question, content: QuestionContent, editor_id: int, base_stamp: str
) -> EditOutcome:
    """Save ``content`` over ``question`` as opened with ``base_stamp`` (see the module rules).

    ``EditConflict`` when the row changed or has a newer version since, unless
    the head version already holds exactly ``content`` (the same form sent twice).
    """
    head = head_version(question)
    if head.id != question.id or stamp(question) != base_stamp:
        if _holds(head, content):
            return EditOutcome(head, new_version=False, changed=False)
        raise EditConflict(
            "Cette question a changé depuis l'ouverture du formulaire.", current=head
        )
    if _holds(question, content):
        return EditOutcome(question, new_version=False, changed=False)
    if question.status in (STATUS_APPROVED, STATUS_RETIRED) or has_answers(question):
        return EditOutcome(_new_version(question, content, editor_id), True, True)
    values = _stored_values(content, question.uid, question, question.revision_id)
    for name, value in values.items():
        setattr(question, name, value)
    question.edited_at, question.edited_by_id = utcnow(), editor_id
    db.session.flush()
    return EditOutcome(question, new_version=False, changed=True)


def approve_version(question: Question) -> approval.ReviewOutcome:
    """Approve this version if it is the head and passes every check (see ``approval.approve``)."""
    return approval.approve([question.id])


def _new_version(question: Question, content: QuestionContent, editor_id: int) -> Question:
    """A draft row of ``question``'s uid holding ``content``: the next version."""
    row = Question(
        uid=question.uid,
        revision_id=question.revision_id,
        status=STATUS_DRAFT,
        version=question.version + 1,
        replaces_id=question.id,
        # The lineage across revisions and the staleness of this revision's text carry over.
        carried_from_id=question.carried_from_id,
        stale=question.stale,
        edited_at=utcnow(),
        edited_by_id=editor_id,
        **_stored_values(content, question.uid, question, question.revision_id),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _holds(question: Question, content: QuestionContent) -> bool:
    """Whether the row already stores ``content`` (choices in its order)."""
    wanted = _stored_values(content, question.uid, question, question.revision_id)
    return all(getattr(question, name) == value for name, value in wanted.items())


def _columns_of(question: Question) -> dict[str, Any]:
    """The editable columns of a row, for its stamp."""
    values = asdict(content_of(question))
    values["item_sources"] = question.item_sources
    return values


def _stored_values(
    content: QuestionContent, uid: str, previous: Question | None, revision_id: int
) -> dict[str, Any]:
    """The columns a row of ``revision_id`` holding ``content`` gets, after ``previous``."""
    values = asdict(content)
    # The relationship, not the bare id: checks read ``question.paragraph`` before any reload.
    cited = previous.paragraph_id if previous is not None else None
    values["paragraph"] = _paragraph(revision_id, values.pop("paragraph_id"), cited)
    same_answer = previous is not None and previous.answer == content.answer
    if content.type in CHOICE_TYPES:
        # Nothing is typed: accepted forms only matter to the checks; keep the old ones
        # while the answer stands (generated mcq list the answer itself).
        values["accepted"] = list(previous.accepted) if previous and same_answer else []
    if content.type == "mcq":
        values["choices"] = _arranged(content.choices, previous, uid, content)
    elif content.type == "order":
        values["choices"] = _arranged(content.answer, previous, uid, content)
    if previous is not None and set(previous.tags) == set(content.tags):
        values["tags"] = list(previous.tags)  # same topics: keep their stored order
    values["item_sources"] = _item_sources(content, previous)
    if previous is not None and content.explanation == previous.explanation:
        values["explanation"] = _requoted(previous, values["paragraph"], content)
    return values


def _requoted(previous: Question, paragraph: Paragraph, content: QuestionContent) -> str:
    """The explanation, quoting the new evidence if the instructor moved it and left the
    explanation as it was: generated explanations quote their evidence word for word."""
    moved = (previous.paragraph_id, previous.evidence_start, previous.evidence_end) != (
        paragraph.id,
        content.evidence_start,
        content.evidence_end,
    )
    if not moved:
        return content.explanation
    return requoted(previous, paragraph.text[content.evidence_start : content.evidence_end])


def _paragraph(revision_id: int, paragraph_id: int, cited: int | None) -> Paragraph:
    """The paragraph ``paragraph_id`` of the revision, or the one the question already
    ``cited`` (a stale question carried forward may cite its old revision's text)."""
    paragraph = db.session.get(Paragraph, paragraph_id)
    if paragraph is None or (paragraph.revision_id != revision_id and paragraph_id != cited):
        raise Invalid("Ce paragraphe n'appartient pas à cette révision de la fiche.")
    return paragraph


def _arranged(
    choices: list[str], previous: Question | None, uid: str, content: QuestionContent
) -> list[str]:
    """The choices as learners see them: the previous order when they are the same
    choices, else a fixed shuffle (an mcq's answer must not always come first)."""
    if previous is not None and sorted(previous.choices) == sorted(choices):
        return list(previous.choices)
    return shuffled_choices(choices, uid, content.type, content.answer)


def shuffled_choices(choices: list[str], uid: str, question_type: str, answer: Any) -> list[str]:
    """``choices`` in a fixed shuffled order, the same for the same question every time.

    Seeded by the question's id and (for an mcq) its answer, so the editor and
    the import place the right answer anywhere, never always first, and saving
    or importing twice gives the same order.
    """
    seed = f"{uid}:order" if question_type == "order" else f"{uid}:{answer}"
    shuffled = list(choices)
    random.Random(seed).shuffle(shuffled)
    return shuffled


def _item_sources(content: QuestionContent, previous: Question | None) -> list[dict[str, Any]]:
    """Where each event of an ``order`` question is dated, in answer order.

    Kept (reordered along) while the events are the same ones; an event the
    instructor wrote has no known source, so the list is dropped then.
    """
    if content.type != "order" or previous is None or previous.type != "order":
        return []
    old_items, old_sources = previous.answer, previous.item_sources
    if len(old_items) != len(old_sources):
        return []
    by_item = dict(zip(old_items, old_sources, strict=True))
    if not all(item in by_item for item in content.answer):
        return []
    return [by_item[item] for item in content.answer]


def _new_uid(revision: Revision) -> str:
    """A question id in the pipeline's format (``q-`` + 12 hex digits), unused in ``revision``."""
    for _ in range(UID_TRIES):
        uid = f"q-{secrets.token_hex(6)}"
        taken = db.session.scalar(
            select(Question.id).where(Question.revision_id == revision.id, Question.uid == uid)
        )
        if taken is None:
            return uid
    raise RuntimeError("no free question id")  # 48 random bits: never in practice
