"""The API's answer hot path: one connection, one read, one insert, one commit.

``POST /api/v1/attempts/<id>/answers`` is what a classroom sends most, and all
at once. ``answer_with_token`` applies the rules of ``attempts.submit_answer``
(same checks, same errors, same feedback) without the ORM session:

- one cached Core query reads the attempt, its owner's password hash (to check
  the bearer token) and the question with its source;
- ``INSERT … ON CONFLICT DO NOTHING RETURNING`` stores the answer: the unique
  (attempt, question) constraint decides between two racing submissions;
- the function commits its own connection. The request opens no other one,
  so there is still one commit per request. On PostgreSQL the read and the
  insert are each a transaction of their own (autocommit), and the insert's
  commit does not wait for the disk (see ``_INSERT_ANSWER_ON_POSTGRES``).

Against the session path (a token query, then these two, then the session's
commit) this halves the database work of an answer (0.21 → 0.13 ms).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, bindparam, select, text, true

from ...class_models import AssignmentAttempt
from ...extensions import db
from ...models import Answer, Attempt, Paragraph, Question, Revision, Sheet, User, utcnow
from ..accounts.users import TokenClaim, claim_holds
from ..errors import AlreadyAnswered, Invalid, NotFound, Unauthenticated
from .checking import check
from .deadlines import refuse_closed_answer
from .feedback import Feedback, QuestionFacts, cite, order_events

ALREADY_ANSWERED = "Vous avez déjà répondu à cette question."
STALE_TOKEN = "Jeton invalide ou expiré : demandez-en un nouveau à /auth/token."


def answer_with_token(claim: TokenClaim, attempt_id: int, question_id: int, given: Any) -> Feedback:
    """Check and store the token holder's answer to a question of their attempt.

    ``Unauthenticated`` if the token no longer holds (password changed, user
    gone), ``NotFound`` for an attempt that is not the holder's or a question
    outside it, ``Invalid`` for a malformed answer, ``AlreadyAnswered`` when the
    question has an answer already: the first one stands; ``Closed`` when the
    attempt is an assignment's that takes no answer now.
    """
    with db.engine.connect() as connection:
        on_postgres = connection.dialect.name == "postgresql"
        if on_postgres:  # each statement its own transaction: no BEGIN, no COMMIT to wait for
            connection.execution_options(isolation_level="AUTOCOMMIT")
        row = connection.execute(
            _ATTEMPT_AND_QUESTION, {"attempt_id": attempt_id, "question_id": question_id}
        ).first()
        _require_holder(claim, row)
        assert row is not None  # for mypy: _require_holder raised otherwise
        question_ids: list[int] = row.question_ids
        if question_id not in question_ids:
            raise NotFound("Cette question ne fait pas partie de ce quiz.")
        if row.id is None:
            raise NotFound("Cette question n'existe pas.")
        feedback = _feedback(row, question_id, given, connection)
        if row.assignment_id is not None:  # homework: its deadlines decide (nothing written)
            refuse_closed_answer(connection, attempt_id)
        values = {
            "attempt_id": attempt_id,
            "question_id": question_id,
            "given": given,
            "correct": feedback.correct,
            "created_at": utcnow(),
        }
        # The write comes last, so SQLite's write lock is held until the commit only.
        insert = _INSERT_ANSWER_ON_POSTGRES if on_postgres else _INSERT_ANSWER
        if connection.execute(insert, values).first() is None:
            raise _already_answered(row, question_id, connection)
        connection.commit()  # SQLite's transaction; PostgreSQL's insert committed itself
    return feedback


def _require_holder(claim: TokenClaim, row: Row[Any] | None) -> None:
    """Pass if the attempt of ``row`` is the claim's user's and the claim holds.

    Another user's attempt, or none, is a ``NotFound``, unless the token itself
    no longer holds: a client is told to renew its token before anything else.
    """
    if row is not None and row.user_id == claim.user_id:
        if claim.fits(row.owner_password_hash):
            return
        raise Unauthenticated(STALE_TOKEN)
    if not claim_holds(claim):
        raise Unauthenticated(STALE_TOKEN)
    raise NotFound("Ce quiz n'existe pas.")


def _feedback(row: Row[Any], question_id: int, given: Any, connection: Connection) -> Feedback:
    """The feedback of ``given`` for the question of ``row``; ``Invalid`` if malformed."""
    question = _question_facts(row)
    try:
        correct = check(question, given)
    except Invalid:
        # A malformed second answer is still a second answer.
        if connection.execute(_ANSWER_EXISTS, {"a": row.attempt_id, "q": question_id}).first():
            raise _already_answered(row, question_id, connection) from None
        raise
    return _verdict(row, question, given, correct)


def _already_answered(row: Row[Any], question_id: int, connection: Connection) -> AlreadyAnswered:
    """The 409 of a second answer, carrying the verdict on the first (the one stored)."""
    stored = connection.execute(_ANSWER_EXISTS, {"a": row.attempt_id, "q": question_id}).first()
    if stored is None:  # not visible to this transaction: the 409 alone
        return AlreadyAnswered(ALREADY_ANSWERED)
    question = _question_facts(row)
    return AlreadyAnswered(ALREADY_ANSWERED, _verdict(row, question, stored.given, stored.correct))


def _question_facts(row: Row[Any]) -> QuestionFacts:
    """What the checkers and the feedback read of the question of ``row``."""
    return QuestionFacts(
        id=row.id,
        type=row.type,
        answer=row.answer,
        accepted=row.accepted,
        choices=row.choices,
        lang=row.lang,
        explanation=row.explanation,
    )


def _verdict(row: Row[Any], question: QuestionFacts, given: Any, correct: bool) -> Feedback:
    """The feedback on ``given``, judged ``correct`` or not, with the sheet's words as source."""
    question_id = question.id
    source = cite(
        (row.slug, row.title, row.label),
        (row.anchor, row.text, row.paragraph_lang),
        (row.evidence_start, row.evidence_end),
    )
    return Feedback(
        correct=correct,
        given=given,
        expected=row.answer,
        explanation=row.explanation,
        source=source,
        question=question,
        position=row.question_ids.index(question_id) + 1,
        total=len(row.question_ids),
        events=order_events(row.type, row.answer, row.item_sources, source),
    )


_ATTEMPTS, _QUESTIONS, _PARAGRAPHS = Attempt.__table__, Question.__table__, Paragraph.__table__
_REVISIONS, _SHEETS, _USERS = Revision.__table__, Sheet.__table__, User.__table__
_ANSWERS, _ASSIGNMENT_ATTEMPTS = Answer.__table__, AssignmentAttempt.__table__
# The question and its source (all None when the question does not exist).
_QUESTION_SOURCE = (
    select(
        _QUESTIONS.c.id,
        _QUESTIONS.c.type,
        _QUESTIONS.c.answer,
        _QUESTIONS.c.accepted,
        _QUESTIONS.c.choices,
        _QUESTIONS.c.lang,
        _QUESTIONS.c.explanation,
        _QUESTIONS.c.evidence_start,
        _QUESTIONS.c.evidence_end,
        _QUESTIONS.c.item_sources,
        _PARAGRAPHS.c.anchor,
        _PARAGRAPHS.c.text,
        _PARAGRAPHS.c.lang.label("paragraph_lang"),
        _REVISIONS.c.label,
        _SHEETS.c.slug,
        _SHEETS.c.title,
    )
    .join(_PARAGRAPHS, _PARAGRAPHS.c.id == _QUESTIONS.c.paragraph_id)
    # The revision the paragraph belongs to: the one cited (see attempts._WITH_SOURCE).
    .join(_REVISIONS, _REVISIONS.c.id == _PARAGRAPHS.c.revision_id)
    .join(_SHEETS, _SHEETS.c.id == _REVISIONS.c.sheet_id)
    .where(_QUESTIONS.c.id == bindparam("question_id"))
    .subquery()
)
# The attempt, its owner's password hash and the question; no row without the attempt.
_ATTEMPT_AND_QUESTION = (
    select(
        _ATTEMPTS.c.id.label("attempt_id"),
        _ATTEMPTS.c.user_id,
        _ATTEMPTS.c.question_ids,
        _USERS.c.password_hash.label("owner_password_hash"),
        # Not None for an assignment's attempt, whose deadlines are then checked.
        _ASSIGNMENT_ATTEMPTS.c.assignment_id,
        *_QUESTION_SOURCE.c,
    )
    .select_from(_ATTEMPTS)
    .outerjoin(_USERS, _USERS.c.id == _ATTEMPTS.c.user_id)
    .outerjoin(_ASSIGNMENT_ATTEMPTS, _ASSIGNMENT_ATTEMPTS.c.attempt_id == _ATTEMPTS.c.id)
    .outerjoin(_QUESTION_SOURCE, true())
    .where(_ATTEMPTS.c.id == bindparam("attempt_id"))
)
_ANSWER_EXISTS = select(_ANSWERS.c.id, _ANSWERS.c.given, _ANSWERS.c.correct).where(
    _ANSWERS.c.attempt_id == bindparam("a"), _ANSWERS.c.question_id == bindparam("q")
)
# The same SQL on SQLite (3.35+) and PostgreSQL. Written as text because the
# dialects' ``insert().on_conflict_do_nothing()`` is never cached by SQLAlchemy
# and so is compiled again on every request.
_ANSWER_PARAMETERS = [
    bindparam("attempt_id", type_=_ANSWERS.c.attempt_id.type),
    bindparam("question_id", type_=_ANSWERS.c.question_id.type),
    bindparam("given", type_=_ANSWERS.c.given.type),
    bindparam("correct", type_=_ANSWERS.c.correct.type),
    bindparam("created_at", type_=_ANSWERS.c.created_at.type),
]
_INSERT_ANSWER = text(
    "INSERT INTO answers (attempt_id, question_id, given, correct, created_at)"
    " VALUES (:attempt_id, :question_id, :given, :correct, :created_at)"
    " ON CONFLICT DO NOTHING RETURNING id"
).bindparams(*_ANSWER_PARAMETERS)
# On PostgreSQL the insert is a transaction of its own (autocommit), whose commit
# returns before its WAL reaches the disk: ``set_config(..., true)`` lasts until
# that commit. Otherwise each answer waits for an fsync (1 to 5 ms on the
# development VM), which two sync workers wait out in turn: answers under load
# were capped near the disk's syncs per second. A crash of the database server
# may lose the last answers (those of the last 0.6 s at most: 3 ×
# ``wal_writer_delay``), never corrupts anything: the bargain SQLite's
# ``synchronous = NORMAL`` makes for every commit (``quiz/app.py``), made here for
# the API's answers only. Accounts, imports, the pages' answers wait for the disk.
# No BEGIN, no COMMIT: 3 round trips to the server (the pool's ping, the read, the
# insert) instead of 5.
_INSERT_ANSWER_ON_POSTGRES = text(
    "INSERT INTO answers (attempt_id, question_id, given, correct, created_at)"
    " SELECT :attempt_id, :question_id, :given, :correct, :created_at"
    " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit"
    " ON CONFLICT DO NOTHING RETURNING id"
).bindparams(*_ANSWER_PARAMETERS)
