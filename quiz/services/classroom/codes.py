"""Join codes: eight characters nobody misreads, from a cryptographic random source.

No 0/O, 1/I/L: a code read off a projector is typed right the first time.
31 characters to the power of 8 is about 8 x 10^11 codes; with the misses of an
address rate-limited (``quiz.api.live``), guessing a running session's code
would take centuries. Typed codes are forgiving: case, spaces and dashes are
ignored.
"""

from __future__ import annotations

import secrets

from ...live_models import JOIN_CODE_LENGTH

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_ALLOWED = frozenset(ALPHABET)


def new_join_code() -> str:
    """A fresh random code (its uniqueness is the database's to check)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_code(typed: str) -> str | None:
    """The code as stored, from what a person typed; None if it cannot be one."""
    cleaned = "".join(typed.split()).replace("-", "").upper()
    if len(cleaned) != JOIN_CODE_LENGTH or not set(cleaned) <= _ALLOWED:
        return None
    return cleaned


def display_code(code: str) -> str:
    """The code as shown on the projector: two groups of four (``ABCD-EFGH``)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
