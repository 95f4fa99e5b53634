"""Stale questions: an instructor carries each one forward, or retires it.

When a new revision changes or removes the paragraph a question cites, the
import leaves the question with its old revision, flagged ``stale``
(``services.revisions``): still true of that text, never in the latest
revision's quizzes. A stale question stays **open** until an instructor decides:

- ``carry_repointed``: the latest revision gets a copy citing a span of one of
  its own paragraphs, a span that must hold the answer. The instructor has
  just checked that evidence, so the copy is approved when the question was,
  it passes every automatic check (``authoring.question_checks``) and what its
  prompt quotes of the sheet still reads so in the new span (``quotes_hold``);
  a draft for the review queue otherwise. Its explanation quotes the new span.
- ``carry_citing_old``: the latest revision gets a copy that still cites the
  old paragraph (its ``paragraph_id`` stays on the old revision), status
  kept: what it asks is still true of the revision it cites, which learners
  see named beside the source.
- ``retire``: the question is never asked again.

Copies follow the import's conventions: same uid and content, ``stale``
false, ``carried_from_id`` naming the row the question was first stored as;
the answers given before stay on the old row. Every decision sets
``edited_at``, so that a later import leaves the row alone. A question is no
longer open once it is retired or a later revision holds a question of its
uid (carried by hand or by an import, or generated again), so deciding twice
is refused with ``AlreadyDecided`` and changes nothing.

Writers only flush; the view commits once. Only ``quiz.generate.normalize``
(text folding) is used from the pipeline, never the modules that load spaCy.
"""

from __future__ import annotations

import math
import re
from copy import deepcopy
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import func, select

from ...exchange.common import CONTENT_FIELDS
from ...extensions import db
from ...generate.normalize import contains_words, fold
from ...models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Paragraph,
    Question,
    Revision,
    Sheet,
    utcnow,
)
from ..errors import Invalid, NotFound, ServiceError
from ..library.sheet_pages import find_revision
from .approval import TEXT_ANSWER_TYPES, question_checks

TRUE_WORDS = ("Vrai", "True")  # the answers of a true statement, in French and English

STALE_PAGE_SIZE = 10
MAX_CANDIDATES = 3
# Below this a paragraph is shown as a candidate only if it holds the answer.
MIN_SIMILARITY = 0.5
# An ``order`` question cites one paragraph per event: it cannot move to a single span.
NOT_REPOINTABLE = ("order",)
# A sentence ends after . ! ? or …, and the closing quotes that follow (French puts a
# space before »), when white space or the end of the text comes next.
_SENTENCE_END = re.compile(r"[.!?…]+(?:\s*[»\"')\]])*(?=\s|$)")

# Why a re-pointed span is refused (English; the views translate them), by field.
NOT_A_CHOICE = "not a paragraph of the latest revision"
ORDER_QUESTION = "an ordering question cannot be re-pointed"
START_OUTSIDE = "the start lies outside the paragraph"
END_OUTSIDE = "the end lies outside the paragraph or before the start"
ANSWER_OUTSIDE = "the answer is not inside this span"


class AlreadyDecided(ServiceError):
    """The question was already carried forward or retired: nothing more to do."""


class SpanRejected(Invalid):
    """The re-pointed evidence does not hold: ``errors`` maps form fields to reasons."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Candidate:
    """A paragraph of the latest revision that may now state what a stale question asks."""

    paragraph: Paragraph
    similarity: float  # 0 to 1, to the question's old paragraph
    span: tuple[int, int] | None  # the suggested evidence: a sentence holding the answer
    has_answer: bool


@dataclass(frozen=True)
class StaleItem:
    """An open stale question with the paragraphs it could be re-pointed to, best first."""

    question: Question
    candidates: list[Candidate]
    best: Candidate | None

    @property
    def repointable(self) -> bool:
        """Whether the question can cite a single new span."""
        return self.question.type not in NOT_REPOINTABLE


@dataclass(frozen=True)
class StaleList:
    """One page of a sheet's open stale questions (of one revision, or of all)."""

    sheet: Sheet
    latest: Revision
    revision: Revision | None  # the revision asked for; None: every revision
    items: list[StaleItem]
    targets: list[Paragraph]  # the latest revision's paragraphs a question may cite
    page: int
    pages: int
    total: int


def stale_list(
    slug: str, label: str | None = None, page: int = 1, showing: int | None = None
) -> StaleList:
    """The open stale questions of a sheet, or of its revision ``label``; ``NotFound`` else.

    ``showing``: a question id; the page is the one that lists it, if any.
    """
    latest = find_revision(slug)
    revision = find_revision(slug, label) if label else None
    sheet = latest.sheet
    questions = open_stale_questions(sheet, revision)
    ids = [question.id for question in questions]
    if showing in ids:
        page = ids.index(showing) // STALE_PAGE_SIZE + 1
    pages = max(1, math.ceil(len(questions) / STALE_PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = questions[(page - 1) * STALE_PAGE_SIZE : page * STALE_PAGE_SIZE]
    targets = [p for p in latest.paragraphs if p.quizzable and not p.retired]
    items = [stale_item(question, targets) for question in shown]
    return StaleList(sheet, latest, revision, items, targets, page, pages, len(questions))


def open_stale_questions(sheet: Sheet, revision: Revision | None = None) -> list[Question]:
    """The sheet's stale questions nobody decided about, oldest revision first."""
    query = (
        select(Question)
        .join(Revision, Question.revision_id == Revision.id)
        .where(Revision.sheet_id == sheet.id, Question.stale.is_(True))
        .where(Question.status.not_in([STATUS_RETIRED, STATUS_SUPERSEDED]))
        .order_by(Revision.position, Question.id)
    )
    if revision is not None:
        query = query.where(Question.revision_id == revision.id)
    newest = _newest_positions(sheet.id)
    return [
        question
        for question in db.session.scalars(query)
        if newest[(sheet.id, question.uid)] <= question.revision.position
    ]


def open_stale_counts() -> dict[int, int]:
    """How many open stale questions each revision holds, by revision id (every sheet)."""
    newest = _newest_positions()
    rows = db.session.execute(
        select(Question.revision_id, Question.uid, Revision.sheet_id, Revision.position)
        .join(Revision, Question.revision_id == Revision.id)
        .where(Question.stale.is_(True))
        .where(Question.status.not_in([STATUS_RETIRED, STATUS_SUPERSEDED]))
    ).tuples()
    counts: dict[int, int] = {}
    for revision_id, uid, sheet_id, position in rows:
        if newest[(sheet_id, uid)] <= position:
            counts[revision_id] = counts.get(revision_id, 0) + 1
    return counts


def _newest_positions(sheet_id: int | None = None) -> dict[tuple[int, str], int]:
    """The position of the newest revision holding each uid, by (sheet id, uid)."""
    query = (
        select(Revision.sheet_id, Question.uid, func.max(Revision.position))
        .join(Revision, Question.revision_id == Revision.id)
        .where(Question.status != STATUS_SUPERSEDED)
        .group_by(Revision.sheet_id, Question.uid)
    )
    if sheet_id is not None:
        query = query.where(Revision.sheet_id == sheet_id)
    return {(sheet, uid): position for sheet, uid, position in db.session.execute(query).tuples()}


def stale_item(question: Question, targets: list[Paragraph]) -> StaleItem:
    """``question`` with the closest paragraphs of ``targets`` to its old one."""
    old = fold(question.paragraph.text)
    forms = answer_forms(question)
    scored = []
    for paragraph in targets:
        similarity = round(fuzz.ratio(old, fold(paragraph.text)) / 100, 2)
        has_answer = any(contains_words(paragraph.text, form) for form in forms)
        span = suggested_span(question, paragraph.text)
        scored.append(Candidate(paragraph, similarity, span, has_answer))
    scored.sort(key=lambda candidate: (-candidate.similarity, candidate.paragraph.index))
    shown = [c for c in scored if c.similarity >= MIN_SIMILARITY or c.has_answer]
    best = next((c for c in shown if c.has_answer or not forms), None)
    candidates = shown[:MAX_CANDIDATES]
    if best is not None and best not in candidates:
        candidates.append(best)
    return StaleItem(question, candidates, best)


def answer_forms(question: Question) -> list[str]:
    """The answers the evidence must hold (none for true/false and ordering questions)."""
    if question.type not in TEXT_ANSWER_TYPES:
        return []
    return [str(question.answer), *question.accepted]


def suggested_span(question: Question, text: str) -> tuple[int, int] | None:
    """The sentence of ``text`` that best matches the old evidence and holds the answer."""
    old = question.paragraph.text[question.evidence_start : question.evidence_end]
    forms = answer_forms(question)
    sentences = [
        (start, end)
        for start, end in sentence_spans(text)
        if not forms or any(contains_words(text[start:end], form) for form in forms)
    ]
    if not sentences:
        return None
    return max(sentences, key=lambda span: fuzz.ratio(fold(old), fold(text[span[0] : span[1]])))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans of the sentences of ``text`` (cut after . ! ? … and closing quotes)."""
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            spans.append((start, match.end()))
        rest = text[match.end() :]
        start = match.end() + len(rest) - len(rest.lstrip())
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def repoint_errors(
    question: Question, paragraph: Paragraph | None, latest: Revision, start: int, end: int
) -> dict[str, str]:
    """What is wrong with citing ``[start, end)`` of ``paragraph`` for ``question``, by field."""
    if question.type in NOT_REPOINTABLE:
        return {"paragraph": ORDER_QUESTION}
    if paragraph is None or paragraph.revision_id != latest.id or paragraph.retired:
        return {"paragraph": NOT_A_CHOICE}
    if not 0 <= start < len(paragraph.text):
        return {"start": START_OUTSIDE}
    if not start < end <= len(paragraph.text):
        return {"end": END_OUTSIDE}
    forms = answer_forms(question)
    evidence = paragraph.text[start:end]
    if forms and not any(contains_words(evidence, form) for form in forms):
        return {"start": ANSWER_OUTSIDE}
    return {}


# Decisions --------------------------------------------------------------------------


def carry_repointed(
    question_id: int,
    paragraph_id: int,
    start: int,
    end: int,
    user_id: int | None,
    slug: str | None = None,
) -> Question:
    """Copy the stale question into the latest revision, citing ``[start, end)`` of a paragraph.

    ``SpanRejected`` when the span does not hold; the copy's status is
    explained in the module's docstring. ``slug``: the sheet it must be of.
    """
    question, latest = open_question(question_id, slug)
    paragraph = db.session.get(Paragraph, paragraph_id)
    errors = repoint_errors(question, paragraph, latest, start, end)
    if errors or paragraph is None:
        raise SpanRejected(errors)
    copy = _copy(question, latest, paragraph, (start, end), user_id)
    copy.explanation = requoted(question, paragraph.text[start:end])
    db.session.flush()
    sound = all(check.ok for check in question_checks(copy))
    still_quoted = quotes_hold(copy, paragraph.text[start:end])
    approved = sound and still_quoted and question.status == STATUS_APPROVED
    copy.status = STATUS_APPROVED if approved else STATUS_DRAFT
    db.session.flush()
    return copy


def carry_citing_old(question_id: int, user_id: int | None, slug: str | None = None) -> Question:
    """Copy the stale question into the latest revision, still citing its old paragraph."""
    question, latest = open_question(question_id, slug)
    span = (question.evidence_start, question.evidence_end)
    copy = _copy(question, latest, question.paragraph, span, user_id)
    db.session.flush()
    return copy


def retire(question_id: int, user_id: int | None, slug: str | None = None) -> Question:
    """Retire the stale question: never asked again (its answers stay)."""
    question, _latest = open_question(question_id, slug)
    question.status = STATUS_RETIRED
    question.edited_at, question.edited_by_id = utcnow(), user_id
    db.session.flush()
    return question


def open_question(question_id: int, slug: str | None = None) -> tuple[Question, Revision]:
    """The open stale question ``question_id`` (of the sheet ``slug``) and the latest revision.

    ``NotFound`` unless it is a stale question (of that sheet); ``AlreadyDecided``
    once it was carried forward or retired.
    """
    question = db.session.get(Question, question_id)
    if question is None or not question.stale or question.status == STATUS_SUPERSEDED:
        raise NotFound("no stale question with this id")
    if slug is not None and question.revision.sheet.slug != slug:
        raise NotFound("no stale question with this id in this sheet")
    if question.status == STATUS_RETIRED:
        raise AlreadyDecided("this question is retired")
    latest = question.revision.sheet.revisions[-1]
    if question.revision_id == latest.id:  # flagged by hand: no later revision to carry it to
        raise NotFound("no stale question with this id")
    if question not in open_stale_questions(question.revision.sheet, question.revision):
        raise AlreadyDecided("a later revision already has this question")
    return question, latest


def _copy(
    origin: Question,
    revision: Revision,
    paragraph: Paragraph,
    span: tuple[int, int],
    user_id: int | None,
) -> Question:
    """A copy of ``origin`` in ``revision`` citing ``span`` of ``paragraph``, by an instructor."""
    # Copies, not the origin's lists: JSON columns must not share mutable values.
    values = {name: deepcopy(getattr(origin, name)) for name in CONTENT_FIELDS}
    # No flush before the row is whole (a backref may load a collection meanwhile).
    with db.session.no_autoflush:
        copy = Question(
            **values,
            uid=origin.uid,
            revision=revision,
            paragraph=paragraph,
            evidence_start=span[0],
            evidence_end=span[1],
            item_sources=deepcopy(origin.item_sources),
            status=origin.status,
            stale=False,
            carried_from_id=origin.carried_from_id or origin.id,
            edited_at=utcnow(),
            edited_by_id=user_id,
        )
        db.session.add(copy)
    return copy


QUOTED = re.compile(r"«\s*(.+?)\s*»", re.S)
BLANK = re.compile(r"_{3,}")


def quotes_hold(question: Question, evidence: str) -> bool:
    """Whether what the prompt quotes of the sheet is still what ``evidence`` says.

    Prompts often quote the evidence sentence (« … _____ … »). Re-pointed to a
    sentence the new revision changed, the quote would misstate the sheet, and
    a true/false statement may have turned false: such a copy waits as a draft
    for the instructor to rewrite it in the editor. A prompt quoting nothing,
    and a true/false question whose statement is false by design ("Faux"),
    cannot be judged here: true/false copies are then drafts too.
    """
    quotes = QUOTED.findall(question.prompt)
    if question.type == "true_false" and (not quotes or question.answer not in TRUE_WORDS):
        return False
    answer = question.answer if isinstance(question.answer, str) else ""
    return all(contains_words(evidence, BLANK.sub(answer, quote)) for quote in quotes)


def requoted(question: Question, evidence: str) -> str:
    """The question's explanation quoting ``evidence`` instead of its old evidence."""
    old = " ".join(question.paragraph.text[question.evidence_start : question.evidence_end].split())
    new = " ".join(evidence.split())
    if old and old in question.explanation:
        return question.explanation.replace(old, new)
    return question.explanation
