"""``/healthz``: whether this instance can serve, for load balancers and supervisors."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from ..services.health import HealthReport, run_checks

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Every registered check: 200 when all pass, 503 when one fails; never cached."""
    report = run_checks()
    status = 200 if report.healthy else 503
    return health_body(report), status, {"Cache-Control": "no-store"}


def health_body(report: HealthReport) -> dict[str, object]:
    """The report as JSON: ``status``, then each check by name."""
    return {
        "status": "ok" if report.healthy else "failing",
        "checks": {
            check.name: {
                "ok": check.result.ok,
                "detail": check.result.detail,
                "ms": check.milliseconds,
            }
            for check in report.checks
        },
    }
