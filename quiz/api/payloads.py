"""Explicit validation of request bodies: types, lengths, ranges, known values.

Each ``read_*`` function turns a JSON body into a small typed value or raises
``ApiError(400)`` naming the field at fault, so the services only ever see
well-formed input. Unknown fields are refused too: a typo such as ``tag`` for
``tags`` would otherwise be silently ignored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

from ..models import MAX_ROW_ID, QUESTION_TYPES, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH
from ..services.accounts.users import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from .errors import ApiError

# Far above any legitimate body (the longest is an ``order`` answer); refusing
# early keeps a client from making the worker parse megabytes.
MAX_BODY_BYTES = 64 * 1024

SLUG_MAX_LENGTH = 200
LABEL_MAX_LENGTH = 200
COUNT_RANGE = (1, 50)
ANSWER_MAX_LENGTH = 500
ORDER_MAX_ITEMS = 20

# The tags the pipeline gives questions (docs/question-schema.md).
QUESTION_TAGS = ("date", "institution", "acronym", "treaty", "number", "person", "place")


@dataclass(frozen=True)
class Credentials:
    """A username and password as sent to ``/auth/register`` or ``/auth/token``."""

    username: str
    password: str


@dataclass(frozen=True)
class AttemptRequest:
    """What ``POST /attempts`` asks for."""

    sheet: str
    count: int
    revision: str | None
    types: list[str] | None
    tags: list[str] | None


@dataclass(frozen=True)
class AnswerSubmission:
    """What ``POST /attempts/<id>/answers`` submits."""

    question_id: int
    answer: str | list[str]


def read_json_object(allowed: Collection[str]) -> dict[str, Any]:
    """The request body as a JSON object with no field outside ``allowed``."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiError(413, f"Le corps de la requête dépasse {MAX_BODY_BYTES} octets.")
    if not request.is_json:
        raise ApiError(400, "Envoyez un corps JSON avec « Content-Type: application/json ».")
    try:
        payload = request.get_json()
    # Python's parser recurses: a few thousand nested brackets exhaust the stack.
    except (BadRequest, RecursionError):
        raise ApiError(400, "Le corps de la requête n’est pas du JSON valide.") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "Le corps de la requête doit être un objet JSON.")
    unknown = sorted(set(payload) - set(allowed))
    if unknown:
        raise ApiError(400, f"Champ inconnu : « {unknown[0]} ».", unknown[0])
    return payload


def read_new_credentials(payload: dict[str, Any]) -> Credentials:
    """A username and password fit for a new account (lengths as the service requires)."""
    return Credentials(
        username=_string(payload, "username", USERNAME_MIN_LENGTH, USERNAME_MAX_LENGTH),
        password=_string(
            payload, "password", PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, strip=False
        ),
    )


def read_login(payload: dict[str, Any]) -> Credentials:
    """A username and password to check: any non-empty strings of bounded length.

    A name or password too short to exist is just wrong credentials (401), not a 400.
    """
    return Credentials(
        username=_string(payload, "username", 1, USERNAME_MAX_LENGTH),
        password=_string(payload, "password", 1, PASSWORD_MAX_LENGTH, strip=False),
    )


def read_attempt_request(payload: dict[str, Any]) -> AttemptRequest:
    """``sheet`` and ``count`` (required), ``revision``, ``types`` and ``tags`` (optional).

    An optional field sent as null counts as omitted.
    """
    sent = {name for name, value in payload.items() if value is not None}
    return AttemptRequest(
        sheet=_string(payload, "sheet", 1, SLUG_MAX_LENGTH),
        count=_integer(payload, "count", *COUNT_RANGE),
        revision=_string(payload, "revision", 1, LABEL_MAX_LENGTH) if "revision" in sent else None,
        types=_known_values(payload, "types", QUESTION_TYPES) if "types" in sent else None,
        tags=_known_values(payload, "tags", QUESTION_TAGS) if "tags" in sent else None,
    )


def read_answer_submission(payload: dict[str, Any]) -> AnswerSubmission:
    """``question_id`` (a positive integer) and ``answer`` (a string, or strings for ``order``)."""
    question_id = _integer(payload, "question_id", 1, MAX_ROW_ID)
    answer = _required(payload, "answer")
    if isinstance(answer, list):
        _check_answer_items(answer)
        return AnswerSubmission(question_id, [item.strip() for item in answer])
    if not isinstance(answer, str):
        raise ApiError(400, "« answer » doit être une chaîne ou une liste de chaînes.", "answer")
    return AnswerSubmission(question_id, _bounded(answer.strip(), "answer", 1, ANSWER_MAX_LENGTH))


def _check_answer_items(items: list[Any]) -> None:
    """An ``order`` answer: 1 to ``ORDER_MAX_ITEMS`` non-empty strings."""
    if not 1 <= len(items) <= ORDER_MAX_ITEMS:
        raise ApiError(400, f"« answer » doit lister de 1 à {ORDER_MAX_ITEMS} éléments.", "answer")
    for item in items:
        if not isinstance(item, str):
            raise ApiError(400, "Les éléments de « answer » doivent être des chaînes.", "answer")
        _bounded(item.strip(), "answer", 1, ANSWER_MAX_LENGTH)


def _required(payload: dict[str, Any], name: str) -> Any:
    """The value of a required field; absent or null is an error."""
    value = payload.get(name)
    if value is None:
        raise ApiError(400, f"Le champ « {name} » est obligatoire.", name)
    return value


def _string(
    payload: dict[str, Any], name: str, min_length: int, max_length: int, *, strip: bool = True
) -> str:
    """A required string field, trimmed unless ``strip`` is false (passwords)."""
    value = _required(payload, name)
    if not isinstance(value, str):
        raise ApiError(400, f"« {name} » doit être une chaîne.", name)
    return _bounded(value.strip() if strip else value, name, min_length, max_length)


def _bounded(value: str, name: str, min_length: int, max_length: int) -> str:
    """``value`` if its length lies within the bounds and every database can store it."""
    if not _is_unicode_text(value):
        # JSON's "\\ud800" escape gives a lone surrogate, which no database can store.
        raise ApiError(400, f"« {name} » contient un caractère invalide (U+D800 à U+DFFF).", name)
    if "\x00" in value:
        # "\\u0000" gives a NUL, which PostgreSQL can neither store nor compare.
        raise ApiError(400, f"« {name} » contient un caractère invalide (U+0000).", name)
    if not min_length <= len(value) <= max_length:
        raise ApiError(
            400, f"« {name} » doit compter de {min_length} à {max_length} caractères.", name
        )
    return value


def _is_unicode_text(value: str) -> bool:
    """Whether ``value`` holds only characters UTF-8 can encode (no lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _integer(payload: dict[str, Any], name: str, minimum: int, maximum: int) -> int:
    """A required integer field within ``[minimum, maximum]``."""
    value = _required(payload, name)
    # bool is an int subclass in Python: ``true`` is not a count.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, f"« {name} » doit être un entier.", name)
    if not minimum <= value <= maximum:
        raise ApiError(400, f"« {name} » doit être compris entre {minimum} et {maximum}.", name)
    return value


def _known_values(payload: dict[str, Any], name: str, known: Sequence[str]) -> list[str]:
    """A non-empty list of distinct values, each one of ``known``."""
    values = payload[name]
    if not isinstance(values, list) or not values:
        raise ApiError(400, f"« {name} » doit être une liste non vide (ou être omis).", name)
    for value in values:
        if not isinstance(value, str) or value not in known:
            raise ApiError(
                400,
                f"« {name} » : « {value} » inconnu ; valeurs possibles : {', '.join(known)}.",
                name,
            )
    return list(dict.fromkeys(values))
