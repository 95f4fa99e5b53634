"""The key that signs session cookies and API tokens.

A deployment sets ``SECRET_KEY`` (environment or instance ``config.py``).
Without one, the first start writes a random key into the instance folder
(readable by its owner only) and every later start, and every worker, reads
it back, so sessions and tokens survive a restart. The old development
default is refused outside tests: anybody can forge a cookie with it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

KEY_FILE_NAME = "secret_key"
KEY_FILE_MODE = 0o600
# Keys published in this project's history or in tutorials: they sign nothing safely.
KNOWN_DEFAULT_KEYS = frozenset({"dev", "changeme", "secret"})
TESTING_KEY = "dev"


class UnsafeSecretKey(RuntimeError):
    """The configured ``SECRET_KEY`` is a published default."""


def settle_secret_key(app: Flask, instance_dir: Path) -> None:
    """Give ``app`` a secret key: the configured one, else the instance folder's.

    Tests (``TESTING``) may keep the development default; elsewhere it is refused.
    """
    configured = app.config.get("SECRET_KEY")
    if app.testing:
        app.config["SECRET_KEY"] = configured or TESTING_KEY
        return
    if configured in KNOWN_DEFAULT_KEYS:
        raise UnsafeSecretKey(
            f"SECRET_KEY={configured!r} is a published default: anybody can forge a session "
            f"with it. Unset it to use a random key kept in {instance_dir / KEY_FILE_NAME}, "
            'or set a long random one (python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if not configured:
        app.config["SECRET_KEY"] = load_or_create_key(instance_dir / KEY_FILE_NAME)


def load_or_create_key(path: Path) -> str:
    """The key stored at ``path``, written there first (mode 0600) if the file is missing.

    Two workers starting at once may both generate a key: each writes its own
    to a private temporary file and links it into place, which succeeds for
    one only; both then read the one that won, never a half-written file.
    """
    if not path.exists():
        _publish_new_key(path)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise UnsafeSecretKey(f"{path} is empty: delete it to have a new key generated.")
    return key


def _publish_new_key(path: Path) -> None:
    """Write a fresh random key to ``path`` unless another process just did."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        os.link(draft, path)
    except FileExistsError:
        pass  # another worker published its key first: that one is used
    finally:
        draft.unlink(missing_ok=True)
