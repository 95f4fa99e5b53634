"""Health checks for load balancers and supervisors: a registry of named checks per app.

``/healthz`` runs every check of the app and answers 200 when all pass, 503
when one fails. Each app starts with ``database`` (the database answers a
query) and ``migrations`` (its schema is at the newest migration); other parts
of the app add theirs where they are set up, e.g. in ``create_app``::

    health.register_check(app, "queue", queue_worker_alive)

A check is a function of no argument, run inside the request's app context,
that returns a ``CheckResult``. One that raises has failed: the report names
the exception's class only (its message may name hosts or paths, which a
public endpoint must not show) and the log keeps the whole of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

from flask import Flask, current_app
from sqlalchemy import text

from ..extensions import db
from .migrations import migrations_at_head

EXTENSION_KEY = "quiz.health"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: whether it passed, and a short word on why."""

    ok: bool
    detail: str = "ok"


Check = Callable[[], CheckResult]


@dataclass(frozen=True)
class CheckReport:
    """A check's result, named, with the time it took."""

    name: str
    result: CheckResult
    milliseconds: float


@dataclass(frozen=True)
class HealthReport:
    """Every check's report, in the order they were registered."""

    checks: list[CheckReport]

    @property
    def healthy(self) -> bool:
        """Whether every check passed."""
        return all(report.result.ok for report in self.checks)


class HealthChecks:
    """The named checks of one app, run in the order they were registered."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(self, name: str, check: Check) -> None:
        """Add ``check`` under ``name``; a name is registered once only."""
        if name in self._checks:
            raise ValueError(f"a health check named {name!r} is registered already")
        self._checks[name] = check

    def names(self) -> list[str]:
        """The names of the registered checks, in order."""
        return list(self._checks)

    def run(self) -> HealthReport:
        """Run every check; one that raises counts as failed."""
        return HealthReport([_run_one(name, check) for name, check in self._checks.items()])


def _run_one(name: str, check: Check) -> CheckReport:
    """Run ``check``, timing it and turning an exception into a failed result."""
    started = perf_counter()
    try:
        result = check()
    except Exception as error:  # a health check reports faults, it must not raise them
        current_app.logger.warning("Health check %s failed", name, exc_info=True)
        result = CheckResult(False, type(error).__name__)
    return CheckReport(name, result, round((perf_counter() - started) * 1000, 1))


def database_reachable() -> CheckResult:
    """The database answers a query on a connection of the app's pool."""
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()  # whatever happened, the connection goes back clean
    return CheckResult(True)


def migrations_applied() -> CheckResult:
    """The database's schema is at the newest migration (else: run ``quiz init-db``)."""
    if migrations_at_head():
        return CheckResult(True)
    return CheckResult(False, "behind the code's migrations: run quiz init-db")


def init_health(app: Flask) -> HealthChecks:
    """Give ``app`` its registry of checks, starting with ``database`` and ``migrations``."""
    checks = HealthChecks()
    checks.register("database", database_reachable)
    checks.register("migrations", migrations_applied)
    app.extensions[EXTENSION_KEY] = checks
    return checks


def register_check(app: Flask, name: str, check: Check) -> None:
    """Add a named check to ``app``'s registry (made by ``init_health`` in ``create_app``)."""
    checks: HealthChecks = app.extensions[EXTENSION_KEY]
    checks.register(name, check)


def run_checks() -> HealthReport:
    """Run the checks of the current app."""
    checks: HealthChecks = current_app.extensions[EXTENSION_KEY]
    return checks.run()
