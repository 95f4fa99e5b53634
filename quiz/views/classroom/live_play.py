"""The players' pages: join a live session from a phone, then follow it on one page.

No account is needed: the code on the screen and a nickname are enough; a
logged-in student joins with their account (and finds their seat again from
any device). The join form works without JavaScript; playing needs it
(``static/live-play.js`` follows the session by its event stream and answers
through the JSON API), and the page says so.

The seat's rejoin token is kept in the cookie session, for this browser, and
handed to the page, whose script keeps it in ``localStorage`` too: a reload,
a lost network or a closed tab finds the same participant and score. A code
that names no session counts against the same per-address limit as the API's
(``LIVE_CODE_MISS_RATE_LIMIT``), so codes cannot be guessed here either.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db, limiter
from ...live_models import NICKNAME_MAX_LENGTH, LiveSession
from ...models import User
from ...ratelimit import LIVE_CODE_MISS_SCOPE as CODE_MISS_SCOPE
from ...ratelimit import client_address, code_miss_rate_limit, join_address_rate_limit
from ...services.classroom import participants, sessions
from ...services.classroom.answers import grace_seconds
from ...services.classroom.codes import display_code, normalize_code
from ...services.classroom.errors import NICKNAME_TAKEN, Conflict, Forbidden
from ...services.errors import Invalid, NotFound
from .live import NO_STORE, bp
from .live_forms import JoinForm
from .live_texts import player_texts

SEATS_KEY = "live_seats"
# Seats remembered per browser: the latest sessions joined.
SEATS_KEPT = 5


def find_session(typed: str) -> LiveSession | None:
    """The session of a typed code; a miss counts against the address's limit (429 past it)."""
    limit = code_miss_rate_limit()
    limiter.abort_if_used_up(limit, CODE_MISS_SCOPE, client_address())
    code = normalize_code(typed)
    found = None
    if code is not None:
        try:
            found = sessions.session_by_code(code)
        except NotFound:
            found = None
    if found is None:
        limiter.hit_or_abort(limit, CODE_MISS_SCOPE, client_address())
    return found


def remember_seat(code: str, nickname: str, token: str) -> None:
    """Keep this browser's seat in the session (the latest few sessions only)."""
    seats = [seat for seat in session.get(SEATS_KEY, []) if seat[0] != code]
    session[SEATS_KEY] = [*seats, [code, nickname, token]][-SEATS_KEPT:]


def seat_for(code: str) -> dict[str, str] | None:
    """This browser's seat in the session of ``code``, if it joined it."""
    for seat in session.get(SEATS_KEY, []):
        if isinstance(seat, list) and len(seat) == 3 and seat[0] == code:
            return {"nickname": str(seat[1]), "token": str(seat[2])}
    return None


def _account() -> User | None:
    """The logged-in user, who joins with their account; None for a visitor."""
    if current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[no-any-return]
    return None


@bp.route("/live", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/live/<code>", methods=["GET", "POST"])
@limiter.limit(join_address_rate_limit, methods=["POST"])
def join_page(code: str | None) -> ResponseReturnValue:
    """The join form (the QR code's link fills in the code); joining opens the play page."""
    form = JoinForm()
    if request.method == "POST":
        return _join(form)
    account = _account()
    if account is not None:
        form.nickname.data = account.username[:NICKNAME_MAX_LENGTH]
    if code is None:
        return _join_page(form)
    normalized = normalize_code(code)
    form.code.data = display_code(normalized) if normalized else code
    if find_session(code) is None:
        form.code.errors = [_("No live session has this code: check it on the screen.")]
        return _join_page(form, 404)
    return _join_page(form)


def _join_page(form: JoinForm, status: int = 200) -> ResponseReturnValue:
    """The join form, with its errors, and the status that goes with them."""
    return render_template("classroom/live_join.html", form=form, account=_account()), status


def _join(form: JoinForm) -> ResponseReturnValue:
    """Seat the phone (or give back its seat); the form again, with the reason, if not."""
    if not form.validate_on_submit():
        if form.csrf_token.errors or form.token.errors:
            abort(400)
        return _join_page(form, 400)
    found = find_session(form.code.data)
    if found is None:
        form.code.errors.append(_("No live session has this code: check it on the screen."))
        return _join_page(form, 404)
    try:
        seat = participants.join(
            found, form.nickname.data, token=form.token.data or None, user=_account()
        )
    except Invalid as refusal:
        return _refused(form, form.nickname.errors, str(refusal), 400)
    except Conflict as refusal:
        errors = form.nickname.errors if refusal.reason == NICKNAME_TAKEN else form.form_errors
        return _refused(form, errors, str(refusal), 409)
    except Forbidden as refusal:
        return _refused(form, form.form_errors, str(refusal), 403)
    db.session.commit()
    remember_seat(found.code, seat.participant.nickname, seat.token)
    return redirect(url_for(".play", code=found.code), code=303)


def _refused(form: JoinForm, errors: list[str], reason: str, status: int) -> ResponseReturnValue:
    """The join form again with the service's reason, nothing written."""
    db.session.rollback()
    errors.append(reason)
    return _join_page(form, status)


@bp.get("/live/<code>/play")
def play(code: str) -> ResponseReturnValue:
    """The one page a player keeps open: lobby, questions, reveals, ranks, the end."""
    found = find_session(code)
    if found is None:
        abort(404)
    page = render_template(
        "classroom/live_play.html",
        code=found.code,
        shown_code=display_code(found.code),
        seat=seat_for(found.code),
        texts=player_texts(),
        grace_ms=int(grace_seconds() * 1000),
    )
    return page, 200, NO_STORE

