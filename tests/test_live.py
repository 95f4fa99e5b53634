"""Live sessions through the JSON API: the rules a classroom relies on.

Every test runs on its own copy of one database made once per module: the
built-in sheets imported (spaCy runs once), an instructor (teacher) and two
students (alice, bob). Time passing is the server's clock passing: a test
moves the question's start and deadline back in the database, as if the
seconds had gone by; the client never sends a time (it would be refused).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import bearer
from conftest import copy_database, make_imported_database
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.live_models import LiveAnswer, LiveSession
from quiz.models import ROLE_INSTRUCTOR, Question, as_utc
from quiz.services import accounts
from quiz.services.classroom.answers import points_for
from quiz.services.sheets import Tally, retire_or_remove_questions

API = "/api/v1"
SLUG = "relations-otan-russie"
PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets, an instructor (teacher, and another: tutor) and two students."""

    def add_accounts() -> None:
        accounts.register("teacher", PASSWORD, role=ROLE_INSTRUCTOR)
        accounts.register("tutor", PASSWORD, role=ROLE_INSTRUCTOR)
        accounts.register("alice", PASSWORD)
        accounts.register("bob", PASSWORD)

    return make_imported_database(tmp_path_factory, seed=add_accounts)


@pytest.fixture
def database_path(seeded_database: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeded database."""
    return copy_database(seeded_database, tmp_path / "quiz.sqlite")


@pytest.fixture
def teacher(app: Flask) -> dict[str, str]:
    """The instructor's Authorization header."""
    return bearer(app, "teacher")


# --- helpers -------------------------------------------------------------------------------


def create(client: FlaskClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """Make a session (201); its body."""
    body = {"sheet": SLUG, "count": 5, "seconds": 20, **fields}
    response = client.post(f"{API}/live", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return dict(response.get_json())


def join(client: FlaskClient, code: str, nickname: str, token: str | None = None) -> Any:
    """POST a join; the response."""
    body: dict[str, Any] = {"nickname": nickname}
    if token is not None:
        body["participant_token"] = token
    return client.post(f"{API}/live/{code}/join", json=body)


def player(client: FlaskClient, code: str, nickname: str) -> dict[str, str]:
    """A new participant's Authorization header."""
    response = join(client, code, nickname)
    assert response.status_code == 201, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['participant_token']}"}


def control(
    client: FlaskClient, headers: dict[str, str], session_id: int, action: str, version: int
) -> Any:
    """POST a control with the version seen; the response."""
    return client.post(f"{API}/live/{session_id}/{action}", json={"version": version}, headers=headers)


def advance(client: FlaskClient, headers: dict[str, str], session_id: int) -> dict[str, Any]:
    """``next`` with the current version (200); the instructor's state after it."""
    version = client.get(f"{API}/live/{session_id}", headers=headers).get_json()["version"]
    response = control(client, headers, session_id, "next", version)
    assert response.status_code == 200, response.get_data(as_text=True)
    return dict(response.get_json())


def state(client: FlaskClient, code: str, headers: dict[str, str]) -> dict[str, Any]:
    """The player's state (200)."""
    response = client.get(f"{API}/live/{code}/state", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return dict(response.get_json())


def send(client: FlaskClient, code: str, headers: dict[str, str], question_id: int, given: Any) -> Any:
    """POST an answer; the response."""
    body = {"question_id": question_id, "answer": given}
    return client.post(f"{API}/live/{code}/answers", json=body, headers=headers)


def expected(app: Flask, question_id: int) -> Any:
    """The question's right answer, read from the database."""
    with app.app_context():
        return db.session.get(Question, question_id).answer


def wrong(question: dict[str, Any], right: Any) -> Any:
    """A well-formed answer that is not ``right``."""
    if question["type"] == "order":
        return list(reversed(right))
    if question["type"] == "numeric":
        return "99999"
    others = [choice for choice in question["choices"] if choice != right]
    return others[0] if others else "zzqx wrong"


def let_time_pass(app: Flask, session_id: int, seconds: float) -> None:
    """The server's clock moves on by ``seconds`` for the open question."""
    shift = timedelta(seconds=seconds)
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        session.question_started_at = as_utc(session.question_started_at) - shift
        session.deadline_at = as_utc(session.deadline_at) - shift
        db.session.commit()


def stored_answers(app: Flask, session_id: int) -> int:
    """How many answer rows the session has."""
    with app.app_context():
        query = select(func.count()).where(LiveAnswer.session_id == session_id)
        return int(db.session.scalar(query) or 0)


def error_of(response: Any, status: int) -> dict[str, Any]:
    """The error envelope of a response that must have ``status``."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == status and error["message"]
    return dict(error)


# --- the clock -----------------------------------------------------------------------------


def test_the_deadline_is_the_servers_clock_with_a_small_grace(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, seconds=10)
    code = session["code"]
    early, in_grace, late = (player(client, code, name) for name in ("Early", "Grace", "Late"))
    question = advance(client, teacher, session["id"])["question"]
    right = expected(app, question["id"])
    assert send(client, code, early, question["id"], right).status_code == 200
    let_time_pass(app, session["id"], 10.5)  # past the deadline, within the 1 s grace
    assert send(client, code, in_grace, question["id"], right).status_code == 200
    let_time_pass(app, session["id"], 1.0)  # now 1.5 s past it
    error = error_of(send(client, code, late, question["id"], right), 409)
    assert error["reason"] == "too_late" and "Trop tard" in error["message"]
    # A client cannot tell the server when it answered.
    body = {"question_id": question["id"], "answer": right, "answered_at": "2000-01-01T00:00:00Z"}
    refused = client.post(f"{API}/live/{code}/answers", json=body, headers=late)
    assert error_of(refused, 400)["field"] == "answered_at"
    assert stored_answers(app, session["id"]) == 2


def test_speed_points_fall_from_1000_to_500_over_the_timer_by_the_servers_clock(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, seconds=20, scoring="speed")
    code = session["code"]
    players = [player(client, code, name) for name in ("Zero", "Half", "End", "Wrong")]
    question = advance(client, teacher, session["id"])["question"]
    right = expected(app, question["id"])
    assert send(client, code, players[0], question["id"], right).status_code == 200
    let_time_pass(app, session["id"], 10)
    assert send(client, code, players[1], question["id"], right).status_code == 200
    let_time_pass(app, session["id"], 10)  # the timer is over; the grace still takes it
    assert send(client, code, players[2], question["id"], right).status_code == 200
    assert send(client, code, players[3], question["id"], wrong(question, right)).status_code == 200
    advance(client, teacher, session["id"])  # reveal
    points = [state(client, code, headers)["your_answer"]["points"] for headers in players]
    assert 990 <= points[0] <= 1000
    assert 745 <= points[1] <= 755
    assert points[2] == 500
    assert points[3] == 0
    assert points_for(True, "speed", 5_000, 20) == 875
    assert points_for(True, "correct", 19_000, 20) == 1000


def test_pause_stops_the_clock_and_refuses_answers_until_resumed(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, seconds=10)
    code, sid = session["code"], session["id"]
    lea = player(client, code, "Léa")
    opened = advance(client, teacher, sid)
    paused = control(client, teacher, sid, "pause", opened["version"]).get_json()
    assert paused["paused"] and paused["remaining_ms"] > 9000
    error = error_of(send(client, code, lea, opened["question"]["id"], "x"), 409)
    assert error["reason"] == "paused"
    let_time_pass(app, sid, 0)  # nothing moves while paused...
    with app.app_context():  # ...but the pause itself lasts 30 s by the server's clock
        row = db.session.get(LiveSession, sid)
        row.paused_at = as_utc(row.paused_at) - timedelta(seconds=30)
        db.session.commit()
    resumed = control(client, teacher, sid, "resume", paused["version"]).get_json()
    assert not resumed["paused"]
    # The deadline moved 30 s later: an answer now is in time.
    right = expected(app, opened["question"]["id"])
    assert send(client, code, lea, opened["question"]["id"], right).status_code == 200


# --- answers ---------------------------------------------------------------------------------


def test_a_retried_answer_is_idempotent_and_a_different_one_is_a_409(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    code = session["code"]
    lea = player(client, code, "Léa")
    question = advance(client, teacher, session["id"])["question"]
    right = expected(app, question["id"])
    first = send(client, code, lea, question["id"], right)
    again = send(client, code, lea, question["id"], right)
    assert first.status_code == again.status_code == 200
    assert first.get_json() == {**again.get_json(), "repeated": False}
    assert again.get_json()["accepted"] is True and again.get_json()["repeated"] is True
    error = error_of(send(client, code, lea, question["id"], wrong(question, right)), 409)
    assert error["reason"] == "already_answered"
    # A retry of the answer stored in time still gets its receipt after the deadline.
    let_time_pass(app, session["id"], 60)
    assert send(client, code, lea, question["id"], right).status_code == 200
    assert stored_answers(app, session["id"]) == 1


def test_only_the_question_being_asked_takes_answers(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, count=3)
    code, ids = session["code"], session["question_ids"]
    lea = player(client, code, "Léa")
    assert error_of(send(client, code, lea, ids[0], "x"), 409)["reason"] == "not_current"  # lobby
    advance(client, teacher, session["id"])
    assert error_of(send(client, code, lea, ids[1], "x"), 409)["reason"] == "not_current"
    advance(client, teacher, session["id"])  # reveal: the question is closed
    assert error_of(send(client, code, lea, ids[0], "x"), 409)["reason"] == "too_late"
    assert stored_answers(app, session["id"]) == 0


# --- joining -------------------------------------------------------------------------------


def test_rejoining_with_the_nickname_and_its_token_keeps_the_score(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    code = session["code"]
    joined = join(client, code, "Léa")
    assert joined.status_code == 201
    token = joined.get_json()["participant_token"]
    lea = {"Authorization": f"Bearer {token}"}
    question = advance(client, teacher, session["id"])["question"]
    assert send(client, code, lea, question["id"], expected(app, question["id"])).status_code == 200
    advance(client, teacher, session["id"])  # reveal
    assert state(client, code, lea)["score"] == 1000

    # The phone reloads: same nickname (any case or spacing), same token.
    again = join(client, code, "  LÉA ", token)
    assert again.status_code == 200
    assert again.get_json()["participant_id"] == joined.get_json()["participant_id"]
    assert again.get_json()["rejoined"] is True
    rejoined = {"Authorization": f"Bearer {again.get_json()['participant_token']}"}
    mine = state(client, code, rejoined)
    assert (mine["score"], mine["rank"], mine["your_answer"]["correct"]) == (1000, 1, True)

    # Someone else typing the nickname, without the token or with a wrong one: 409.
    assert error_of(join(client, code, "léa"), 409)["reason"] == "nickname_taken"
    assert error_of(join(client, code, "Léa", "not-the-token"), 409)["reason"] == "nickname_taken"


def test_an_account_rejoins_from_another_device(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    code = session["code"]
    alice = bearer(app, "alice")
    phone = client.post(f"{API}/live/{code}/join", json={"nickname": "Alice"}, headers=alice)
    laptop = client.post(f"{API}/live/{code}/join", json={"nickname": "Alice"}, headers=alice)
    assert (phone.status_code, laptop.status_code) == (201, 200)
    assert phone.get_json()["participant_id"] == laptop.get_json()["participant_id"]
    old = {"Authorization": f"Bearer {phone.get_json()['participant_token']}"}
    assert client.get(f"{API}/live/{code}/state", headers=old).status_code == 401


def test_a_removed_nickname_stays_out(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    code, sid = session["code"], session["id"]
    joined = join(client, code, "Rude").get_json()
    rude = {"Authorization": f"Bearer {joined['participant_token']}"}
    removed = client.delete(f"{API}/live/{sid}/participants/{joined['participant_id']}", headers=teacher)
    assert removed.status_code == 200 and removed.get_json()["participants"] == []
    assert removed.get_json()["version"] == session["version"] + 1  # phones hear of it
    assert client.get(f"{API}/live/{code}/state", headers=rude).status_code == 403
    assert join(client, code, "Rude", joined["participant_token"]).status_code == 403
    assert join(client, code, "rude").status_code == 409


def test_guessing_join_codes_is_rate_limited_per_address(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    app.config["LIVE_CODE_MISS_RATE_LIMIT"] = "5 per minute"
    code = create(client, teacher)["code"]
    guesses = [f"AAAA{n}{n}{n}{n}" for n in range(2, 8)]
    statuses = [join(client, guess, "Eve").status_code for guess in guesses]
    assert statuses == [404] * 5 + [429]
    # Past the limit the right code is refused too: no answer tells a guess was right.
    assert join(client, code, "Eve").status_code == 429
    assert client.get(f"{API}/live/{code}/events").status_code == 429
    # Another address (another school) is not held up; a valid code counts no miss.
    other = {"REMOTE_ADDR": "10.0.0.9"}
    for n in range(7):
        response = client.post(
            f"{API}/live/{code}/join", json={"nickname": f"Kid {n}"}, environ_base=other
        )
        assert response.status_code == 201


# --- what players may see ----------------------------------------------------------------------


def test_no_answer_or_verdict_reaches_a_player_before_the_reveal(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, seconds=30)
    code = session["code"]
    right_player, wrong_player = player(client, code, "Right"), player(client, code, "Wrong")
    question = advance(client, teacher, session["id"])["question"]
    right = expected(app, question["id"])
    before = state(client, code, right_player)
    assert send(client, code, right_player, question["id"], right).status_code == 200
    assert send(client, code, wrong_player, question["id"], wrong(question, right)).status_code == 200

    def seen(headers: dict[str, str]) -> dict[str, Any]:
        body = state(client, code, headers)
        del body["server_now"], body["participant"]
        return body

    # Right or wrong, both players see exactly the same thing: nothing tells the verdict.
    assert seen(right_player) == seen(wrong_player)
    after = seen(right_player)
    assert after["reveal"] is None and after["your_answer"] is None
    assert (after["score"], after["answered"]) == (before["score"], True)
    with app.app_context():
        explanation = db.session.get(Question, question["id"]).explanation
    text = json.dumps(after, ensure_ascii=False)
    assert '"expected"' not in text and (not explanation or explanation not in text)

    advance(client, teacher, session["id"])  # reveal
    assert state(client, code, right_player)["your_answer"]["correct"] is True
    assert state(client, code, wrong_player)["your_answer"]["correct"] is False
    assert state(client, code, right_player)["reveal"]["expected"] == right


def test_a_player_never_sees_another_players_answer(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    with app.app_context():
        free = db.session.scalar(
            select(Question.id).where(Question.type.in_(("short", "cloze", "numeric")), Question.status == "approved")
        )
        revision_label = db.session.get(Question, free).revision.label
    session = create(client, teacher, question_ids=[free], revision=revision_label)
    code = session["code"]
    alice, bob = player(client, code, "Alice"), player(client, code, "Bob")
    advance(client, teacher, session["id"])
    secret = "Mon secret 4242"
    assert send(client, code, alice, free, secret).status_code == 200
    advance(client, teacher, session["id"])  # reveal
    projector = client.get(f"{API}/live/{session['id']}", headers=teacher).get_json()
    assert secret in json.dumps(projector["reveal"]["distribution"], ensure_ascii=False)
    for response in (
        client.get(f"{API}/live/{code}/state", headers=bob),
        send(client, code, bob, free, "x"),
        client.get(f"{API}/live/{session['id']}/results", headers=bob),
    ):
        assert secret not in response.get_data(as_text=True)
    assert state(client, code, bob)["your_answer"] is None


def test_the_state_etag_is_the_version_and_answers_304_while_unchanged(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    code = session["code"]
    lea = player(client, code, "Léa")
    first = client.get(f"{API}/live/{code}/state", headers=lea)
    etag = first.headers["ETag"]
    assert client.get(f"{API}/live/{code}/state", headers={**lea, "If-None-Match": etag}).status_code == 304
    question = advance(client, teacher, session["id"])["question"]
    changed = client.get(f"{API}/live/{code}/state", headers={**lea, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    etag = changed.headers["ETag"]
    send(client, code, lea, question["id"], expected(app, question["id"]))
    assert client.get(f"{API}/live/{code}/state", headers={**lea, "If-None-Match": etag}).status_code == 200


def test_deeply_nested_json_is_a_400_on_every_live_post(
    client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    code, sid = session["code"], session["id"]
    lea = player(client, code, "Léa")
    deep = "[" * 30_000 + "]" * 30_000
    sent = [
        (f"{API}/live", teacher),
        (f"{API}/live/{code}/join", {}),
        (f"{API}/live/{code}/answers", lea),
        *((f"{API}/live/{sid}/{action}", teacher) for action in ("start", "next", "pause", "end")),
    ]
    for path, headers in sent:
        response = client.post(
            path, data=deep, headers={"Content-Type": "application/json", **headers}
        )
        assert "JSON" in error_of(response, 400)["message"], path


# --- the instructor's side -------------------------------------------------------------------


def test_a_student_token_cannot_reach_an_instructor_endpoint(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher)
    sid = session["id"]
    alice = bearer(app, "alice")
    participant_id = join(client, session["code"], "Alice").get_json()["participant_id"]
    attempts = [
        client.post(f"{API}/live", json={"sheet": SLUG, "seconds": 20}, headers=alice),
        client.get(f"{API}/live/{sid}", headers=alice),
        client.get(f"{API}/live/{sid}/results", headers=alice),
        client.get(f"{API}/live/{sid}/results.csv", headers=alice),
        client.get(f"{API}/live/{sid}/participants/{participant_id}/answers", headers=alice),
        client.delete(f"{API}/live/{sid}/participants/{participant_id}", headers=alice),
        *(control(client, alice, sid, action, 1) for action in
          ("start", "next", "reveal", "leaderboard", "pause", "resume", "skip", "end")),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    with app.app_context():
        assert db.session.get(LiveSession, sid).version == session["version"]  # nothing moved
    # Another instructor does not find the session at all.
    assert client.get(f"{API}/live/{sid}", headers=bearer(app, "tutor")).status_code == 404


def test_a_double_click_on_next_moves_the_session_once(
    client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, count=3)
    sid = session["id"]
    first = control(client, teacher, sid, "next", session["version"])
    second = control(client, teacher, sid, "next", session["version"])
    assert first.status_code == 200 and first.get_json()["position"] == 1
    assert error_of(second, 409)["reason"] == "stale_version"
    assert client.get(f"{API}/live/{sid}", headers=teacher).get_json()["phase"] == "question"


def test_results_per_student_and_question_and_their_csv(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, count=3)
    code, sid = session["code"], session["id"]
    fast, slow, spreadsheet = (player(client, code, n) for n in ("Fast", "Slow", "=HYPERLINK(1)"))
    questions = []
    while True:
        opened = advance(client, teacher, sid)
        if opened["phase"] == "ended":
            break
        question = opened["question"]
        questions.append(question)
        right = expected(app, question["id"])
        send(client, code, fast, question["id"], right)
        let_time_pass(app, sid, 5)
        send(client, code, slow, question["id"], right)
        send(client, code, spreadsheet, question["id"], wrong(question, right))
        advance(client, teacher, sid)  # reveal
        advance(client, teacher, sid)  # leaderboard
    results = client.get(f"{API}/live/{sid}/results", headers=teacher).get_json()
    count = len(questions)
    ranking = [(p["nickname"], p["rank"], p["score"], p["correct"]) for p in results["participants"]]
    # Equal scores: the quicker first.
    assert ranking == [("Fast", 1, 1000 * count, count), ("Slow", 2, 1000 * count, count),
                       ("=HYPERLINK(1)", 3, 0, 0)]
    assert [(q["answered"], q["correct"]) for q in results["questions"]] == [(3, 2)] * count
    rows = list(csv.reader(io.StringIO(client.get(f"{API}/live/{sid}/results.csv", headers=teacher).get_data(as_text=True))))
    assert rows[0][:3] == ["rang", "pseudo", "score"]
    assert [row[1] for row in rows[1:]] == ["Fast", "Slow", "'=HYPERLINK(1)"]


def test_a_skipped_question_scores_nothing(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, count=2)
    code, sid = session["code"], session["id"]
    assert len(session["question_ids"]) == 2
    lea = player(client, code, "Léa")
    opened = advance(client, teacher, sid)
    send(client, code, lea, opened["question"]["id"], expected(app, opened["question"]["id"]))
    skipped = control(client, teacher, sid, "skip", opened["version"]).get_json()
    assert (skipped["phase"], skipped["position"]) == ("question", 2)
    control(client, teacher, sid, "end", skipped["version"])
    assert state(client, code, lea)["score"] == 0
    results = client.get(f"{API}/live/{sid}/results", headers=teacher).get_json()
    assert results["questions"][0]["skipped"] is True


def test_a_reimport_retires_the_questions_a_live_session_uses(
    app: Flask, client: FlaskClient, teacher: dict[str, str]
) -> None:
    session = create(client, teacher, count=2, revision="2022-01")
    answered, to_ask = session["question_ids"]
    lea = player(client, session["code"], "Léa")
    advance(client, teacher, session["id"])
    assert send(client, session["code"], lea, answered, expected(app, answered)).status_code == 200
    with app.app_context():
        unused = db.session.scalar(
            select(Question.id).where(Question.id.not_in([answered, to_ask]))
            .where(Question.revision_id == db.session.get(Question, answered).revision_id)
        )
        gone = [db.session.get(Question, qid) for qid in (answered, to_ask, unused)]
        retire_or_remove_questions(gone[0].revision, gone, Tally())
        db.session.commit()
        assert db.session.get(Question, answered).status == "retired"  # answered live
        assert db.session.get(Question, to_ask).status == "retired"  # still to be asked
        assert db.session.get(Question, unused) is None  # nobody's: deleted
