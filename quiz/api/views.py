"""The JSON API, ``/api/v1``: thin views over ``quiz.services``.

Each view reads and validates its input (``payloads``), calls one or two
services, commits once when it wrote something, and shapes the answer
(``bodies``). Failures become JSON errors in ``errors``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue

from ..extensions import csrf, db, limiter
from ..ratelimit import ACCOUNT_SCOPE
from ..services.accounts import users
from ..services.library.sheets import list_sheets
from ..services.study import api_answers, attempts, stats
from . import bodies, payloads
from .auth import (
    auth_address_rate_limit,
    auth_rate_limit,
    bearer_claim,
    current_owner,
    token_required,
)
from .errors import ApiError, register_error_handlers

OPENAPI_PATH = Path(__file__).with_name("openapi.json")

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Clients authenticate with a bearer token, not a cookie, so there is no
# cross-site request to forge.
csrf.exempt(bp)
register_error_handlers(bp)


@bp.post("/auth/register")
@limiter.limit(auth_address_rate_limit)
def register() -> ResponseReturnValue:
    """Create a student account and return a token for it."""
    credentials = payloads.read_new_credentials(payloads.read_json_object({"username", "password"}))
    user = users.register(credentials.username, credentials.password)
    token = users.issue_token(user)
    db.session.commit()
    return {"token": token}, 201


@bp.post("/auth/token")
@limiter.limit(auth_address_rate_limit)
def issue_token() -> ResponseReturnValue:
    """Exchange a username and password for a token (limited per address and per account)."""
    credentials = payloads.read_login(payloads.read_json_object({"username", "password"}))
    name_key = users.login_name_key(credentials.username)
    limiter.hit_or_abort(auth_rate_limit(), ACCOUNT_SCOPE, name_key)
    user = users.authenticate(credentials.username, credentials.password)
    if user is None:
        raise ApiError(401, "Nom d’utilisateur ou mot de passe incorrect.")
    return {"token": users.issue_token(user)}


@bp.get("/sheets")
@token_required
def sheets() -> ResponseReturnValue:
    """Every imported sheet with its revisions and question count."""
    return [bodies.sheet_body(sheet) for sheet in list_sheets()]


@bp.post("/attempts")
@token_required
def start_attempt() -> ResponseReturnValue:
    """Draw questions from a sheet into a new attempt; answers stay hidden."""
    fields = {"sheet", "count", "revision", "types", "tags"}
    wanted = payloads.read_attempt_request(payloads.read_json_object(fields))
    attempt = attempts.start_attempt(
        current_owner(),
        wanted.sheet,
        revision_label=wanted.revision,
        count=wanted.count,
        types=wanted.types,
        tags=wanted.tags,
    )
    db.session.commit()
    return bodies.attempt_body(attempt), 201


@bp.post("/attempts/<int:attempt_id>/answers")
def answer_question(attempt_id: int) -> ResponseReturnValue:
    """Score one answer; a second answer to the same question is a 409.

    The hot path: the token's signature is checked here, and whether it still
    holds is read with the attempt (``api_answers``), which commits.
    """
    claim = bearer_claim()
    submission = payloads.read_answer_submission(
        payloads.read_json_object({"question_id", "answer"})
    )
    feedback = api_answers.answer_with_token(
        claim, attempt_id, submission.question_id, submission.answer
    )
    return bodies.feedback_body(feedback)


@bp.get("/me/stats")
@token_required
def my_stats() -> ResponseReturnValue:
    """The token owner's totals, per sheet and per tag."""
    return bodies.stats_body(stats.learner_stats(current_owner()))


@bp.get("/openapi.json")
def openapi() -> Any:
    """This API described in OpenAPI 3.1."""
    return current_app.response_class(openapi_document(), mimetype="application/json")


@cache
def openapi_document() -> bytes:
    """The OpenAPI file, read once per worker."""
    return OPENAPI_PATH.read_bytes()
