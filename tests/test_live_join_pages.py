"""The phone's side of a live session: the join form (no account needed, or one's account),
the seat handed to the play page, rejoining, refusals, and code guessing.

The play page's script is exercised in a real browser by tests/test_live_browser.py;
here the join form works without any script, as it must.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import csrf_token
from conftest import app_on_copy, copy_database, make_app, make_imported_database
from flask import Flask
from flask.testing import FlaskClient
from live_page_helpers import (
    client_of,
    join,
    new_session,
    press,
    seat_of,
    seed_accounts,
    session_row,
)
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.live_models import LiveParticipant
from quiz.services.accounts import users as accounts


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets, two instructors and a student."""
    return make_imported_database(tmp_path_factory, seed=seed_accounts)


@pytest.fixture
def site(seeded_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on this test's own copy of the seeded database."""
    with app_on_copy(seeded_database, tmp_path) as app:
        yield app


def lobby_code(app: Flask) -> tuple[int, str]:
    """A new session in the lobby: its id and join code."""
    session_id = new_session(client_of(app, "teacher"))
    return session_id, session_row(app, session_id).code


def participants(app: Flask) -> list[tuple[str, int | None, bool]]:
    """Every participant: nickname, account id, removed."""
    with app.app_context():
        rows = db.session.execute(
            select(LiveParticipant.nickname, LiveParticipant.user_id, LiveParticipant.removed)
        ).all()
        return [tuple(row) for row in rows]


def state_of(client: FlaskClient, code: str, token: str) -> tuple[int, dict[str, object]]:
    """The API's player state for ``token``: status and body."""
    response = client.get(
        f"/api/v1/live/{code}/state", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.get_json() or {}


def test_a_phone_joins_with_a_nickname_and_plays_on_one_page(site: Flask) -> None:
    _session_id, code = lobby_code(site)
    phone = client_of(site, None)
    page = phone.get(f"/live/{code}")
    assert page.status_code == 200
    assert f'value="{code[:4]}-{code[4:]}"' in page.get_data(as_text=True)

    joined = join(phone, code.lower(), "Zoé")
    assert joined.status_code == 303 and joined.headers["Location"] == f"/live/{code}/play"
    play = phone.get(f"/live/{code}/play")
    text = play.get_data(as_text=True)
    assert play.status_code == 200 and play.headers["Cache-Control"] == "no-store"
    seat = seat_of(text)
    assert seat["nickname"] == "Zoé"
    status, state = state_of(phone, code, seat["token"])
    assert status == 200 and state["participant"]["nickname"] == "Zoé"  # type: ignore[index]
    assert state["phase"] == "lobby"
    # Without JavaScript the page says what is missing; with it, only files of this site run.
    assert "Playing needs JavaScript" in text
    scripts = re.findall(r"<script([^>]*)>", text)
    assert scripts and all('src="/static/' in tag or 'type="application/json"' in tag for tag in scripts)
    # A reload gives the same seat back.
    assert seat_of(phone.get(f"/live/{code}/play").get_data(as_text=True)) == seat


def test_the_same_nickname_needs_its_token(site: Flask) -> None:
    _session_id, code = lobby_code(site)
    first, second = client_of(site, None), client_of(site, None)
    join(first, code, "Léa")
    token = seat_of(first.get(f"/live/{code}/play").get_data(as_text=True))["token"]

    taken = join(second, code, "LÉA ")
    assert taken.status_code == 409
    assert "This nickname is taken in this session" in taken.get_data(as_text=True)
    # The other device, with the seat's token (from localStorage or the link): the same seat.
    rejoined = join(second, code, "Léa", token=token)
    assert rejoined.status_code == 303
    assert seat_of(second.get(f"/live/{code}/play").get_data(as_text=True))["token"] == token
    assert participants(site) == [("Léa", None, False)]


def test_a_student_joins_with_their_account_from_any_device(site: Flask) -> None:
    _session_id, code = lobby_code(site)
    laptop, phone = client_of(site, "alice"), client_of(site, "alice")
    form = laptop.get(f"/live/{code}").get_data(as_text=True)
    assert 'value="alice"' in form and "You play with your account, alice" in form
    assert join(laptop, code, "alice").status_code == 303
    assert join(phone, code, "Alice on the phone").status_code == 303
    with site.app_context():
        alice = accounts.find_user("alice")
        assert alice is not None
        assert participants(site) == [("alice", alice.id, False)]
    token = seat_of(phone.get(f"/live/{code}/play").get_data(as_text=True))["token"]
    assert state_of(phone, code, token)[0] == 200


@pytest.mark.parametrize(
    ("nickname", "status", "message"),
    [
        ("", 400, "Choose a nickname."),
        ("x" * 31, 400, "At most 30 characters."),
        ("a\u200bb", 400, "This nickname contains an invisible character."),
    ],
)
def test_a_nickname_to_fix_shows_the_form_again(
    site: Flask, nickname: str, status: int, message: str
) -> None:
    _session_id, code = lobby_code(site)
    response = join(client_of(site, None), code, nickname)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert participants(site) == []


def test_a_tampered_join_form_is_a_400(site: Flask) -> None:
    _session_id, code = lobby_code(site)
    phone = client_of(site, None)
    token = csrf_token(phone.get("/live").get_data(as_text=True))
    for data in (
        {"code": code, "nickname": "Zoé"},
        {"csrf_token": "forged", "code": code, "nickname": "Zoé"},
        {"csrf_token": token, "code": code, "nickname": "Zoé", "token": "t" * 101},
    ):
        assert phone.post("/live", data=data).status_code == 400, data
    assert participants(site) == []


def test_an_ended_session_and_a_removed_nickname_are_refused(site: Flask) -> None:
    session_id, code = lobby_code(site)
    teacher, phone = client_of(site, "teacher"), client_of(site, None)
    join(phone, code, "Malo")
    token = seat_of(phone.get(f"/live/{code}/play").get_data(as_text=True))["token"]
    with site.app_context():
        malo = db.session.scalar(select(LiveParticipant.id))
    page = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    teacher.post(
        f"/teach/live/{session_id}/participants/{malo}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    removed = join(phone, code, "Malo", token=token)
    assert removed.status_code == 403
    assert "The instructor removed you from this session." in removed.get_data(as_text=True)

    press(teacher, session_id, "end", session_row(site, session_id).version)
    late = join(client_of(site, None), code, "Newcomer")
    assert late.status_code == 409
    assert "This live session has ended." in late.get_data(as_text=True)
    with site.app_context():
        assert db.session.scalar(select(func.count()).select_from(LiveParticipant)) == 1


def test_wrong_codes_count_against_the_address(
    seeded_database: Path, tmp_path: Path
) -> None:
    """Past the limit of misses, every code is refused (429), the right one too."""
    app = make_app(
        copy_database(seeded_database, tmp_path / "quiz.sqlite"),
        LIVE_CODE_MISS_RATE_LIMIT="3 per minute",
    )
    _session_id, code = lobby_code(app)
    phone = client_of(app, None)
    assert phone.get("/live/ZZZZ2222").status_code == 404
    token = csrf_token(phone.get("/live").get_data(as_text=True))
    form = {"csrf_token": token, "code": "ZZZZ3333", "nickname": "Zoé"}
    assert phone.post("/live", data=form).status_code == 404
    assert phone.get("/live/ZZZZ4444/play").status_code == 404
    assert phone.get("/live/ZZZZ5555").status_code == 429
    assert phone.get(f"/live/{code}").status_code == 429
    assert phone.get(f"/live/{code}/play").status_code == 429
    assert participants(app) == []
    with app.app_context():
        db.engine.dispose()


def test_markup_in_a_nickname_stays_text(site: Flask) -> None:
    session_id, code = lobby_code(site)
    phone, teacher = client_of(site, None), client_of(site, "teacher")
    nickname = "</script><b>x</b>"
    assert join(phone, code, nickname).status_code == 303
    play = phone.get(f"/live/{code}/play").get_data(as_text=True)
    assert nickname not in play and seat_of(play)["nickname"] == nickname
    lobby = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert "<b>x</b>" not in lobby and "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in lobby


def test_the_pages_are_french_first(site: Flask) -> None:
    _session_id, code = lobby_code(site)
    phone = client_of(site, None, language="fr")
    page = phone.get(f"/live/{code}").get_data(as_text=True)
    assert "Rejoindre une session en direct" in page and "Pseudo" in page
    join(phone, code, "Zoé")
    play = phone.get(f"/live/{code}/play").get_data(as_text=True)
    texts = re.search(r'<script type="application/json" id="live-texts">(.*?)</script>', play)
    assert texts is not None  # the script's texts, in the page's language
    assert json.loads(texts.group(1))["submit"] == "Envoyer ma réponse"
    teacher = client_of(site, "teacher", language="fr")
    assert "Nouvelle session en direct" in teacher.get("/teach/live/new").get_data(as_text=True)
