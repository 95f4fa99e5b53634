"""Request bodies of the live session endpoints, validated like the rest of the API.

Each ``read_*`` returns a small typed value or raises ``ApiError(400)`` naming
the field at fault; unknown fields are refused (``payloads.read_json_object``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..live_models import NICKNAME_MAX_LENGTH, SCORING_CORRECT, SCORING_MODES
from ..models import MAX_ROW_ID, QUESTION_TYPES
from ..services.classroom.sessions import MAX_COUNT, MAX_SECONDS, MIN_COUNT, MIN_SECONDS
from .errors import ApiError
from .payloads import (
    LABEL_MAX_LENGTH,
    QUESTION_TAGS,
    SLUG_MAX_LENGTH,
    _integer,
    _known_values,
    _string,
)

# A participant token is ``secrets.token_urlsafe(24)``: 32 characters.
TOKEN_MAX_LENGTH = 100
MAX_VERSION = 2**31 - 1


@dataclass(frozen=True)
class SessionRequest:
    """What ``POST /live`` asks for."""

    sheet: str
    revision: str | None
    count: int
    seconds: int
    scoring: str
    types: list[str] | None
    tags: list[str] | None
    question_ids: list[int] | None


@dataclass(frozen=True)
class JoinRequest:
    """What ``POST /live/<code>/join`` sends: a nickname, and the token of an earlier join."""

    nickname: str
    token: str | None


def read_session_request(payload: dict[str, Any]) -> SessionRequest:
    """``sheet`` and ``seconds`` (required); ``revision``, ``count`` (default 10),
    ``scoring`` (default "correct"), ``types``, ``tags`` or a hand-picked ``question_ids``."""
    sent = {name for name, value in payload.items() if value is not None}
    scoring = _string(payload, "scoring", 1, 20) if "scoring" in sent else SCORING_CORRECT
    if scoring not in SCORING_MODES:
        raise ApiError(400, f"« scoring » : {' ou '.join(SCORING_MODES)}.", "scoring")
    return SessionRequest(
        sheet=_string(payload, "sheet", 1, SLUG_MAX_LENGTH),
        revision=_string(payload, "revision", 1, LABEL_MAX_LENGTH) if "revision" in sent else None,
        count=_integer(payload, "count", MIN_COUNT, MAX_COUNT) if "count" in sent else 10,
        seconds=_integer(payload, "seconds", MIN_SECONDS, MAX_SECONDS),
        scoring=scoring,
        types=_known_values(payload, "types", QUESTION_TYPES) if "types" in sent else None,
        tags=_known_values(payload, "tags", QUESTION_TAGS) if "tags" in sent else None,
        question_ids=_question_ids(payload) if "question_ids" in sent else None,
    )


def _question_ids(payload: dict[str, Any]) -> list[int]:
    """A non-empty list of at most ``MAX_COUNT`` question ids."""
    values = payload["question_ids"]
    if not isinstance(values, list) or not 1 <= len(values) <= MAX_COUNT:
        raise ApiError(
            400, f"« question_ids » doit lister de 1 à {MAX_COUNT} questions.", "question_ids"
        )
    return [_integer({"question_ids": value}, "question_ids", 1, MAX_ROW_ID) for value in values]


def read_join_request(payload: dict[str, Any]) -> JoinRequest:
    """``nickname`` (required) and ``participant_token`` (to rejoin)."""
    token = payload.get("participant_token")
    return JoinRequest(
        nickname=_string(payload, "nickname", 1, NICKNAME_MAX_LENGTH),
        token=_string(payload, "participant_token", 1, TOKEN_MAX_LENGTH) if token else None,
    )


def read_version(payload: dict[str, Any]) -> int:
    """The ``version`` of the state the instructor acted on (required)."""
    return _integer(payload, "version", 1, MAX_VERSION)
