"""An instructor's live sessions, newest first: what the pages list to reopen one.

Read-only (no flush): the list of ``/teach/live`` and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...live_models import LiveParticipant, LiveSession
from ...models import Revision, Sheet, User

RECENT_LIMIT = 50


@dataclass(frozen=True)
class SessionRow:
    """One session as the list shows it."""

    id: int
    code: str
    phase: str
    created_at: datetime
    sheet_title: str
    revision: str
    question_count: int
    participant_count: int


def recent_sessions(owner: User, limit: int = RECENT_LIMIT) -> list[SessionRow]:
    """The ``limit`` latest sessions of ``owner``, with their sheet and how many joined."""
    joined = (
        select(func.count())
        .where(LiveParticipant.session_id == LiveSession.id, LiveParticipant.removed.is_(False))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(LiveSession, Sheet.title, Revision.label, joined)
        .join(Revision, Revision.id == LiveSession.revision_id)
        .join(Sheet, Sheet.id == Revision.sheet_id)
        .where(LiveSession.owner_id == owner.id)
        .order_by(LiveSession.id.desc())
        .limit(limit)
    ).all()
    return [
        SessionRow(
            id=session.id,
            code=session.code,
            phase=session.phase,
            created_at=session.created_at,
            sheet_title=title,
            revision=label,
            question_count=len(session.question_ids),
            participant_count=int(count or 0),
        )
        for session, title, label, count in rows
    ]
