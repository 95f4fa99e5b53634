"""Joining a live session: a nickname (or an account), and a secret token to rejoin with.

The token is given once, at the first join, and stored hashed (sha256): the
phone keeps it, and whoever holds it is that participant, on any device, with
every answer and point so far. A nickname is unique in its session whatever
its case, accents' composition or spacing; a taken one without its token is a
``Conflict``. A student who joined with their account rejoins with the account
(a new token is issued: the old device's stops working). The instructor may
remove a nickname: it stays taken, and its token opens nothing any more.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...live_models import NICKNAME_MAX_LENGTH, PHASE_ENDED, LiveParticipant, LiveSession
from ...models import User
from ..database import insert_unless_duplicate
from ..errors import Invalid, NotFound, Unauthenticated
from .errors import ENDED, NICKNAME_TAKEN, Conflict, Forbidden
from .sessions import bump_version


@dataclass(frozen=True)
class Seat:
    """A participant as joined: the token to keep, and whether it was a rejoin."""

    participant: LiveParticipant
    token: str
    rejoined: bool


def token_digest(token: str) -> str:
    """What is stored of a rejoin token (and looked up by)."""
    return hashlib.sha256(token.encode()).hexdigest()


def clean_nickname(nickname: str) -> str:
    """The nickname NFKC-normalized and single-spaced; ``Invalid`` if empty, long or invisible."""
    name = " ".join(unicodedata.normalize("NFKC", nickname).split())
    if not 1 <= len(name) <= NICKNAME_MAX_LENGTH:
        raise Invalid(_("A nickname has 1 to %(max)d characters.", max=NICKNAME_MAX_LENGTH))
    if any(unicodedata.category(char)[0] in "CZ" and char != " " for char in name):
        raise Invalid(_("This nickname contains an invisible character."))
    return name


def nickname_key(name: str) -> str:
    """What makes two nicknames one: "Léa", "LÉA" and "lea" with a combining accent."""
    return unicodedata.normalize("NFC", name.casefold())


def join(
    session: LiveSession, nickname: str, *, token: str | None = None, user: User | None = None
) -> Seat:
    """Seat a participant, or give back their seat.

    The same nickname with its token, or the same account, is the same
    participant (``rejoined``). A taken nickname otherwise is a ``Conflict``
    (``nickname_taken``); a removed participant is ``Forbidden``; an ended
    session takes no newcomer (``Conflict``, ``ended``).
    """
    name = clean_nickname(nickname)
    key = nickname_key(name)
    seat = _rejoin(session, key, token, user)
    if seat is not None:
        return seat
    if session.phase == PHASE_ENDED:
        raise Conflict(_("This live session has ended."), ENDED)
    new_token = secrets.token_urlsafe(24)
    values = {
        "session_id": session.id,
        "nickname": name,
        "nickname_key": key,
        "user_id": user.id if user is not None else None,
        "token_hash": token_digest(new_token),
        "removed": False,
    }
    # Two phones taking one nickname at once: the unique constraint keeps the first.
    participant = insert_unless_duplicate(LiveParticipant, values)
    if participant is None:
        raise Conflict(
            _("This nickname is taken in this session: choose another one."), NICKNAME_TAKEN
        )
    return Seat(participant, new_token, rejoined=False)


def _rejoin(
    session: LiveSession, key: str, token: str | None, user: User | None
) -> Seat | None:
    """The seat a token (with its nickname) or an account already holds, if any."""
    if token:
        held = db.session.scalar(
            select(LiveParticipant).where(
                LiveParticipant.session_id == session.id,
                LiveParticipant.token_hash == token_digest(token),
                LiveParticipant.nickname_key == key,
            )
        )
        if held is not None:
            _require_present(held)
            return Seat(held, token, rejoined=True)
    if user is not None:
        held = db.session.scalar(
            select(LiveParticipant).where(
                LiveParticipant.session_id == session.id, LiveParticipant.user_id == user.id
            )
        )
        if held is not None:
            _require_present(held)
            fresh = secrets.token_urlsafe(24)
            held.token_hash = token_digest(fresh)
            db.session.flush()
            return Seat(held, fresh, rejoined=True)
    return None


def participant_for_token(code: str, token: str) -> LiveParticipant:
    """The participant a token seats in the session of ``code``.

    ``Unauthenticated`` for a token this session never gave (whatever the code:
    a wrong token tells nothing about which codes exist), ``Forbidden`` once
    removed.
    """
    participant = db.session.scalar(
        select(LiveParticipant).where(LiveParticipant.token_hash == token_digest(token))
    )
    if participant is None or participant.session.code != code:
        raise Unauthenticated(_("Unknown participant token: join the session again."))
    _require_present(participant)
    return participant


def remove_participant(session: LiveSession, participant_id: int) -> LiveParticipant:
    """Remove a nickname from the session (its answers stay, out of the ranking)."""
    participant = db.session.get(LiveParticipant, participant_id)
    if participant is None or participant.session_id != session.id:
        raise NotFound(_("This participant is not in this session."))
    if not participant.removed:
        participant.removed = True
        db.session.flush()
        bump_version(session)
    return participant


def present_participants(session_id: int) -> list[LiveParticipant]:
    """The session's participants not removed, in the order they joined."""
    return list(
        db.session.scalars(
            select(LiveParticipant)
            .where(LiveParticipant.session_id == session_id, LiveParticipant.removed.is_(False))
            .order_by(LiveParticipant.id)
        )
    )


def _require_present(participant: LiveParticipant) -> None:
    """``Forbidden`` for a participant the instructor removed."""
    if participant.removed:
        raise Forbidden(_("The instructor removed you from this session."))
