"""Assignments: a fixed set of approved questions given to a class, open between two times.

The set is chosen once, when the assignment is made: drawn from a revision by
count, types and topics (the draw's rules hold: no question gives another
away), or picked by hand. Every student gets that set; with ``shuffle`` each
attempt asks it in its own order. Taking it is an ordinary attempt (see
``quiz.class_models``), answered through the study pages or the API, where
``deadlines`` refuses what comes too late.

Starting is safe to repeat: an attempt under way is resumed, and two starts
racing each other make one attempt (the unique attempt number decides).
Services flush; the caller commits.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ...class_models import (
    ASSIGNMENT_TITLE_MAX_LENGTH,
    MAX_ASSIGNMENT_QUESTIONS,
    MAX_ATTEMPTS_ALLOWED,
    MAX_TIME_LIMIT_MINUTES,
    Assignment,
    AssignmentAttempt,
    Classroom,
)
from ...extensions import db
from ...models import STATUS_APPROVED, Attempt, Question, Revision, User, as_utc
from ..database import insert_unless_duplicate
from ..errors import Invalid, NotFound
from ..library.sheet_pages import find_revision
from ..study import deadlines
from ..study.attempts import SEED_LIMIT
from ..study.deadlines import CLOSED, NO_ATTEMPTS_LEFT, NOT_OPEN, AttemptWindow, refusal
from ..study.drawing import draw_from, revision_pool
from . import classes


@dataclass(frozen=True)
class Schedule:
    """When and how an assignment may be taken."""

    title: str
    opens_at: datetime
    closes_at: datetime
    attempts_allowed: int = 1
    time_limit_minutes: int | None = None
    shuffle: bool = False


@dataclass(frozen=True)
class QuestionChoice:
    """Which questions: ``picked`` ids of the revision, or a draw of ``count`` of them."""

    sheet_slug: str
    revision_label: str | None = None
    count: int = 10
    types: Sequence[str] | None = None
    tags: Sequence[str] | None = None
    picked: Sequence[int] | None = None


@dataclass
class StudentView:
    """An assignment as one student sees it: its state for them, their attempts so far."""

    assignment: Assignment
    state: str  # "upcoming", "open" or "closed"
    attempts: list[Attempt] = field(default_factory=list)
    in_progress: Attempt | None = None
    best_score: int | None = None

    @property
    def attempts_left(self) -> int:
        """How many more attempts the student may start."""
        return max(0, self.assignment.attempts_allowed - len(self.attempts))

    @property
    def can_start(self) -> bool:
        """Whether a new attempt may start now."""
        return self.state == "open" and self.in_progress is None and self.attempts_left > 0

    @property
    def done(self) -> bool:
        """Whether one of the student's attempts answered every question."""
        return any(attempt.finished for attempt in self.attempts)

    @property
    def total(self) -> int:
        """The number of questions of the assignment."""
        return len(self.assignment.question_ids)


def create_assignment(
    classroom: Classroom, schedule: Schedule, choice: QuestionChoice
) -> Assignment:
    """A new assignment of the class; ``Invalid`` for a bad schedule or question choice,
    ``NotFound`` for an unknown sheet or revision."""
    _check_schedule(schedule)
    revision, question_ids, selection = choose_questions(choice)
    assignment = Assignment(
        class_id=classroom.id,
        revision_id=revision.id,
        question_ids=question_ids,
        selection=selection,
    )
    _apply_schedule(assignment, schedule)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def update_assignment(
    assignment: Assignment, schedule: Schedule, choice: QuestionChoice | None = None
) -> None:
    """Change the schedule and, while nobody has started it, the questions.

    ``Invalid`` when ``choice`` would change the questions of an assignment
    someone already started: its attempts must keep meaning the same set.
    """
    _check_schedule(schedule)
    if choice is not None:
        if has_attempts(assignment):
            raise Invalid("Des élèves ont commencé ce devoir : ses questions ne changent plus.")
        revision, question_ids, selection = choose_questions(choice)
        assignment.revision_id = revision.id
        assignment.question_ids = question_ids
        assignment.selection = selection
    _apply_schedule(assignment, schedule)
    db.session.flush()


def choose_questions(choice: QuestionChoice) -> tuple[Revision, list[int], dict[str, object]]:
    """The revision, the fixed list of question ids and how it was chosen."""
    revision = find_revision(choice.sheet_slug, choice.revision_label)
    if choice.picked is not None:
        return revision, _picked(revision, choice.picked), {"picked": True}
    if not 1 <= choice.count <= MAX_ASSIGNMENT_QUESTIONS:
        raise Invalid(f"Choisissez entre 1 et {MAX_ASSIGNMENT_QUESTIONS} questions.")
    types = sorted(set(choice.types)) if choice.types else None
    tags = sorted(set(choice.tags)) if choice.tags else None
    pool = revision_pool(revision.id, types, tags)
    if not pool:
        raise Invalid("Aucune question ne correspond à ces critères.")
    question_ids = draw_from(pool, choice.count, secrets.randbelow(SEED_LIMIT))
    return revision, question_ids, {"count": choice.count, "types": types, "tags": tags}


def approved_questions(revision: Revision) -> list[Question]:
    """The approved questions of the revision, by id: what may be picked."""
    query = select(Question).where(
        Question.revision_id == revision.id, Question.status == STATUS_APPROVED
    )
    return list(db.session.scalars(query.order_by(Question.id)))


def owned_assignment(owner: User, assignment_id: int) -> Assignment:
    """The assignment if it belongs to one of ``owner``'s classes; ``NotFound`` otherwise."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom.owner_id != owner.id:
        raise NotFound("Ce devoir n'existe pas.")
    return assignment


def student_assignment(student: User, assignment_id: int) -> Assignment:
    """The assignment if the student is on its class's roster; ``NotFound`` otherwise."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not classes.is_member(assignment.class_id, student.id):
        raise NotFound("Ce devoir n'existe pas.")
    return assignment


def has_attempts(assignment: Assignment) -> bool:
    """Whether anyone started the assignment."""
    query = select(AssignmentAttempt.attempt_id).where(
        AssignmentAttempt.assignment_id == assignment.id
    )
    return db.session.scalar(query.limit(1)) is not None


def state_at(assignment: Assignment, moment: datetime) -> str:
    """``upcoming`` before the opening, ``open``, then ``closed`` from the closing time."""
    if moment < as_utc(assignment.opens_at):
        return "upcoming"
    return "open" if moment < as_utc(assignment.closes_at) else "closed"


def start_or_resume(student: User, assignment_id: int) -> Attempt:
    """The student's attempt under way, or a new one if the rules allow it.

    ``NotFound`` unless the student is on the class's roster; ``Closed`` before
    the opening, after the closing, or once every attempt allowed was used.
    """
    assignment = student_assignment(student, assignment_id)
    for _ in range(2):  # a second pass only after losing a race to start
        view = student_view(student, assignment)
        if view.in_progress is not None:
            return view.in_progress
        if view.state == "upcoming":
            raise refusal(NOT_OPEN, as_utc(assignment.opens_at))
        if view.state == "closed":
            raise refusal(CLOSED, as_utc(assignment.closes_at))
        if view.attempts_left == 0:
            raise refusal(NO_ATTEMPTS_LEFT)
        attempt = _new_attempt(student, assignment, len(view.attempts) + 1)
        if attempt is not None:
            return attempt
    raise refusal(NO_ATTEMPTS_LEFT)  # lost twice: others keep starting in our name


def student_view(student: User, assignment: Assignment) -> StudentView:
    """The assignment's state for ``student`` now, with their attempts (oldest first)."""
    moment = deadlines.now()
    view = StudentView(assignment, state_at(assignment, moment))
    query = (
        select(Attempt)
        .join(AssignmentAttempt, AssignmentAttempt.attempt_id == Attempt.id)
        .where(
            AssignmentAttempt.assignment_id == assignment.id,
            AssignmentAttempt.student_id == student.id,
        )
        .order_by(AssignmentAttempt.number)
    )
    view.attempts = list(db.session.scalars(query))
    for attempt in view.attempts:
        window = window_for(assignment, attempt)
        if not attempt.finished and window.is_open_at(moment):
            view.in_progress = attempt
    scores = [sum(answer.correct for answer in attempt.answers) for attempt in view.attempts]
    view.best_score = max(scores) if scores else None
    return view


def window_for(assignment: Assignment, attempt: Attempt) -> AttemptWindow:
    """The answering window of a student's attempt (on the roster: they were just checked)."""
    return AttemptWindow(
        assignment_id=assignment.id,
        title=assignment.title,
        opens_at=as_utc(assignment.opens_at),
        closes_at=as_utc(assignment.closes_at),
        started_at=as_utc(attempt.created_at),
        time_limit_minutes=assignment.time_limit_minutes,
        on_roster=True,
    )


def assignments_of_student(student: User) -> list[StudentView]:
    """Every assignment of the student's classes, soonest closing first."""
    class_ids = [classroom.id for classroom in classes.classes_of_student(student)]
    if not class_ids:
        return []
    query = (
        select(Assignment)
        .where(Assignment.class_id.in_(class_ids))
        .order_by(Assignment.closes_at, Assignment.id)
    )
    return [student_view(student, assignment) for assignment in db.session.scalars(query)]


def _new_attempt(student: User, assignment: Assignment, number: int) -> Attempt | None:
    """Attempt ``number`` of the student, or None if a concurrent start took that number."""
    seed = secrets.randbelow(SEED_LIMIT)
    order = list(assignment.question_ids)
    if assignment.shuffle:
        random.Random(seed).shuffle(order)
    attempt = Attempt(
        user_id=student.id,
        revision_id=assignment.revision_id,
        question_ids=order,
        settings={"count": len(order), "types": None, "tags": None},
        seed=seed,
    )
    db.session.add(attempt)
    db.session.flush()
    values = {
        "attempt_id": attempt.id,
        "assignment_id": assignment.id,
        "student_id": student.id,
        "number": number,
    }
    if insert_unless_duplicate(AssignmentAttempt, values) is None:
        db.session.delete(attempt)  # the other start's attempt is the one
        db.session.flush()
        return None
    return attempt


def _picked(revision: Revision, picked: Sequence[int]) -> list[int]:
    """The hand-picked ids in their order, once each; ``Invalid`` unless every one is an
    approved question of the revision."""
    chosen = list(dict.fromkeys(picked))
    if not chosen:
        raise Invalid("Choisissez au moins une question.")
    if len(chosen) > MAX_ASSIGNMENT_QUESTIONS:
        raise Invalid(f"Un devoir a au plus {MAX_ASSIGNMENT_QUESTIONS} questions.")
    allowed = {question.id for question in approved_questions(revision)}
    if not set(chosen) <= allowed:
        raise Invalid("Une question choisie n'est pas une question approuvée de cette révision.")
    return chosen


def _check_schedule(schedule: Schedule) -> None:
    """``Invalid`` unless the schedule can be stored as it is."""
    title = schedule.title.strip()
    if not title or len(title) > ASSIGNMENT_TITLE_MAX_LENGTH:
        raise Invalid(f"Donnez au devoir un titre de 1 à {ASSIGNMENT_TITLE_MAX_LENGTH} caractères.")
    if as_utc(schedule.closes_at) <= as_utc(schedule.opens_at):
        raise Invalid("La fermeture doit venir après l'ouverture.")
    if not 1 <= schedule.attempts_allowed <= MAX_ATTEMPTS_ALLOWED:
        raise Invalid(f"Permettez de 1 à {MAX_ATTEMPTS_ALLOWED} tentatives.")
    limit = schedule.time_limit_minutes
    if limit is not None and not 1 <= limit <= MAX_TIME_LIMIT_MINUTES:
        raise Invalid(f"Une limite de temps va de 1 à {MAX_TIME_LIMIT_MINUTES} minutes.")


def _apply_schedule(assignment: Assignment, schedule: Schedule) -> None:
    """Copy the schedule onto the assignment, times in UTC (the stored form)."""
    assignment.title = schedule.title.strip()
    assignment.opens_at = as_utc(schedule.opens_at)
    assignment.closes_at = as_utc(schedule.closes_at)
    assignment.attempts_allowed = schedule.attempts_allowed
    assignment.time_limit_minutes = schedule.time_limit_minutes
    assignment.shuffle = schedule.shuffle
