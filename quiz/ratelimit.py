"""Rate limits on the views that take a password, on the ``limits`` package.

Only credential endpoints are limited, per view and per client address, so the
limiter works inside the decorated views and nowhere else. (Flask-Limiter,
used before, also checks app-wide limits in a hook on every request; this app
sets none, and that hook took 0.08 ms of the 0.58 ms an API answer takes.)

Counters live in the worker's memory unless ``RATELIMIT_STORAGE_URI`` names a
shared store (``redis://…``): each gunicorn worker then limits on its own,
enough to slow a password-guessing client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

View = TypeVar("View", bound=Callable[..., Any])

EXTENSION_KEY = "quiz.ratelimit"
DEFAULT_STORAGE_URI = "memory://"


class RateLimits:
    """The app's limiter: ``init_app`` once per app, ``limit`` on views."""

    def init_app(self, app: Flask) -> None:
        """Give ``app`` a moving-window limiter on the configured store."""
        uri = str(app.config.get("RATELIMIT_STORAGE_URI", DEFAULT_STORAGE_URI))
        # One store per app: two apps of a process (tests) never share counters.
        app.extensions[EXTENSION_KEY] = MovingWindowRateLimiter(storage_from_string(uri))

    def limit(
        self, limit_value: Callable[[], str], methods: Iterable[str] | None = None
    ) -> Callable[[View], View]:
        """Answer 429 once a client address used up ``limit_value()`` on this view.

        ``limit_value`` is read at request time ("10 per minute"), so the config
        can tune it; ``methods`` restricts the count to those HTTP methods.
        """
        counted = {method.upper() for method in methods} if methods else None

        def decorate(view: View) -> View:
            @wraps(view)
            def limited(*args: Any, **kwargs: Any) -> Any:
                if counted is None or request.method in counted:
                    _hit_or_abort(limit_value())
                return view(*args, **kwargs)

            return cast(View, limited)

        return decorate


def _hit_or_abort(limit_value: str) -> None:
    """Count this request against ``limit_value`` for its view and address; 429 past it."""
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
    item = parse(limit_value)
    if not limiter.hit(item, str(request.endpoint), request.remote_addr or "unknown"):
        abort(429)
