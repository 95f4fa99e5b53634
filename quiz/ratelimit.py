"""Rate limits on the views that take a password or start a quiz, on the ``limits`` package.

Limits apply inside the decorated views and nowhere else. (Flask-Limiter,
used before, also checks app-wide limits in a hook on every request; this app
sets none, and that hook took 0.08 ms of the 0.58 ms an API answer takes.)

Counters are shared by every worker: in the app's database by default
(``quiz.ratelimit_store``), or in the store ``RATELIMIT_STORAGE_URI`` names
(``redis://…``; ``memory://`` counts per worker). Each limit counts per view
and per key: the client's address by default, or what the view names (the
account a login tries), so that a class behind one address does not lock a
student out with a classmate's typos.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from flask import Flask, abort, current_app, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

View = TypeVar("View", bound=Callable[..., Any])

EXTENSION_KEY = "quiz.ratelimit"
# Logins to one account count together, through the pages and the API alike.
ACCOUNT_SCOPE = "login-account"


class Counters(Protocol):
    """Where hits are counted: ``limits``' limiter, or ``DatabaseCounters``."""

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit; False once past the limit."""

    def test(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Whether one more hit would pass, counting nothing."""


def client_address() -> str:
    """The key of a limit per client address."""
    return request.remote_addr or "unknown"


def configured(name: str, default: str) -> Callable[[], str]:
    """A limit read from the config at request time (``name``), ``default`` if unset."""

    def limit_value() -> str:
        return str(current_app.config.get(name, default))

    limit_value.__name__ = name.lower()
    return limit_value


class RateLimits:
    """The app's limiter: ``init_app`` once per app, then ``limit`` and ``hit_or_abort``."""

    def init_app(self, app: Flask, database_counters: Callable[[], Counters]) -> None:
        """Give ``app`` its counters: the configured store, else ``database_counters()``.

        The factory passes ``ratelimit_store.DatabaseCounters``: the store needs the
        models, which need ``extensions``, which creates the limiter from this module.
        """
        uri = app.config.get("RATELIMIT_STORAGE_URI")
        if uri:
            counters: Counters = MovingWindowRateLimiter(storage_from_string(str(uri)))
        else:
            counters = database_counters()
        app.extensions[EXTENSION_KEY] = counters

    def limit(
        self,
        limit_value: Callable[[], str],
        methods: Iterable[str] | None = None,
        key: Callable[[], str] = client_address,
    ) -> Callable[[View], View]:
        """Answer 429 once ``key()`` used up ``limit_value()`` on this view.

        ``limit_value`` is read at request time ("10 per minute"), so the config
        can tune it; ``methods`` restricts the count to those HTTP methods; a
        request whose ``key()`` is empty is not counted.
        """
        counted = {method.upper() for method in methods} if methods else None

        def decorate(view: View) -> View:
            @wraps(view)
            def limited(*args: Any, **kwargs: Any) -> Any:
                counted_key = key() if counted is None or request.method in counted else ""
                # An empty key counts nobody (a visitor the session does not know yet).
                if counted_key:
                    endpoint = str(request.endpoint)
                    self.hit_or_abort(limit_value(), endpoint, key.__name__, counted_key)
                return view(*args, **kwargs)

            return cast(View, limited)

        return decorate

    def hit_or_abort(self, limit_value: str, *identifiers: str) -> None:
        """Count a hit of ``identifiers`` against ``limit_value``; 429 past it.

        Call it before the request writes anything (see ``quiz.ratelimit_store``).
        """
        counters: Counters = current_app.extensions[EXTENSION_KEY]
        if not counters.hit(parse(limit_value), *identifiers):
            abort(429)

    def abort_if_used_up(self, limit_value: str, *identifiers: str) -> None:
        """429 if ``identifiers`` have used up ``limit_value`` already, counting no hit.

        For limits that count failures only (a join code that names no
        session): once past the limit, every try is refused, right or wrong,
        so that the answers stop telling a guesser anything.
        """
        counters: Counters = current_app.extensions[EXTENSION_KEY]
        if not counters.test(parse(limit_value), *identifiers):
            abort(429)


# The live sessions' join codes, shared by the JSON API and the join pages: a missed code
# costs one try of its address's budget (guessing a code is the attack), and each address
# may join only so often (a school's network puts a whole class behind one address).
code_miss_rate_limit = configured("LIVE_CODE_MISS_RATE_LIMIT", "30 per minute")
join_address_rate_limit = configured("LIVE_JOIN_ADDRESS_RATE_LIMIT", "2000 per minute")
LIVE_CODE_MISS_SCOPE = "live-code-miss"
