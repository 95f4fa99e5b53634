"""Scores, ranks and results, derived from answer rows (nothing of them is stored).

A participant's score is the sum of the points of their answers to the
questions already revealed (an answer to the question being asked counts
once it is revealed, so the score never gives a verdict away early), skipped
questions aside. Ranks order by score, then by total answer time (the
quicker first); equal on both, equal rank. Removed participants are out.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...live_models import (
    PHASE_ENDED,
    PHASE_LEADERBOARD,
    PHASE_LOBBY,
    PHASE_REVEAL,
    LiveAnswer,
    LiveParticipant,
    LiveSession,
)
from ...models import Question
from ..study.checking import normalize_text

# Distinct free answers listed in a distribution; the rest are "other".
DISTRIBUTION_LIMIT = 8
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Standing:
    """One participant's result so far."""

    participant_id: int
    nickname: str
    score: int
    correct: int
    answered: int
    time_ms: int
    rank: int = 0


def counted_question_ids(session: LiveSession) -> list[int]:
    """The questions whose answers count now: revealed (or closed by the end), not skipped."""
    if session.phase == PHASE_LOBBY:
        return []
    last = session.current_index
    if session.phase in (PHASE_REVEAL, PHASE_LEADERBOARD, PHASE_ENDED):
        last += 1
    skipped = set(session.skipped_ids)
    return [qid for qid in session.question_ids[:last] if qid not in skipped]


def rank_key(score: int, time_ms: int) -> tuple[int, int]:
    """What orders the standings: the higher score first, then the shorter total time."""
    return (-score, time_ms)


def standings(session: LiveSession) -> list[Standing]:
    """Every present participant's score, answers and rank, best first."""
    counted = set(counted_question_ids(session))
    participants = db.session.execute(
        select(LiveParticipant.id, LiveParticipant.nickname)
        .where(LiveParticipant.session_id == session.id, LiveParticipant.removed.is_(False))
        .order_by(LiveParticipant.id)
    ).all()
    totals = {pid: [0, 0, 0, 0] for pid, _name in participants}
    answers = db.session.execute(
        select(
            LiveAnswer.participant_id,
            LiveAnswer.question_id,
            LiveAnswer.points,
            LiveAnswer.correct,
            LiveAnswer.elapsed_ms,
        ).where(LiveAnswer.session_id == session.id)
    )
    for participant_id, question_id, points, correct, elapsed_ms in answers:
        total = totals.get(participant_id)
        if total is None or question_id not in counted:
            continue
        total[0] += points
        total[1] += int(correct)
        total[2] += 1
        total[3] += elapsed_ms
    rows = [Standing(pid, name, *totals[pid]) for pid, name in participants]
    rows.sort(key=lambda row: (*rank_key(row.score, row.time_ms), row.participant_id))
    return _ranked(rows)


def _ranked(rows: list[Standing]) -> list[Standing]:
    """``rows`` (sorted) with their competition ranks: 1, 2, 2, 4."""
    ranked: list[Standing] = []
    for position, row in enumerate(rows, start=1):
        tied = ranked and rank_key(ranked[-1].score, ranked[-1].time_ms) == rank_key(
            row.score, row.time_ms
        )
        rank = ranked[-1].rank if tied else position
        ranked.append(Standing(**{**row.__dict__, "rank": rank}))
    return ranked


def distribution(session: LiveSession, question: Question) -> list[dict[str, Any]]:
    """How the present participants answered ``question``: each choice (or the most given
    free answers) with its count and whether it is right."""
    rows = db.session.execute(
        select(LiveAnswer.given, LiveAnswer.correct)
        .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
        .where(
            LiveAnswer.session_id == session.id,
            LiveAnswer.question_id == question.id,
            LiveParticipant.removed.is_(False),
        )
    ).all()
    if question.type in ("mcq", "true_false"):
        counts = Counter(normalize_text(str(given)) for given, _correct in rows)
        return [
            {
                "answer": choice,
                "count": counts.get(normalize_text(choice), 0),
                "correct": normalize_text(choice) == normalize_text(str(question.answer)),
            }
            for choice in question.choices
        ]
    return _free_distribution(rows)


def _free_distribution(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """The most given free answers, each as first written, with its count and verdict."""
    counts: Counter[str] = Counter()
    shown: dict[str, tuple[str, bool]] = {}
    for given, correct in rows:
        text = " → ".join(map(str, given)) if isinstance(given, list) else str(given)
        key = normalize_text(text)
        counts[key] += 1
        shown.setdefault(key, (text, bool(correct)))
    return [
        {"answer": shown[key][0], "count": count, "correct": shown[key][1]}
        for key, count in counts.most_common(DISTRIBUTION_LIMIT)
    ]


def session_results(session: LiveSession) -> dict[str, Any]:
    """Results per participant (rank, score, right answers, answered, time) and per
    question (answered, right, distribution), JSON-ready."""
    questions = _questions(session.question_ids)
    answered = Counter[int]()
    right = Counter[int]()
    present_answers = db.session.execute(
        select(LiveAnswer.question_id, LiveAnswer.correct)
        .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
        .where(LiveAnswer.session_id == session.id, LiveParticipant.removed.is_(False))
    )
    for question_id, correct in present_answers:
        answered[question_id] += 1
        right[question_id] += int(correct)
    return {
        "participants": [
            {
                "id": row.participant_id,
                "nickname": row.nickname,
                "rank": row.rank,
                "score": row.score,
                "correct": row.correct,
                "answered": row.answered,
                "time_ms": row.time_ms,
            }
            for row in standings(session)
        ],
        "questions": [
            {
                "id": qid,
                "position": position,
                "prompt": questions[qid].prompt,
                "type": questions[qid].type,
                "skipped": qid in session.skipped_ids,
                "answered": answered[qid],
                "correct": right[qid],
                "distribution": distribution(session, questions[qid]),
            }
            for position, qid in enumerate(session.question_ids, start=1)
        ],
    }


def participant_answers(session: LiveSession, participant_id: int) -> list[dict[str, Any]]:
    """One participant's answers in question order: given, right or not, points, time."""
    rows = db.session.scalars(
        select(LiveAnswer).where(
            LiveAnswer.session_id == session.id, LiveAnswer.participant_id == participant_id
        )
    )
    by_question = {answer.question_id: answer for answer in rows}
    return [
        {
            "question_id": qid,
            "position": position,
            "given": by_question[qid].given,
            "correct": by_question[qid].correct,
            "points": by_question[qid].points,
            "elapsed_ms": by_question[qid].elapsed_ms,
        }
        for position, qid in enumerate(session.question_ids, start=1)
        if qid in by_question
    ]


def results_csv(session: LiveSession) -> str:
    """The session's results as CSV: one line per participant, each question's answer and points."""
    answers: dict[tuple[int, int], LiveAnswer] = {
        (answer.participant_id, answer.question_id): answer
        for answer in db.session.scalars(
            select(LiveAnswer).where(LiveAnswer.session_id == session.id)
        )
    }
    header = [_("rank"), _("nickname"), _("score"), _("right answers"), _("answered"), _("seconds")]
    for position in range(1, len(session.question_ids) + 1):
        header += [_("Q%(n)d answer", n=position), _("Q%(n)d points", n=position)]
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    for row in standings(session):
        line: list[Any] = [row.rank, _cell(row.nickname), row.score, row.correct, row.answered]
        line.append(round(row.time_ms / 1000, 1))
        for qid in session.question_ids:
            answer = answers.get((row.participant_id, qid))
            given = answer.given if answer is not None else ""
            text = " → ".join(map(str, given)) if isinstance(given, list) else str(given)
            line += [_cell(text), answer.points if answer is not None else ""]
        writer.writerow(line)
    return output.getvalue()


def _cell(text: str) -> str:
    """``text`` safe in a spreadsheet: a leading formula character is quoted away."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _questions(question_ids: list[int]) -> dict[int, Question]:
    """The questions of ``question_ids`` by id, in one query."""
    rows = db.session.scalars(select(Question).where(Question.id.in_(question_ids)))
    return {question.id: question for question in rows}
