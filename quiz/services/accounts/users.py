"""Accounts: register, authenticate, claim a visitor's attempts, API tokens.

Passwords are hashed by werkzeug; names are NFKC-normalized and unique whatever their case. API
bearer tokens are signed with ``SECRET_KEY`` (itsdangerous) and last 30 days;
changing the password invalidates them. Services flush, the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ...extensions import db, login_manager
from ...models import (
    ROLE_STUDENT,
    SESSION_ID_SEPARATOR,
    USER_ROLES,
    USERNAME_MAX_LENGTH,
    USERNAME_MIN_LENGTH,
    Attempt,
    User,
)
from ..database import insert_unless_duplicate
from ..errors import Invalid

PASSWORD_MIN_LENGTH = 8
# Hashing is deliberately slow: refuse to hash megabytes.
PASSWORD_MAX_LENGTH = 1000
TOKEN_MAX_AGE_SECONDS = 30 * 24 * 3600
TOKEN_CLOCK_SKEW_SECONDS = 60
TOKEN_SALT = "quiz.api-token"
NAME_TAKEN = "Ce nom d'utilisateur est déjà pris."


@login_manager.user_loader  # type: ignore[untyped-decorator]
def load_user(session_user_id: str) -> User | None:
    """The user of a session cookie (``User.get_id``); None if gone or logged out since."""
    user_id, _, epoch = session_user_id.partition(SESSION_ID_SEPARATOR)
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_epoch == int(epoch) else None


def end_sessions(user: User) -> None:
    """Log ``user`` out of every browser: the cookies issued so far stop naming them."""
    user.session_epoch = User.session_epoch + 1
    db.session.flush()


def register(username: str, password: str, role: str = ROLE_STUDENT) -> User:
    """Create an account; ``Invalid`` for a taken or malformed name or a short password."""
    name = clean_username(username)
    check_password(password)
    if role not in USER_ROLES:
        raise Invalid(f"Rôle inconnu : {role}.")
    if find_user(name) is not None:
        raise Invalid(NAME_TAKEN)
    values = {"username": name, "password_hash": generate_password_hash(password), "role": role}
    # Two registrations of one name at once: the database keeps the first.
    user: User | None = insert_unless_duplicate(User, values)
    if user is None:
        raise Invalid(NAME_TAKEN)
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user with this name (any case) and password, else None."""
    user = find_user(unicodedata.normalize("NFKC", username).strip())
    if user is None:
        # Hash anyway, so the time taken does not tell which names exist.
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def login_name_key(username: str) -> str:
    """What names one account whatever the case or spacing typed (rate limits count by it)."""
    return unicodedata.normalize("NFC", username).strip().lower()


def find_user(username: str) -> User | None:
    """The user whose name is ``username`` up to case, if any."""
    query = select(User).where(func.lower(User.username) == username.lower())
    return db.session.scalar(query)


def clean_username(username: str) -> str:
    """The name trimmed and NFKC-normalized; ``Invalid`` if its length or characters are wrong.

    NFKC, not NFC: "ＢＯＢ" (full width) or "ｂｏｂ" would otherwise be an account
    of its own next to "bob", looking the same on every page.
    """
    name = unicodedata.normalize("NFKC", username).strip()
    if not USERNAME_MIN_LENGTH <= len(name) <= USERNAME_MAX_LENGTH:
        raise Invalid(
            f"Le nom d'utilisateur doit compter de {USERNAME_MIN_LENGTH}"
            f" à {USERNAME_MAX_LENGTH} caractères."
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise Invalid("Le nom d'utilisateur contient un caractère invisible.")
    return name


def check_password(password: str) -> None:
    """``Invalid`` unless the password has 8 characters or more (and is not absurdly long)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise Invalid(f"Le mot de passe doit compter au moins {PASSWORD_MIN_LENGTH} caractères.")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise Invalid("Ce mot de passe est trop long.")


def claim_visitor_attempts(visitor_id: str | None, user: User) -> int:
    """Give ``user`` the attempts a visitor made without an account; return how many."""
    if not visitor_id:
        return 0
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.user_id.is_(None), Attempt.visitor_id == visitor_id)
        .values(user_id=user.id, visitor_id=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def issue_token(user: User) -> str:
    """A bearer token for the API, valid 30 days (or until the password changes)."""
    return _serializer().dumps({"user": user.id, "key": _password_key(user)})


def user_for_token(token: str) -> User | None:
    """The user of a token; None if it is forged, tampered with, expired or outdated."""
    user_id = user_id_for_token(token)
    return None if user_id is None else db.session.get(User, user_id)


@dataclass(frozen=True)
class TokenClaim:
    """What a well-signed, unexpired token says: whose it is, for which password."""

    user_id: int
    key: str  # digest of the password hash the token was issued for

    def fits(self, password_hash: str | None) -> bool:
        """Whether the claim holds for a user whose password hash is ``password_hash``."""
        return password_hash is not None and hmac.compare_digest(self.key, _hash_key(password_hash))


def read_token(token: str) -> TokenClaim | None:
    """The claim of a token; None if forged, tampered with, expired, future-dated or malformed.

    Only the signature and age are checked here: whether the claim still holds
    (the user exists, the password has not changed) is ``claim_holds``.
    """
    signed = _signed_claim(current_app.config["SECRET_KEY"], token)
    if signed is None:
        return None
    claim, issued_at = signed
    age = time.time() - issued_at
    # A token "signed" in the future was not signed by this server's clock: it
    # would outlive the 30 days. A minute covers clocks of several servers.
    if not -TOKEN_CLOCK_SKEW_SECONDS <= age <= TOKEN_MAX_AGE_SECONDS:
        return None
    return claim


@lru_cache(maxsize=4096)
def _signed_claim(secret_key: str | bytes, token: str) -> tuple[TokenClaim, float] | None:
    """The claim a token carries and when it was signed; None if forged or malformed.

    Cached: a signature checked once stays good (only its age changes, which
    ``read_token`` checks on every call), and clients send the same token
    with every request, so each worker verifies a token's HMAC once.
    """
    try:
        data, signed_at = _serializer_for(secret_key).loads(token, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    return TokenClaim(user_id=data["user"], key=str(data.get("key"))), signed_at.timestamp()


def claim_holds(claim: TokenClaim) -> bool:
    """Whether the claim's user still exists with the password the token was issued for.

    The hash is read alone by a cached Core query (no ORM object), unless the
    session already holds that user, whose state then wins.
    """
    loaded = db.session.identity_map.get(db.session.identity_key(User, claim.user_id))
    if loaded is not None:
        return claim.fits(loaded.password_hash)
    connection = db.session.connection()
    return claim.fits(connection.execute(_PASSWORD_HASH, {"id": claim.user_id}).scalar())


def user_id_for_token(token: str) -> int | None:
    """The id of a token's user; None if it is forged, tampered with, expired or outdated."""
    claim = read_token(token)
    return claim.user_id if claim is not None and claim_holds(claim) else None


_USERS = User.__table__
_PASSWORD_HASH = select(_USERS.c.password_hash).where(_USERS.c.id == bindparam("id"))


def _serializer() -> URLSafeTimedSerializer:
    """Signs and checks tokens with the app's secret key."""
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=8)
def _serializer_for(secret_key: str | bytes) -> URLSafeTimedSerializer:
    """One serializer per secret key, built once per worker (it derives its key)."""
    return URLSafeTimedSerializer(secret_key, salt=TOKEN_SALT)


def _password_key(user: User) -> str:
    """A short digest of the password hash: a new password makes old tokens invalid."""
    return _hash_key(user.password_hash)


def _hash_key(password_hash: str) -> str:
    """The digest of a password hash that tokens carry."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@cache
def _dummy_hash() -> str:
    """A hash to check passwords against when the name is unknown."""
    return generate_password_hash("not anybody's password")
