"""Accounts: registration, log-in, API tokens, claiming a visitor's work, ``quiz create-user``."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from itsdangerous import TimestampSigner
from sqlalchemy import select
from study_data import make_sheet

from quiz import create_app
from quiz.extensions import db, login_manager
from quiz.models import Attempt, User
from quiz.services.accounts import users
from quiz.services.database import insert_unless_duplicate
from quiz.services.errors import Invalid, NotFound
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


def test_register_stores_a_hash_never_the_password(ctx: None) -> None:
    user = users.register("  Ａlice  ", "correct horse")
    assert user.id is not None and user.username == "Alice"  # NFKC: a plain A
    assert user.role == "student" and not user.is_instructor
    assert "correct horse" not in user.password_hash
    assert user.password_hash != users.register("bob", "correct horse").password_hash  # salted
    teacher = users.register("carol", "password9", role="instructor")
    assert teacher.is_instructor
    assert user.get_id() == f"{user.id}:0"  # the id and the session epoch (logouts)


@pytest.mark.parametrize(
    ("username", "password", "role"),
    [
        ("alice", "password1", "student"),  # taken
        ("ALICE", "password1", "student"),  # taken, whatever the case
        ("ＡＬＩＣＥ", "password1", "student"),  # taken: full-width letters are the same name
        ("ａｌｉｃｅ", "password1", "student"),
        ("dave", "short", "student"),  # 5 characters
        ("dave", "1234567", "student"),  # 7 characters
        ("da", "password1", "student"),  # name too short
        ("d" * 41, "password1", "student"),
        ("da\x00ve", "password1", "student"),
        ("dave", "password1", "admin"),
    ],
)
def test_register_refuses(ctx: None, username: str, password: str, role: str) -> None:
    users.register("alice", "password0")
    with pytest.raises(Invalid) as error:
        users.register(username, password, role=role)
    assert error.value.message
    assert db.session.scalars(select(User.username)).all() == ["alice"]


def test_the_database_refuses_a_name_differing_only_in_case(ctx: None) -> None:
    # What a registration racing another one would hit after the service's own check.
    users.register("alice", "password0")
    values = {"username": "Alice", "password_hash": "x", "role": "student"}
    assert insert_unless_duplicate(User, values) is None


def test_authenticate(ctx: None) -> None:
    user = users.register("alice", "password1")
    assert users.authenticate("alice", "password1") is user
    assert users.authenticate(" ALICE ", "password1") is user
    assert users.authenticate("ａｌｉｃｅ", "password1") is user  # full width
    assert users.authenticate("alice", "password2") is None
    assert users.authenticate("nobody", "password1") is None


def test_the_login_manager_loads_users_by_id(ctx: None) -> None:
    user = users.register("alice", "password1")
    load_user = login_manager._user_callback  # whichever module registered it last
    assert load_user is not None
    assert load_user(f"{user.id}:0") is user
    assert load_user("999:0") is None
    assert load_user("not-an-id") is None
    # A cookie from before a logout, or from before session epochs existed, names nobody.
    users.end_sessions(user)
    assert load_user(f"{user.id}:0") is None and load_user(str(user.id)) is None
    assert load_user(f"{user.id}:1") is user


def test_a_token_names_its_user(ctx: None) -> None:
    alice = users.register("alice", "password1")
    bob = users.register("bob", "password2")
    token = users.issue_token(alice)
    assert users.user_for_token(token) is alice
    assert users.user_for_token(users.issue_token(bob)) is bob


def test_tampered_and_foreign_tokens_are_refused(app: Flask, ctx: None) -> None:
    alice = users.register("alice", "password1")
    token = users.issue_token(alice)
    payload, _, signature = token.rpartition(".")
    # Change a middle character: the last one of a base64 signature may only carry
    # padding bits, and flipping it can leave the decoded signature the same.
    middle = len(signature) // 2
    flipped = (
        signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]
    )
    for bad in [payload + "." + flipped, token[1:], "", "garbage", token + "x"]:
        assert users.user_for_token(bad) is None, bad
    other = create_app({"TESTING": True, "SECRET_KEY": "another", **_same_db(app)})
    with other.app_context():
        assert users.user_for_token(token) is None


def _same_db(app: Flask) -> dict[str, str]:
    return {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}


def test_tokens_expire_after_30_days(ctx: None, monkeypatch: pytest.MonkeyPatch) -> None:
    alice = users.register("alice", "password1")
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now - 29 * 24 * 3600)
    recent = users.issue_token(alice)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now - 31 * 24 * 3600)
    expired = users.issue_token(alice)
    monkeypatch.undo()
    assert users.user_for_token(recent) is alice
    assert users.user_for_token(expired) is None


def test_a_token_expires_even_after_its_signature_was_checked(
    ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signatures are checked once per worker (cached); the age is checked every time."""
    alice = users.register("alice", "password1")
    token = users.issue_token(alice)
    assert users.user_for_token(token) is alice  # verified, now cached
    later = time.time() + 31 * 24 * 3600
    monkeypatch.setattr(users.time, "time", lambda: later)
    assert users.user_for_token(token) is None


def test_a_token_signed_with_another_secret_is_refused(app: Flask, ctx: None) -> None:
    alice = users.register("alice", "password1")
    token = users.issue_token(alice)
    app.config["SECRET_KEY"] = "another secret"
    assert users.user_for_token(token) is None


def test_a_new_password_revokes_old_tokens(ctx: None) -> None:
    alice = users.register("alice", "password1")
    token = users.issue_token(alice)
    alice.password_hash = users.register("bob", "password2").password_hash
    assert users.user_for_token(token) is None


def test_claim_visitor_attempts(ctx: None) -> None:
    make_sheet()
    mine = [attempts.start_attempt(Owner(visitor_id="v1"), "otan") for _ in range(2)]
    theirs = attempts.start_attempt(Owner(visitor_id="v2"), "otan")
    user = users.register("alice", "password1")
    assert users.claim_visitor_attempts("v1", user) == 2
    assert users.claim_visitor_attempts("v1", user) == 0
    assert users.claim_visitor_attempts(None, user) == 0
    owner = Owner(user_id=user.id)
    for attempt in mine:
        assert attempts.get_attempt(owner, attempt.id).user_id == user.id
        with pytest.raises(NotFound):
            attempts.get_attempt(Owner(visitor_id="v1"), attempt.id)
    assert db.session.get(Attempt, theirs.id).user_id is None
    with pytest.raises(NotFound):
        attempts.get_attempt(owner, theirs.id)


def _users(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return list(db.session.execute(select(User.username, User.role)).tuples())


def test_create_user_with_password_on_stdin(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-user", "alice", "--password-stdin"], input="password1\n")
    assert result.exit_code == 0, result.output
    assert "alice" in result.stdout
    result = runner.invoke(
        args=["create-user", "carol", "--instructor", "--password-stdin"], input="password2\n"
    )
    assert result.exit_code == 0, result.output
    assert _users(app) == [("alice", "student"), ("carol", "instructor")]
    with app.app_context():
        assert users.authenticate("alice", "password1") is not None


def test_create_user_prompts_twice(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-user", "alice"], input="password1\npassword1\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat" in result.output
    mismatch = runner.invoke(args=["create-user", "bob"], input="password1\npassword2\n")
    assert mismatch.exit_code != 0
    assert _users(app) == [("alice", "student")]


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "password9"), ("Alice", "password9"), ("bob", "short")],
)
def test_create_user_refuses_with_status_2(
    app: Flask, runner: FlaskCliRunner, username: str, password: str
) -> None:
    runner.invoke(args=["create-user", "alice", "--password-stdin"], input="password1\n")
    result = runner.invoke(
        args=["create-user", username, "--password-stdin"], input=password + "\n"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert _users(app) == [("alice", "student")]
