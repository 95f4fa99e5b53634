"""Questions into the database, for the exchange formats of ``quiz.exchange``.

Export (``select_records``, ``export_file``) lives in ``exporting``.

Import: ``store_records`` adds records as new **draft** questions, each tied
to the revision and paragraph its source names. A record is refused (and so
the whole file, as an import is all or nothing) when its sheet, revision or
paragraph anchor is not in the database: a question must point at the text
that proves it, and quiz cannot invent that text, so the sheet has to be
imported first (``quiz import-sheets``). A record whose id already exists in
that revision is skipped when the learner would see the same question (a
round trip through Moodle, say), and refused when it differs: an import never
overwrites a question that learners may have answered; the edited version
can come in as a draft under a new id.

Files list a question's choices as their writers wrote them (GIFT writers put
``=right`` first), so the choices of an mcq or an order question are stored in
a fixed shuffled order (``editing.shuffled_choices``, as the editor stores
them): the right answer is not always choice 1. Choice order is not content:
a record that differs from a stored version only by it is the same question.

``import_questions`` is what ``quiz import`` and the import page both run:
parse a file, then store its records.

Note: ``quiz import-sheets`` keeps a revision's questions in step with the
pipeline, so it deletes (or retires, if answered) imported questions of a
revision whose sheet file or pipeline changed. The functions only flush; the
caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import exchange
from ...exchange.common import Parsed, Record, learner_view
from ...exchange.errors import ImportErrors
from ...exchange.messages import N_, about
from ...extensions import db
from ...models import STATUS_DRAFT, Paragraph, Question, Revision, Sheet
from ..authoring.editing import shuffled_choices
from ..errors import Invalid
from .citations import resolve_citations
from .exporting import question_record

# Types whose choices are stored shuffled: what the learner picks from must not give the answer.
SHUFFLED_TYPES = ("mcq", "order")


@dataclass
class StoreReport:
    """What ``store_records`` did."""

    added: int = 0
    unchanged: int = 0
    # The new rows, in file order (ids known once flushed).
    question_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ImportedQuestion:
    """A question an import added, with where the review queue shows it."""

    id: int
    uid: str
    type: str
    prompt: str
    lang: str
    sheet: str
    revision: str
    # How many drafts of the same revision come before it (the queue's order is by id).
    drafts_before: int


def store_records(parsed: Sequence[Parsed]) -> StoreReport:
    """Add the records as draft questions, or raise ``ImportErrors`` having added none."""
    report, errors = StoreReport(), []
    resolver = _ParagraphResolver()
    to_add: list[tuple[Record, Paragraph]] = []
    for line, record, citation in parsed:
        try:
            paragraph = _paragraph_for_new_question(record, resolver, citation is not None)
        except Invalid as error:
            errors.append((line, about(record["id"], error.message)))
            continue
        if paragraph is None:
            report.unchanged += 1
        else:
            to_add.append((record, paragraph))
    if errors:
        raise ImportErrors(errors)
    # Rows are built only now: a half-built row would join its revision's questions.
    rows = [_draft_row(record, paragraph) for record, paragraph in to_add]
    db.session.add_all(rows)
    db.session.flush()
    report.added = len(rows)
    report.question_ids = [row.id for row in rows]
    return report


def import_questions(
    format_name: str, data: bytes, default_sheet: str | None = None
) -> StoreReport:
    """Parse a file in ``format_name`` and add its questions as drafts, all or nothing.

    ``ImportErrors`` (every problem, by line) when the file cannot be read or
    any of its records cannot be stored; nothing is added then. Questions of
    an ordinary file that cite no sheet go to ``default_sheet``. Flushes only.
    """
    parsed = resolve_citations(exchange.parse(format_name, data), default_sheet)
    return store_records(parsed)


def imported_questions(question_ids: Sequence[int]) -> list[ImportedQuestion]:
    """The questions an import added, in the given order, with their place among drafts."""
    if not question_ids:
        return []
    questions = db.session.scalars(
        select(Question)
        .where(Question.id.in_(question_ids))
        .options(selectinload(Question.revision).selectinload(Revision.sheet))
    ).all()
    by_id = {question.id: question for question in questions}
    revision_ids = {question.revision_id for question in questions}
    drafts = db.session.execute(
        select(Question.revision_id, Question.id)
        .where(Question.revision_id.in_(revision_ids), Question.status == STATUS_DRAFT)
        .order_by(Question.id)
    ).tuples()
    place: dict[int, int] = {}
    seen: dict[int, int] = {}
    for revision_id, question_id in drafts:
        place[question_id] = seen.get(revision_id, 0)
        seen[revision_id] = place[question_id] + 1
    return [
        ImportedQuestion(
            id=question.id,
            uid=question.uid,
            type=question.type,
            prompt=question.prompt,
            lang=question.lang,
            sheet=question.revision.sheet.slug,
            revision=question.revision.label,
            drafts_before=place.get(question.id, 0),
        )
        for question in (by_id[i] for i in question_ids if i in by_id)
    ]


def _paragraph_for_new_question(
    record: Record, resolver: _ParagraphResolver, teacher_cited: bool = False
) -> Paragraph | None:
    """The paragraph a new question on ``record`` cites; None when it is already stored.

    A ``teacher_cited`` question (of an ordinary file) is already stored when the
    learner is asked the same: the instructor may have moved its evidence since.
    """
    paragraph = resolver.paragraph(record["source"])
    for item_source in record.get("item_sources", []):
        resolver.paragraph(item_source)  # each event must be proven by a known paragraph
    revision = paragraph.revision
    # An edited question keeps its id under a higher version: an export of any
    # of its versions (the approved one while an edit waits, say) comes back unchanged.
    versions = db.session.scalars(
        select(Question).filter_by(revision_id=revision.id, uid=record["id"])
    ).all()
    asked = slice(0, 4) if teacher_cited else slice(None)  # type, prompt, choices, answer
    if any(_same_question(question_record(row), record, asked) for row in versions):
        return None
    if versions:
        raise Invalid(
            N_(
                "already in %(sheet)s revision %(revision)s with other content;"
                " an import never overwrites a question: give the edited one a new id",
                sheet=revision.sheet.slug,
                revision=revision.label,
            )
        )
    return paragraph


def _draft_row(record: Record, paragraph: Paragraph) -> Question:
    """A new draft question row for ``record``, citing ``paragraph``."""
    return Question(
        uid=record["id"],
        revision=paragraph.revision,
        paragraph=paragraph,
        type=record["type"],
        prompt=record["prompt"],
        choices=_stored_choices(record),
        answer=record["answer"],
        accepted=list(record["accepted"]),
        lang=record["lang"],
        tags=list(record["tags"]),
        difficulty=record["difficulty"],
        explanation=record["explanation"],
        evidence_start=record["source"]["evidence"]["start"],
        evidence_end=record["source"]["evidence"]["end"],
        item_sources=list(record.get("item_sources", [])),
        status=STATUS_DRAFT,
    )


def _stored_choices(record: Record) -> list[str]:
    """The record's choices in the order learners see them (see the module's note)."""
    if record["type"] not in SHUFFLED_TYPES:
        return list(record["choices"])
    return shuffled_choices(list(record["choices"]), record["id"], record["type"], record["answer"])


def _same_question(stored: Record, record: Record, asked: slice = slice(None)) -> bool:
    """Whether the learner would see the same question (the ``asked`` parts of it),
    whatever the order of its choices."""
    seen = learner_view(_choices_sorted(stored))
    return seen[asked] == learner_view(_choices_sorted(record))[asked]


def _choices_sorted(record: Record) -> Record:
    """``record`` with its choices in a canonical order."""
    return {**record, "choices": sorted(record["choices"])}


class _ParagraphResolver:
    """Finds the paragraph a source cites, remembering the revisions already looked up."""

    def __init__(self) -> None:
        self._revisions: dict[tuple[str, str], Revision] = {}

    def paragraph(self, source: Record) -> Paragraph:
        """The cited paragraph; ``Invalid`` unless it exists and holds the evidence span."""
        revision = self._revision(source["sheet"], source["revision"])
        paragraph = db.session.scalar(
            select(Paragraph).filter_by(revision_id=revision.id, anchor=source["anchor"])
        )
        if paragraph is None:
            raise Invalid(
                N_(
                    "revision %(revision)s of sheet %(sheet)s has no paragraph %(anchor)s",
                    revision=revision.label,
                    sheet=source["sheet"],
                    anchor=source["anchor"],
                )
            )
        if source["paragraph"] and source["paragraph"] != paragraph.text:
            raise Invalid(
                N_(
                    "the text of paragraph %(anchor)s differs from the sheet's",
                    anchor=paragraph.anchor,
                )
            )
        if source["evidence"]["end"] > len(paragraph.text):
            raise Invalid(
                N_(
                    "the evidence span runs past the end of paragraph %(anchor)s",
                    anchor=paragraph.anchor,
                )
            )
        return paragraph

    def _revision(self, slug: str, label: str) -> Revision:
        """The sheet's revision of that label; ``Invalid`` naming what is missing."""
        key = (slug, label)
        if key not in self._revisions:
            sheet = db.session.scalar(select(Sheet).filter_by(slug=slug))
            if sheet is None:
                raise Invalid(
                    N_(
                        "unknown sheet %(slug)r: import the sheet first (quiz import-sheets)",
                        slug=slug,
                    )
                )
            by_label = {revision.label: revision for revision in sheet.revisions}
            if label not in by_label:
                known = ", ".join(by_label) or N_("none")
                raise Invalid(
                    N_(
                        "sheet %(slug)s has no revision %(label)r (it has: %(known)s)",
                        slug=slug,
                        label=label,
                        known=known,
                    )
                )
            self._revisions[key] = by_label[label]
        return self._revisions[key]
