"""Accounts: register, log in, log out, and the language switch (blueprint ``auth``).

See docs/architecture.md.
"""

from .auth import bp

__all__ = ["bp"]
