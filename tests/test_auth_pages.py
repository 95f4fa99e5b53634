"""Accounts and languages through the Flask test client, CSRF on.

Register, log in and out with field-level errors; CSRF on every form; the
login rate limit; French by default and English on a switch, remembered on
the account; a visitor's score kept when they register or log in; the French
catalog complete.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from browser_helpers import (
    answer_current,
    start_quiz,
    token_for,
)
from conftest import REPO_ROOT
from flask import Flask, session
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Attempt, User
from quiz.services.accounts import users

PASSWORD = "correct horse battery"
CATALOG = REPO_ROOT / "quiz/translations/fr/LC_MESSAGES/messages.po"


@pytest.fixture
def client(site: Flask) -> FlaskClient:
    """A test client for conftest's ``site`` (CSRF on, the built-in sheets imported)."""
    return site.test_client()


def register(client: FlaskClient, username: str = "alice", password: str = PASSWORD, **extra):
    data = {
        "csrf_token": token_for(client, "/register"),
        "username": username,
        "password": password,
        "confirm": extra.pop("confirm", password),
    }
    return client.post("/register", data=data, **extra)


def log_in(client: FlaskClient, username: str = "alice", password: str = PASSWORD, **extra):
    data = {"csrf_token": token_for(client, "/login"), "username": username, "password": password}
    return client.post("/login", data=data, **extra)


def create_user(site: Flask, username: str = "alice", role: str = "student") -> None:
    with site.app_context():
        users.register(username, PASSWORD, role=role)
        db.session.commit()


# Register, log in, log out ----------------------------------------------------------


def test_register_logs_in_and_shows_the_name(client: FlaskClient, site: Flask) -> None:
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"] == "/progress"
    page = client.get("/progress").get_data(as_text=True)
    assert 'class="username"' in page and "alice" in page
    assert "Se déconnecter" in page and "Bienvenue, alice" in page
    with site.app_context():
        user = db.session.scalar(select(User).filter_by(username="alice"))
        assert user.role == "student" and user.password_hash != PASSWORD


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "al"}, "username", "Entre 3 et 40 caractères."),
        ({"username": ""}, "username", "Choisissez un nom d’utilisateur."),
        ({"password": "short", "confirm": "short"}, "password", "Au moins 8 caractères."),
        ({"confirm": "something else"}, "confirm", "Les deux mots de passe diffèrent."),
    ],
)
def test_register_errors_are_shown_on_their_field(
    client: FlaskClient, fields: dict, field: str, message: str
) -> None:
    response = register(client, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(rf'<ul class="errors" id="{field}-errors">\s*<li>{message}</li>', page)
    assert re.search(rf'aria-describedby="[^"]*{field}-errors"[^>]*aria-invalid="true"', page) or (
        re.search(rf'aria-invalid="true"[^>]*id="{field}"', page)
    )


def test_a_taken_name_is_refused_whatever_its_case(client: FlaskClient, site: Flask) -> None:
    create_user(site)
    response = register(client, username="ALICE")
    assert response.status_code == 400
    assert "Ce nom d’utilisateur est déjà pris." in response.get_data(as_text=True)


def test_login_and_logout(client: FlaskClient, site: Flask) -> None:
    create_user(site)
    wrong = log_in(client, password="not the password")
    assert wrong.status_code == 400
    assert "Nom d’utilisateur ou mot de passe incorrect." in wrong.get_data(as_text=True)
    assert log_in(client, username="Alice").headers["Location"] == "/progress"
    assert "Se déconnecter" in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    response = client.post("/logout", data={"csrf_token": token_for(client, "/")})
    assert response.status_code == 302
    assert "Se connecter" in client.get("/").get_data(as_text=True)


def test_an_instructor_logs_in_like_anybody(client: FlaskClient, site: Flask) -> None:
    create_user(site, "teacher", role="instructor")
    assert log_in(client, username="teacher").status_code == 302


def test_login_redirects_only_to_this_site(client: FlaskClient, site: Flask) -> None:
    create_user(site)
    data = {"csrf_token": token_for(client, "/login"), "username": "alice", "password": PASSWORD}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/progress"
    client.post("/logout", data={"csrf_token": token_for(client, "/")})
    data["csrf_token"] = token_for(client, "/login")
    response = client.post("/login?next=/sheets", data=data)
    assert response.headers["Location"] == "/sheets"


@pytest.mark.parametrize("url", ["/login", "/register"])
def test_forms_without_a_csrf_token_are_refused(client: FlaskClient, url: str) -> None:
    data = {"username": "alice", "password": PASSWORD, "confirm": PASSWORD}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True) or "CSRF" in response.get_data(
        as_text=True
    )


def test_login_is_rate_limited_per_account(client: FlaskClient, site: Flask) -> None:
    create_user(site)
    for _ in range(10):
        assert log_in(client, password="guess 1234").status_code == 400
    response = log_in(client)  # even the right password waits
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Trop de tentatives" in page and "Attendez une minute" in page
    assert "Traceback" not in page
    assert client.get("/login").status_code == 200  # reading the form is not limited


# Languages ------------------------------------------------------------------------


def test_french_by_default_english_on_the_switch(client: FlaskClient) -> None:
    page = client.get("/quiz/new").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Nouveau quiz" in page
    assert 'href="/lang/en?next=/quiz/new' in page
    response = client.get("/lang/en?next=/quiz/new")
    assert response.status_code == 302 and response.headers["Location"] == "/quiz/new"
    page = client.get("/quiz/new").get_data(as_text=True)
    assert '<html lang="en">' in page and "New quiz" in page and "Nouveau quiz" not in page
    assert "Multiple choice" in page and "Start the quiz" in page
    assert "Page not found" in client.get("/nowhere").get_data(as_text=True)
    client.get("/lang/fr")
    assert "Nouveau quiz" in client.get("/quiz/new").get_data(as_text=True)


def test_unknown_language_is_404_and_next_stays_on_site(client: FlaskClient) -> None:
    assert client.get("/lang/xx").status_code == 404
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        assert client.get("/lang/en", query_string={"next": target}).headers["Location"] == "/"


def test_the_language_is_remembered_on_the_account(client: FlaskClient, site: Flask) -> None:
    register(client)
    client.post("/lang/en", data={"csrf_token": token_for(client, "/")})
    with site.app_context():
        assert db.session.scalar(select(User.locale).filter_by(username="alice")) == "en"
    other_browser = site.test_client()
    assert '<html lang="fr">' in other_browser.get("/").get_data(as_text=True)
    log_in(other_browser)
    assert '<html lang="en">' in other_browser.get("/").get_data(as_text=True)


def test_every_interface_string_has_a_french_translation(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    subprocess.run(
        [str(REPO_ROOT / ".venv/bin/pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-o", str(template), "."],
        cwd=REPO_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        message.id
        for message in catalog
        if message.id
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = {str(message) for message in wanted - translated}
    assert not missing, f"untranslated in {CATALOG.name}: {sorted(missing)}"
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= CATALOG.stat().st_mtime, (
        "stale French catalog: run `make install`"
    )


# A visitor's work -------------------------------------------------------------------


@pytest.mark.parametrize("how", ["register", "log in"])
def test_a_visitor_keeps_their_score_on_register_or_login(
    client: FlaskClient, site: Flask, how: str
) -> None:
    url = start_quiz(client, count=1, types=("true_false",))
    answer_current(client, site, url)
    assert "<dt>Questions répondues</dt><dd>1</dd>" in client.get("/progress").get_data(
        as_text=True
    )
    if how == "register":
        register(client)
    else:
        create_user(site)
        log_in(client)
    page = client.get("/progress").get_data(as_text=True)
    assert "<dt>Questions répondues</dt><dd>1</dd>" in page
    assert client.get(f"{url}/summary").status_code == 200
    with site.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt.user.username == "alice" and attempt.visitor_id is None


def test_the_api_neither_reads_nor_sets_the_page_session(client: FlaskClient, site: Flask) -> None:
    """Under /api/ the cookie session is not even opened: a logged-in browser calling
    the API is not authenticated by its cookie and gets no cookie back."""
    create_user(site)
    assert log_in(client).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    headers = {"Cookie": f"session={cookie.value}"}
    with site.test_request_context("/progress", headers=headers):
        assert session.get("_user_id")  # the cookie carries the login
    with site.test_request_context("/api/v1/me/stats", headers=headers):
        assert dict(session) == {}
    by_cookie = client.get("/api/v1/me/stats")
    assert by_cookie.status_code == 401
    assert "Set-Cookie" not in by_cookie.headers
    assert "Se déconnecter" in client.get("/").get_data(as_text=True)
