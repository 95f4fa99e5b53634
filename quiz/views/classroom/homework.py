"""The homework blueprint: classes, assignments, results, and shared quiz links.

Instructor pages live under ``/teach/`` (``teacher_required``: a visitor is sent
to log in, a student gets the 403 page, and another instructor's class is a
404); student pages under ``/classes`` and ``/assignments`` (``login_required``;
an assignment of a class one is not in is a 404). Answering uses the study
pages (``/quiz/<id>``); their templates show an assignment's banner through
``assignment_banner``.

Times are stored in UTC and shown, and typed, in the site's time zone
(``CLASSROOM_TIMEZONE``, default Europe/Paris).

- ``classes``: create a class, its roster and code; students join and list theirs.
- ``assignments``: create and edit assignments; a student's assignment page and start.
- ``results``: per student, per question, each student's answers; CSV and XLSX.
- ``shared_quiz``: a quiz setup link with its count, types and topics fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime, format_timedelta
from flask import Blueprint, current_app
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_login import current_user, login_required

from ...extensions import db
from ...models import Attempt, as_utc
from ...services.classroom import assignments
from ...services.study import deadlines
from ..author.blueprint import instructor_required

bp = Blueprint("homework", __name__)

DEFAULT_TIMEZONE = "Europe/Paris"
# Day, date and time, in the reader's language: "mer. 3 déc. 2026, 18:00".
TIME_FORMAT = "EEE d MMM y, HH:mm"

teacher_required = instructor_required


def account_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Students' pages: any account (an instructor just finds no class there); a visitor is
    sent to the log-in page (Flask-Login's decorator, typed for the views)."""
    return cast(Callable[..., Any], login_required(view))


def site_timezone() -> ZoneInfo:
    """The zone the site's times are typed and shown in (UTC if the setting names none)."""
    name = current_app.config.get("CLASSROOM_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_utc(local: datetime) -> datetime:
    """A time typed in a form (no zone: the site's) as aware UTC."""
    return local.replace(tzinfo=site_timezone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """A stored time in the site's zone, without the zone (as a form field shows it)."""
    return as_utc(moment).astimezone(site_timezone()).replace(tzinfo=None)


def shown_time(moment: datetime | None) -> str:
    """A time as the pages show it, in the site's zone and the reader's language."""
    if moment is None:
        return "—"
    return format_datetime(
        as_utc(moment), TIME_FORMAT, tzinfo=site_timezone(), locale=str(get_locale())
    )


def time_from_now(moment: datetime) -> str:
    """How far ``moment`` is from the server's clock: "in 3 hours", "2 days ago"."""
    delta: timedelta = as_utc(moment) - deadlines.now()
    return format_timedelta(
        delta, add_direction=True, threshold=1.5, locale=str(get_locale())
    )


def assignment_banner(attempt: Attempt) -> dict[str, Any] | None:
    """For the study pages: the assignment an attempt was made at, its deadline, whether it
    still takes answers; None for an ordinary attempt."""
    window = deadlines.window_of(db.session, attempt.id)
    if window is None:
        return None
    refused = window.refusal_at(deadlines.now())
    return {
        "assignment_id": window.assignment_id,
        "title": window.title,
        "deadline": window.deadline,
        "time_limited": window.time_up_at is not None and window.time_up_at < window.closes_at,
        "refusal": refused.reason if refused else None,
    }


def homework_for_home() -> list[assignments.StudentView]:
    """The home page's homework: a student's open and upcoming assignments, soonest due first."""
    if not current_user.is_authenticated or current_user.is_instructor:
        return []
    views = assignments.assignments_of_student(current_user)
    return [view for view in views if view.state != "closed"]


@bp.record_once
def add_template_helpers(state: BlueprintSetupState) -> None:
    """Globals the homework templates and the study pages' banner use."""
    state.app.jinja_env.globals.update(
        homework_time=shown_time,
        homework_from_now=time_from_now,
        assignment_banner=assignment_banner,
        homework_for_home=homework_for_home,
    )
