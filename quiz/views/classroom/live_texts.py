"""The words the play page's script shows, translated on the server.

The script (``static/live-play.js``) builds the page as the session moves on;
it reads these texts from a JSON data block of the page, in the reader's
language. ``{name}`` marks a value the script puts in.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

PLAYER_TEXTS: dict[str, LazyString] = {
    "connecting": _l("Connecting…"),
    "offline": _l("Connection lost: trying again…"),
    "playing_as": _l("You play as {nickname}"),
    "lobby_title": _l("You are in!"),
    "lobby_text": _l("Wait for the instructor to start. Keep this page open."),
    "question_of": _l("Question {position} of {count}"),
    "seconds_left": _l("{seconds} s"),
    "time_up": _l("Time is up."),
    "paused": _l("Paused: the clock has stopped."),
    "answer_label": _l("Your answer"),
    "numeric_hint": _l("In digits or in words."),
    "order_hint": _l("Give each item its place: 1 comes first."),
    "place": _l("Place…"),
    "submit": _l("Send my answer"),
    "sending": _l("Sending…"),
    "retrying": _l("No connection: sending again…"),
    "received": _l("Answer received. Wait for the reveal."),
    "too_late": _l("Too late: the time was up when your answer arrived."),
    "already": _l("You had already answered this question."),
    "not_current": _l("This question is closed."),
    "paused_refusal": _l("The session is paused: send your answer again when it resumes."),
    "choose": _l("Choose an answer first."),
    "type_answer": _l("Type your answer first."),
    "place_all": _l("Give each item a different place."),
    "right": _l("Right"),
    "wrong": _l("Wrong"),
    "no_answer": _l("You did not answer this question."),
    "expected": _l("Expected answer"),
    "points": _l("+{points} points"),
    "standing": _l("{score} points · rank {rank}"),
    "source": _l("Source"),
    "read_sheet": _l("Read it in the sheet “{title}”"),
    "leaderboard": _l("Leaderboard"),
    "wait_next": _l("Wait for the next question."),
    "ended_title": _l("The session is over"),
    "ended_text": _l("Final score: {score} points, rank {rank}. Thank you for playing!"),
    "removed": _l("The instructor removed you from this session."),
    "lost_seat": _l("This browser is no longer in the session: join again."),
    "join_again": _l("Join again"),
}


def player_texts() -> dict[str, str]:
    """The script's texts in the language of this request."""
    return {key: str(text) for key, text in PLAYER_TEXTS.items()}
