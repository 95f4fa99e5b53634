"""Who is acting: the logged-in user, or a visitor known by an id in the session.

A visitor may take quizzes without an account; their attempts carry a random
visitor id kept in the (signed) session cookie. Registering or logging in
claims those attempts for the account and forgets the visitor id.
"""

from __future__ import annotations

import secrets

from flask import session
from flask_login import current_user

from ..models import User
from ..services.accounts.users import claim_visitor_attempts
from ..services.study.attempts import Owner

VISITOR_KEY = "visitor_id"


def current_owner() -> Owner | None:
    """The owner of the request; ``None`` for a visitor who has not started anything.

    Never an owner with neither a user id nor a visitor id, so that no query
    can ever match rows that belong to nobody.
    """
    if current_user.is_authenticated:
        return Owner(user_id=current_user.id, visitor_id=None)
    visitor_id = session.get(VISITOR_KEY)
    return Owner(user_id=None, visitor_id=visitor_id) if visitor_id else None


def learner_key() -> str:
    """Who a per-learner rate limit counts: the account or the visitor; "" for a new visitor.

    A new visitor is left to the per-address limit: keying them by address would
    make a class that opens the site together one learner.
    """
    owner = current_owner()
    if owner is None:
        return ""
    return f"user:{owner.user_id}" if owner.user_id is not None else f"visitor:{owner.visitor_id}"


def acting_owner() -> Owner:
    """The owner of the request, giving a visitor an id now (they are starting a quiz)."""
    owner = current_owner()
    if owner is not None:
        return owner
    visitor_id = secrets.token_urlsafe(18)
    session[VISITOR_KEY] = visitor_id
    return Owner(user_id=None, visitor_id=visitor_id)


def claim_visitor_work(user: User) -> int:
    """Give ``user`` the attempts made as a visitor in this session; return how many."""
    visitor_id = session.pop(VISITOR_KEY, None)
    if not visitor_id:
        return 0
    return claim_visitor_attempts(visitor_id, user)
