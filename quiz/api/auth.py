"""Bearer-token authentication of API requests.

The API keeps no session: every protected request carries
``Authorization: Bearer <token>``, a token from ``users.issue_token``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request

from ..extensions import db
from ..models import User
from ..ratelimit import configured
from ..services.accounts import users
from ..services.study.api_answers import STALE_TOKEN
from ..services.study.attempts import Owner
from .errors import ApiError

# Per account name: enough for a person who mistypes a password, far too few to
# guess one. Per address: a class behind one address fits.
auth_rate_limit = configured("API_AUTH_RATE_LIMIT", "10 per minute")
auth_address_rate_limit = configured("API_AUTH_ADDRESS_RATE_LIMIT", "100 per minute")

View = TypeVar("View", bound=Callable[..., Any])


def token_required(view: View) -> View:
    """Run ``view`` only for a request with a valid bearer token; else answer 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.api_user_id = _user_id_from_bearer_token()
        return view(*args, **kwargs)

    return cast(View, wrapper)


def current_user() -> User:
    """The user of the token that authenticated this request (loaded on first use)."""
    if "api_user" not in g:
        g.api_user = db.session.get(User, g.api_user_id)
    return cast(User, g.api_user)


def current_owner() -> Owner:
    """The owner the services act for: the token's user, never a visitor."""
    return Owner(user_id=cast(int, g.api_user_id), visitor_id=None)


def bearer_claim() -> users.TokenClaim:
    """The claim of the request's bearer token (signature and age checked), or ``ApiError(401)``.

    Whether the claim still holds is left to the caller: ``token_required``
    asks the database, the answer hot path reads it with the attempt.
    """
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer" or not authorization.token:
        raise ApiError(401, "Envoyez « Authorization: Bearer <jeton> » (voir /auth/token).")
    claim = users.read_token(authorization.token)
    if claim is None:
        raise ApiError(401, STALE_TOKEN)
    return claim


def _user_id_from_bearer_token() -> int:
    """The user named by the ``Authorization`` header, or ``ApiError(401)``."""
    claim = bearer_claim()
    if not users.claim_holds(claim):
        raise ApiError(401, STALE_TOKEN)
    return claim.user_id
