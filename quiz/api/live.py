"""The live session endpoints of the JSON API, on the ``/api/v1`` blueprint.

Players (no account needed) join by code and act with the participant token
``join`` gives them, sent as ``Authorization: Bearer <participant_token>``.
The instructor acts with an ordinary API token, and only on their own
sessions; a student's token gets 403. Every control sends the ``version`` it
saw, so that a double click cannot skip a question.

A join code that names no session counts against ``LIVE_CODE_MISS_RATE_LIMIT``
(default 30 a minute per address); once past it, every lookup by code from
that address is refused with 429, right or wrong, so codes cannot be
enumerated. Joins themselves count against ``LIVE_JOIN_ADDRESS_RATE_LIMIT``
(default 2,000 a minute: a school behind one address joins at once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ..extensions import db, limiter
from ..live_models import LiveSession
from ..models import MAX_ROW_ID, User
from ..ratelimit import client_address, configured
from ..services import accounts
from ..services.classroom import answers, participants, results, sessions, state
from ..services.classroom.codes import display_code, normalize_code
from ..services.classroom.errors import Conflict, Forbidden
from ..services.classroom.push import StreamClosed, Subscription, hub_for
from ..services.errors import NotFound
from . import live_payloads, payloads
from .auth import current_user, token_required
from .errors import ApiError, error_body
from .views import bp

code_miss_rate_limit = configured("LIVE_CODE_MISS_RATE_LIMIT", "30 per minute")
join_address_rate_limit = configured("LIVE_JOIN_ADDRESS_RATE_LIMIT", "2000 per minute")
CODE_MISS_SCOPE = "live-code-miss"
# A comment line on an idle stream: proxies keep it open, dead clients show up.
KEEPALIVE_S = 15.0
# How long a disconnected EventSource waits before reconnecting (milliseconds).
RETRY_MS = 2000

CONTROLS: dict[str, Callable[[LiveSession, int | None], LiveSession]] = {
    "start": sessions.start,
    "next": sessions.advance,
    "reveal": sessions.reveal,
    "leaderboard": sessions.show_leaderboard,
    "pause": sessions.pause,
    "resume": sessions.resume,
    "skip": sessions.skip,
    "end": sessions.end,
}


def _conflict(error: Conflict) -> ResponseReturnValue:
    """A 409 with the service's message and its machine-readable ``reason``."""
    db.session.rollback()
    body = error_body(409, str(error))
    body["error"]["reason"] = error.reason
    return jsonify(body), 409


def _forbidden(error: Forbidden) -> ResponseReturnValue:
    """A 403 with the service's message."""
    db.session.rollback()
    return jsonify(error_body(403, str(error))), 403


bp.register_error_handler(Conflict, _conflict)
bp.register_error_handler(Forbidden, _forbidden)


# --- instructor ----------------------------------------------------------------------------


def _instructor() -> User:
    """The token's user if an instructor; else 403."""
    user = current_user()
    if user is None or not user.is_instructor:
        raise ApiError(403, "Réservé aux enseignants.")
    return user


def _owned(session_id: int) -> LiveSession:
    """The instructor's session of ``session_id`` (404 for another's)."""
    return sessions.owned_session(_instructor(), session_id)


@bp.post("/live")
@token_required
def create_live_session() -> ResponseReturnValue:
    """Make a session in the lobby; its id, join code and join link."""
    owner = _instructor()
    fields = {"sheet", "revision", "count", "seconds", "scoring", "types", "tags", "question_ids"}
    wanted = live_payloads.read_session_request(payloads.read_json_object(fields))
    session = sessions.create_session(
        owner,
        wanted.sheet,
        revision_label=wanted.revision,
        count=wanted.count,
        seconds=wanted.seconds,
        scoring=wanted.scoring,
        types=wanted.types,
        tags=wanted.tags,
        question_ids=wanted.question_ids,
    )
    db.session.commit()
    body = {
        "id": session.id,
        "code": session.code,
        "display_code": display_code(session.code),
        "join_url": join_url(session.code),
        "version": session.version,
        "question_ids": session.question_ids,
    }
    return body, 201


def join_url(code: str) -> str:
    """The address a phone opens to join (the page's route if it exists, else the API's)."""
    if "classroom.join_page" in current_app.view_functions:
        return url_for("classroom.join_page", code=code, _external=True)
    return url_for("api.join_live_session", code=code, _external=True)


@bp.get("/live/<int:session_id>")
@token_required
def live_session_state(session_id: int) -> ResponseReturnValue:
    """The projector's state: the shared state, who is in, how many answered."""
    return state.instructor_state(_owned(session_id))


def control_live_session(session_id: int, action: str) -> ResponseReturnValue:
    """start, next, reveal, leaderboard, pause, resume, skip, end: with the version seen."""
    session = _owned(session_id)
    seen = live_payloads.read_version(payloads.read_json_object({"version"}))
    CONTROLS[action](session, seen)
    db.session.commit()
    hub_for(current_app._get_current_object()).announce(session.id, session.version)  # type: ignore[attr-defined]
    return state.instructor_state(session)


# One rule per action, each ending in its own word: ``/live/<code>/join`` never
# passes for a control whatever the code.
for _action in CONTROLS:
    bp.add_url_rule(
        f"/live/<int:session_id>/{_action}",
        endpoint=f"live_{_action}",
        view_func=token_required(control_live_session),
        methods=["POST"],
        defaults={"action": _action},
    )


@bp.delete("/live/<int:session_id>/participants/<int:participant_id>")
@token_required
def remove_live_participant(session_id: int, participant_id: int) -> ResponseReturnValue:
    """Remove a nickname from the session; the projector's state after it."""
    session = _owned(session_id)
    if participant_id > MAX_ROW_ID:
        raise NotFound("Ce participant n’est pas dans cette session.")
    participants.remove_participant(session, participant_id)
    db.session.commit()
    hub_for(current_app._get_current_object()).announce(session.id, session.version)  # type: ignore[attr-defined]
    return state.instructor_state(session)


@bp.get("/live/<int:session_id>/results")
@token_required
def live_results(session_id: int) -> ResponseReturnValue:
    """Results per participant and per question."""
    return results.session_results(_owned(session_id))


@bp.get("/live/<int:session_id>/results.csv")
@token_required
def live_results_csv(session_id: int) -> ResponseReturnValue:
    """The results as a CSV file."""
    session = _owned(session_id)
    name = f"live-{session.code}.csv"
    return Response(
        results.results_csv(session),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/live/<int:session_id>/participants/<int:participant_id>/answers")
@token_required
def live_participant_answers(session_id: int, participant_id: int) -> ResponseReturnValue:
    """One participant's answers, for the instructor."""
    session = _owned(session_id)
    if participant_id > MAX_ROW_ID:
        raise NotFound("Ce participant n’est pas dans cette session.")
    return {"answers": results.participant_answers(session, participant_id)}


# --- players -----------------------------------------------------------------------------


def _session_by_code(typed: str) -> LiveSession:
    """The session of a typed code; 404 counted against the misses, 429 past their limit."""
    limit = code_miss_rate_limit()
    limiter.abort_if_used_up(limit, CODE_MISS_SCOPE, client_address())
    code = normalize_code(typed)
    session = None
    if code is not None:
        try:
            session = sessions.session_by_code(code)
        except NotFound:
            session = None
    if session is None:
        limiter.hit_or_abort(limit, CODE_MISS_SCOPE, client_address())
        raise NotFound("Aucune session en direct n’a ce code.")
    return session


def _participant_token() -> str:
    """The participant token of ``Authorization: Bearer``; 401 without one."""
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer" or not authorization.token:
        raise ApiError(401, "Envoyez « Authorization: Bearer <participant_token> » (voir /join).")
    return authorization.token


def _code_or_404(typed: str) -> str:
    """A typed code as stored; 404 if it cannot be one (the token decides the rest)."""
    code = normalize_code(typed)
    if code is None:
        raise NotFound("Aucune session en direct n’a ce code.")
    return code


def _account_joining() -> User | None:
    """The user of an API token sent with a join, to join with their account."""
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer" or not authorization.token:
        return None
    user = accounts.user_for_token(authorization.token)
    if user is None:
        raise ApiError(401, "Jeton invalide ou expiré : demandez-en un nouveau à /auth/token.")
    return user


@bp.post("/live/<code>/join")
@limiter.limit(join_address_rate_limit)
def join_live_session(code: str) -> ResponseReturnValue:
    """Join with a nickname (201), or rejoin with the same nickname and token (200)."""
    wanted = live_payloads.read_join_request(
        payloads.read_json_object({"nickname", "participant_token"})
    )
    user = _account_joining()
    session = _session_by_code(code)
    seat = participants.join(session, wanted.nickname, token=wanted.token, user=user)
    db.session.commit()
    body = {
        "participant_token": seat.token,
        "participant_id": seat.participant.id,
        "nickname": seat.participant.nickname,
        "rejoined": seat.rejoined,
    }
    return body, 200 if seat.rejoined else 201


@bp.get("/live/<code>/state")
def live_state(code: str) -> ResponseReturnValue:
    """The player's state; ETag = version and answer count, 304 on If-None-Match."""
    token = _participant_token()
    participant = participants.participant_for_token(_code_or_404(code), token)
    etag = state.participant_etag(
        participant.session, state.participant_answer_count(participant)
    )
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify(state.participant_state(participant))
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/live/<code>/answers")
def live_answer(code: str) -> ResponseReturnValue:
    """Answer the question being asked: 200 ``{accepted: true}``, or a 409 saying why not."""
    token = _participant_token()
    submission = payloads.read_answer_submission(
        payloads.read_json_object({"question_id", "answer"})
    )
    receipt = answers.submit_answer(
        _code_or_404(code), token, submission.question_id, submission.answer
    )
    return {
        "accepted": True,
        "question_id": receipt.question_id,
        "answer": receipt.given,
        "repeated": receipt.repeated,
    }


@bp.get("/live/<code>/events")
def live_events(code: str) -> ResponseReturnValue:
    """Server-sent events: an ``state`` event with the shared state at each new version."""
    session_id = _session_by_code(code).id
    seen = _seen_version()
    # The stream must not hold a connection while it waits: give it back now.
    db.session.remove()
    hub = hub_for(current_app._get_current_object())  # type: ignore[attr-defined]
    subscription = hub.subscribe(session_id, seen)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(_event_stream(subscription), mimetype="text/event-stream", headers=headers)


def _seen_version() -> int:
    """The version a reconnecting client has (``Last-Event-ID`` or ``?version=``); 0 if none."""
    value = request.headers.get("Last-Event-ID") or request.args.get("version") or ""
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _event_stream(subscription: Subscription) -> Iterator[str]:
    """The stream: each newer state as an event, a comment when idle, until the session ends."""
    try:
        yield f"retry: {RETRY_MS}\n\n"
        while True:
            latest = subscription.next_state(KEEPALIVE_S)
            if latest is None:
                yield ": keep-alive\n\n"
                continue
            yield f"id: {latest.version}\nevent: state\ndata: {latest.event_data()}\n\n"
            if latest.phase == "ended":
                return
    except StreamClosed:
        return
    finally:
        subscription.close()


