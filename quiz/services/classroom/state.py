"""Snapshots of a live session: what a player, the projector and the events may see.

The shared part (phase, question without its answer, deadline, then after
the reveal the answer and its source with the evidence span, then the
leaderboard) is the same for everyone and changes only with the
version: each worker builds it once per version (``shared_snapshot``) and
serves it to every stream and every ``/state``. A player's own part (their
answer, score and rank) is added per request. Before the reveal nothing in a
snapshot tells the answer: not the question's, not whether the player's was right,
not a score that would move with it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...live_models import (
    PHASE_ENDED,
    PHASE_LEADERBOARD,
    PHASE_REVEAL,
    LiveAnswer,
    LiveParticipant,
    LiveSession,
)
from ...models import Paragraph, Question, Revision, as_utc, utcnow
from ..attempts import public_view
from ..feedback import Source, accepted_to_show, cite, explanation_to_show, order_events
from .codes import display_code
from .results import Standing, counted_question_ids, distribution, rank_key, standings

LEADERBOARD_SIZE = 10
# The phases whose shared state shows the leaderboard.
_RANKED_PHASES = (PHASE_LEADERBOARD, PHASE_ENDED)
# Snapshots kept per worker: a few versions of every session running at once.
SNAPSHOTS_KEPT = 512


@dataclass
class SharedSnapshot:
    """The same-for-everyone state of one version of a session, and its standings.

    The standings are read when first needed (a player's rank, the leaderboard),
    not to push an event: a new question reaches the phones after two queries.
    """

    session_id: int
    version: int
    body: dict[str, Any]
    ranks: list[Standing] | None = None

    def standings(self, session: LiveSession) -> list[Standing]:
        """Every present participant's standing at this version (read once)."""
        if self.ranks is None:
            self.ranks = standings(session)
        return self.ranks


_snapshots: OrderedDict[tuple[str, int], SharedSnapshot] = OrderedDict()


def iso(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 UTC with milliseconds (``2026-12-03T17:01:26.795Z``)."""
    if moment is None:
        return None
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def shared_snapshot(session: LiveSession) -> SharedSnapshot:
    """The shared state of the session's current version (built once per worker and version).

    Keyed by join code and version: codes are unique, and a code is random,
    so two databases (tests) never share a key in practice.
    """
    key = (session.code, session.version)
    snapshot = _snapshots.get(key)
    if snapshot is None:
        ranks = standings(session) if session.phase in _RANKED_PHASES else None
        snapshot = SharedSnapshot(session.id, session.version, _shared_body(session, ranks), ranks)
        _snapshots[key] = snapshot
        while len(_snapshots) > SNAPSHOTS_KEPT:
            _snapshots.popitem(last=False)
    return snapshot


def shared_state(session: LiveSession) -> dict[str, Any]:
    """What everyone may see now (the events' data), with the server's time."""
    return {**shared_snapshot(session).body, "server_now": iso(utcnow())}


def participant_etag(session: LiveSession, answer_count: int) -> str:
    """The ETag of a player's state (unquoted): the version, and how many answers they gave."""
    return f"{session.version}-{answer_count}"


def participant_answer_count(participant: LiveParticipant) -> int:
    """How many answers the participant gave (part of their state's ETag)."""
    query = select(func.count()).where(LiveAnswer.participant_id == participant.id)
    return int(db.session.scalar(query) or 0)


def participant_state(participant: LiveParticipant) -> dict[str, Any]:
    """What one player sees: the shared state, whether they answered, their score and rank,
    and after the reveal their own answer's verdict and points. Never another's answer."""
    session = participant.session
    snapshot = shared_snapshot(session)
    mine = {
        answer.question_id: answer
        for answer in db.session.scalars(
            select(LiveAnswer).where(LiveAnswer.participant_id == participant.id)
        )
    }
    counted = [mine[qid] for qid in counted_question_ids(session) if qid in mine]
    score = sum(answer.points for answer in counted)
    time_ms = sum(answer.elapsed_ms for answer in counted)
    better = sum(
        1
        for row in snapshot.standings(session)
        if row.participant_id != participant.id
        and rank_key(row.score, row.time_ms) < rank_key(score, time_ms)
    )
    current = session.current_question_id
    revealed = session.phase in (PHASE_REVEAL, PHASE_LEADERBOARD, PHASE_ENDED)
    own = mine.get(current) if current is not None and revealed else None
    return {
        **snapshot.body,
        "server_now": iso(utcnow()),
        "participant": {"id": participant.id, "nickname": participant.nickname},
        "answered": current is not None and current in mine,
        "score": score,
        "correct": sum(answer.correct for answer in counted),
        "rank": better + 1,
        "your_answer": None
        if own is None
        else {"given": own.given, "correct": own.correct, "points": own.points},
    }


def instructor_state(session: LiveSession) -> dict[str, Any]:
    """What the projector shows: the shared state, who is in, how many answered the question,
    and after the reveal how the room answered (``reveal.distribution``)."""
    present = db.session.execute(
        select(LiveParticipant.id, LiveParticipant.nickname)
        .where(LiveParticipant.session_id == session.id, LiveParticipant.removed.is_(False))
        .order_by(LiveParticipant.id)
    ).all()
    current = session.current_question_id
    answered = 0
    if current is not None:
        answered = int(
            db.session.scalar(
                select(func.count())
                .select_from(LiveAnswer)
                .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
                .where(
                    LiveAnswer.session_id == session.id,
                    LiveAnswer.question_id == current,
                    LiveParticipant.removed.is_(False),
                )
            )
            or 0
        )
    shared = shared_state(session)
    if shared["reveal"] is not None:
        # How the room answered: on the projector only, never on a phone (free answers
        # are a classmate's words).
        question = _current_question(session)
        assert question is not None  # a reveal has its question
        shared["reveal"] = {**shared["reveal"], "distribution": distribution(session, question)}
    return {
        **shared,
        "id": session.id,
        "display_code": display_code(session.code),
        "participants": [{"id": pid, "nickname": name} for pid, name in present],
        "answered_count": answered,
    }


def _shared_body(session: LiveSession, ranks: list[Standing] | None) -> dict[str, Any]:
    """The shared state of ``session`` as it is now, JSON-ready, without the server's time."""
    question = _current_question(session)
    revealed = session.phase in (PHASE_REVEAL, PHASE_LEADERBOARD)
    paused_at, deadline = session.paused_at, session.deadline_at
    remaining = None
    if paused_at is not None and deadline is not None:
        remaining = max(as_utc(deadline) - as_utc(paused_at), timedelta(0))
    shown = question is not None and session.phase != PHASE_ENDED
    return {
        "version": session.version,
        "phase": session.phase,
        "code": session.code,
        "position": session.current_index + 1 if session.current_index >= 0 else None,
        "count": len(session.question_ids),
        "seconds": session.seconds_per_question,
        "scoring": session.scoring,
        "question": _question_body(question) if shown and question is not None else None,
        "deadline": iso(deadline) if shown else None,
        "paused": paused_at is not None,
        "remaining_ms": None if remaining is None else int(remaining.total_seconds() * 1000),
        "reveal": _reveal_body(session, question) if revealed and question is not None else None,
        "leaderboard": None
        if ranks is None
        else [
            {"rank": row.rank, "nickname": row.nickname, "score": row.score}
            for row in ranks[:LEADERBOARD_SIZE]
        ],
    }


def _question_body(question: Question) -> dict[str, Any]:
    """The question as asked: its id, type, prompt and choices, nothing of its answer."""
    view = public_view(question)
    return {key: view[key] for key in ("id", "type", "prompt", "choices", "lang")}


def _reveal_body(session: LiveSession, question: Question) -> dict[str, Any]:
    """After the reveal: the answer, where the sheet proves it, and how the room answered."""
    paragraph = question.paragraph
    revision = paragraph.revision  # the revision cited (see attempts._WITH_SOURCE)
    source = cite(
        (revision.sheet.slug, revision.sheet.title, revision.label),
        (paragraph.anchor, paragraph.text, paragraph.lang),
        (question.evidence_start, question.evidence_end),
    )
    events = order_events(question.type, question.answer, question.item_sources, source)
    evidence = paragraph.text[question.evidence_start : question.evidence_end]
    return {
        "question_id": question.id,
        "expected": question.answer,
        "accepted": accepted_to_show(question.answer, question.accepted)
        if isinstance(question.answer, str)
        else [],
        "explanation": explanation_to_show(question.explanation, evidence, events),
        "source": source_body(source),
        "events": [
            {
                "event": event.text,
                "date": event.date,
                "source": source_body(event.source) if event.source else None,
            }
            for event in events
        ],
    }


def source_body(source: Source) -> dict[str, Any]:
    """A cited span: the paragraph, the evidence's half-open span in it, the sheet page's path."""
    return {
        "sheet": source.sheet,
        "sheet_title": source.sheet_title,
        "revision": source.revision,
        "anchor": source.anchor,
        "paragraph": source.paragraph,
        "evidence": {"start": source.evidence_start, "end": source.evidence_end},
        "url": source.url,
    }


def _current_question(session: LiveSession) -> Question | None:
    """The question asked or last asked, with what its source cites, in one query."""
    question_id = session.current_question_id
    if question_id is None:
        return None
    options = joinedload(Question.paragraph).joinedload(Paragraph.revision).joinedload(
        Revision.sheet
    )
    return db.session.get(Question, question_id, options=[options])
