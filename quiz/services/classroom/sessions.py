"""Make a live session from approved questions, then drive it through its phases.

A session is made in the lobby with its questions fixed, in order, and its
join code. Then each control (``advance``, ``pause``, ``resume``, ``skip``,
``end``…) is one conditional UPDATE on the version the instructor saw: two
clicks on "next" sent with the same version move the session once, and the
second gets a ``Conflict`` (``stale_version``) with nothing changed.

Phases: lobby → question → reveal → leaderboard → question (the next one) …
→ ended. Times come from the server's clock only. Services flush, the
caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from ...extensions import db
from ...live_models import (
    PHASE_ENDED,
    PHASE_LEADERBOARD,
    PHASE_LOBBY,
    PHASE_QUESTION,
    PHASE_REVEAL,
    SCORING_CORRECT,
    SCORING_MODES,
    LiveAnswer,
    LiveSession,
)
from ...models import MAX_ROW_ID, QUESTION_TYPES, STATUS_APPROVED, Question, User, as_utc, utcnow
from ..drawing import draw_from, revision_pool
from ..errors import Invalid, NotFound
from ..sheet_pages import find_revision
from .codes import new_join_code
from .errors import ENDED, STALE_VERSION, WRONG_PHASE, Conflict, Forbidden

MIN_COUNT, MAX_COUNT = 1, 50
MIN_SECONDS, MAX_SECONDS = 5, 600
SEED_LIMIT = 2**31
CODE_TRIES = 5


def require_instructor(user: User | None) -> User:
    """``user`` if they are an instructor; ``Forbidden`` otherwise."""
    if user is None or not user.is_instructor:
        raise Forbidden(_("Only an instructor can run a live session."))
    return user


def create_session(
    owner: User,
    sheet_slug: str,
    *,
    revision_label: str | None = None,
    count: int = 10,
    seconds: int = 20,
    scoring: str = SCORING_CORRECT,
    types: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    question_ids: Sequence[int] | None = None,
) -> LiveSession:
    """A new session in the lobby, on approved questions of a sheet's revision, in a fixed order.

    Either ``question_ids`` (hand-picked, asked in that order) or up to
    ``count`` questions drawn among those of ``types`` with any of ``tags``,
    none giving another away. The latest revision unless ``revision_label``.
    ``NotFound`` for an unknown sheet or revision, ``Invalid`` for bad settings
    or no matching question, ``Forbidden`` for a student.
    """
    require_instructor(owner)
    _check_settings(count, seconds, scoring, types)
    revision = find_revision(sheet_slug, revision_label)
    if question_ids:
        chosen = _hand_picked(revision.id, question_ids)
    else:
        pool = revision_pool(revision.id, sorted(set(types or ())) or None, tags or None)
        chosen = draw_from(pool, count, secrets.randbelow(SEED_LIMIT)) if pool else []
    if not chosen:
        raise Invalid(_("No approved question matches these settings."))
    settings: dict[str, Any] = {"count": len(chosen), "types": list(types or []) or None}
    settings.update(tags=list(tags or []) or None, hand_picked=bool(question_ids))
    session = LiveSession(
        owner_id=owner.id,
        revision_id=revision.id,
        code=_unused_code(),
        question_ids=chosen,
        seconds_per_question=seconds,
        scoring=scoring,
        settings=settings,
    )
    db.session.add(session)
    db.session.flush()
    return session


def owned_session(owner: User, session_id: int) -> LiveSession:
    """The instructor's session; ``NotFound`` for another's or none, ``Forbidden`` for a student."""
    require_instructor(owner)
    session = db.session.get(LiveSession, session_id) if 0 < session_id <= MAX_ROW_ID else None
    if session is None or session.owner_id != owner.id:
        raise NotFound(_("This live session does not exist."))
    return session


def session_by_code(code: str) -> LiveSession:
    """The session of a join code (as stored: see ``codes.normalize_code``); else ``NotFound``."""
    session = db.session.scalar(select(LiveSession).where(LiveSession.code == code))
    if session is None:
        raise NotFound(_("No live session has this code."))
    return session


def advance(session: LiveSession, seen_version: int | None) -> LiveSession:
    """The next step: lobby → question → reveal → leaderboard → next question, or the end."""
    phase = session.phase
    if phase == PHASE_LOBBY:
        return _open_question(session, seen_version, 0)
    if phase == PHASE_QUESTION:
        return reveal(session, seen_version)
    if phase == PHASE_REVEAL:
        return show_leaderboard(session, seen_version)
    if phase == PHASE_LEADERBOARD:
        following = session.current_index + 1
        if following < len(session.question_ids):
            return _open_question(session, seen_version, following)
        return end(session, seen_version)
    raise Conflict(_("This live session has ended."), ENDED)


def start(session: LiveSession, seen_version: int | None) -> LiveSession:
    """Ask the first question (from the lobby only)."""
    _require_phase(session, PHASE_LOBBY)
    return _open_question(session, seen_version, 0)


def reveal(session: LiveSession, seen_version: int | None) -> LiveSession:
    """Close the question and show its answer, even before the timer ends."""
    _require_phase(session, PHASE_QUESTION)
    now = utcnow()
    deadline = _deadline(session)
    closed = now if deadline is None or now < deadline else deadline
    return _change(session, seen_version, phase=PHASE_REVEAL, deadline_at=closed, paused_at=None)


def show_leaderboard(session: LiveSession, seen_version: int | None) -> LiveSession:
    """Show the ranks after a reveal."""
    _require_phase(session, PHASE_REVEAL)
    return _change(session, seen_version, phase=PHASE_LEADERBOARD)


def pause(session: LiveSession, seen_version: int | None) -> LiveSession:
    """Stop the question's clock; answers wait until ``resume``."""
    _require_phase(session, PHASE_QUESTION)
    if session.paused_at is not None:
        raise Conflict(_("The session is already paused."), WRONG_PHASE)
    return _change(session, seen_version, paused_at=utcnow())


def resume(session: LiveSession, seen_version: int | None) -> LiveSession:
    """Start the clock again: the question's start and deadline move by the pause's length."""
    _require_phase(session, PHASE_QUESTION)
    if session.paused_at is None:
        raise Conflict(_("The session is not paused."), WRONG_PHASE)
    paused_for = utcnow() - as_utc(session.paused_at)
    started, deadline = _started(session), _deadline(session)
    assert started is not None and deadline is not None  # set by _open_question
    return _change(
        session,
        seen_version,
        paused_at=None,
        question_started_at=started + paused_for,
        deadline_at=deadline + paused_for,
    )


def skip(session: LiveSession, seen_version: int | None) -> LiveSession:
    """Drop the current question (its answers score nothing) and ask the next, or end."""
    _require_phase(session, PHASE_QUESTION)
    skipped = [*session.skipped_ids, session.current_question_id]
    following = session.current_index + 1
    if following < len(session.question_ids):
        return _open_question(session, seen_version, following, skipped_ids=skipped)
    return _change(session, seen_version, **_ending(session), skipped_ids=skipped)


def end(session: LiveSession, seen_version: int | None) -> LiveSession:
    """End the session now (early, or after the last leaderboard)."""
    if session.phase == PHASE_ENDED:
        raise Conflict(_("This live session has ended."), ENDED)
    return _change(session, seen_version, **_ending(session))


def questions_in_use(question_ids: Collection[int]) -> set[int]:
    """Those of ``question_ids`` a live session answered or still has to ask.

    A re-import must retire them rather than delete them: live answers point
    at them, and a session in progress asks them by id.
    """
    wanted = set(question_ids)
    if not wanted:
        return set()
    used = set(
        db.session.scalars(
            select(LiveAnswer.question_id).where(LiveAnswer.question_id.in_(wanted)).distinct()
        )
    )
    running = db.session.scalars(
        select(LiveSession.question_ids).where(LiveSession.phase != PHASE_ENDED)
    )
    for asked in running:
        used |= wanted & set(asked)
    return used


def bump_version(session: LiveSession) -> None:
    """Tell every player to read the state again (a nickname was removed)."""
    db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id)
        .values(version=LiveSession.version + 1)
    )
    db.session.expire(session)


def _open_question(
    session: LiveSession, seen_version: int | None, index: int, **extra: Any
) -> LiveSession:
    """Ask question ``index`` now, for the session's time per question."""
    now = utcnow()
    deadline = now + timedelta(seconds=session.seconds_per_question)
    return _change(
        session,
        seen_version,
        phase=PHASE_QUESTION,
        current_index=index,
        question_started_at=now,
        deadline_at=deadline,
        paused_at=None,
        **extra,
    )


def _ending(session: LiveSession) -> dict[str, Any]:
    """The values that end ``session``: a question still open closes now."""
    now = utcnow()
    values: dict[str, Any] = {"phase": PHASE_ENDED, "ended_at": now, "paused_at": None}
    deadline = _deadline(session)
    if session.phase == PHASE_QUESTION and (deadline is None or deadline > now):
        values["deadline_at"] = now
    return values


def _change(session: LiveSession, seen_version: int | None, **values: Any) -> LiveSession:
    """Apply ``values`` and add one to the version, if it is still the one the caller saw."""
    if seen_version is not None and seen_version != session.version:
        raise _stale()
    result = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id, LiveSession.version == session.version)
        .values(version=LiveSession.version + 1, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _stale()
    db.session.expire(session)
    return session


def _stale() -> Conflict:
    """The refusal of a control sent with an outdated version (a double click)."""
    return Conflict(
        _("The session has changed since this page was shown: look again before acting."),
        STALE_VERSION,
    )


def _require_phase(session: LiveSession, phase: str) -> None:
    """``Conflict`` unless the session is in ``phase``."""
    if session.phase == PHASE_ENDED:
        raise Conflict(_("This live session has ended."), ENDED)
    if session.phase != phase:
        raise Conflict(_("This cannot be done at this point of the session."), WRONG_PHASE)


def _started(session: LiveSession) -> datetime | None:
    """When the current question opened (pauses left out), aware UTC."""
    started = session.question_started_at
    return None if started is None else as_utc(started)


def _deadline(session: LiveSession) -> datetime | None:
    """When the current question closes, aware UTC."""
    deadline = session.deadline_at
    return None if deadline is None else as_utc(deadline)


def _check_settings(count: int, seconds: int, scoring: str, types: Sequence[str] | None) -> None:
    """``Invalid`` for a count, time, scoring or question type out of range."""
    if not MIN_COUNT <= count <= MAX_COUNT:
        raise Invalid(_count_message())
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise Invalid(
            _(
                "Choose between %(low)d and %(high)d seconds a question.",
                low=MIN_SECONDS,
                high=MAX_SECONDS,
            )
        )
    if scoring not in SCORING_MODES:
        raise Invalid(_("Unknown scoring: %(scoring)s.", scoring=scoring))
    unknown = sorted(set(types or ()) - set(QUESTION_TYPES))
    if unknown:
        raise Invalid(_("Unknown question type: %(type)s.", type=unknown[0]))


def _count_message() -> str:
    """The refusal of a question count out of range."""
    return _("Choose between %(low)d and %(high)d questions.", low=MIN_COUNT, high=MAX_COUNT)


def _hand_picked(revision_id: int, question_ids: Sequence[int]) -> list[int]:
    """``question_ids`` in their order if each is an approved question of the revision, once."""
    wanted = list(dict.fromkeys(question_ids))
    if len(wanted) > MAX_COUNT:
        raise Invalid(_count_message())
    found = set(
        db.session.scalars(
            select(Question.id).where(
                Question.id.in_(wanted),
                Question.revision_id == revision_id,
                Question.status == STATUS_APPROVED,
            )
        )
    )
    missing = [question_id for question_id in wanted if question_id not in found]
    if missing:
        raise Invalid(
            _("Question %(id)d is not an approved question of this revision.", id=missing[0])
        )
    return wanted


def _unused_code() -> str:
    """A join code no session has (collisions are one in 10^11: retried a few times)."""
    for _try in range(CODE_TRIES):
        code = new_join_code()
        if db.session.scalar(select(LiveSession.id).where(LiveSession.code == code)) is None:
            return code
    raise RuntimeError("no unused join code found")  # pragma: no cover
