"""Which commits wait for the disk: on PostgreSQL, all but those of the API's answers.

On PostgreSQL a trigger records ``synchronous_commit`` as it stands inside the
transaction that inserts each answer (``off`` for the API's answers only,
``quiz/services/api_answers.py``), and every other commit's setting is read
just before it commits. On SQLite every commit runs with ``PRAGMA synchronous``
NORMAL (1, ``quiz/app.py``). ``pytest --postgres`` runs the PostgreSQL half.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event, text

from quiz.extensions import db

API = "/api/v1"
QUIZ = {"sheet": "relations-otan-russie", "count": 5}
# PostgreSQL: the setting in force in each answer's inserting transaction.
RECORD_ANSWER_SETTINGS = [
    "CREATE TABLE answer_settings (answer_id integer, synchronous_commit text)",
    """CREATE FUNCTION record_answer_setting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO answer_settings VALUES (NEW.id, current_setting('synchronous_commit'));
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER record_answer_setting AFTER INSERT ON answers
    FOR EACH ROW EXECUTE FUNCTION record_answer_setting()""",
]


@contextmanager
def settings_at_commit(app: Flask) -> Iterator[list[str]]:
    """The durability setting in force at each commit of ``app``'s engine, as they come."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            setting = connection.exec_driver_sql("SHOW synchronous_commit").scalar_one()
        else:
            setting = connection.exec_driver_sql("PRAGMA synchronous").scalar_one()
        seen.append(str(setting))

    event.listen(engine, "commit", record)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", record)


def well_formed_answer(question: dict[str, Any]) -> Any:
    """An answer the checks accept, right or wrong: the items as shown, a choice, a year."""
    if question["type"] == "order":
        return question["choices"]
    return question["choices"][0] if question["choices"] else "1994"


def register_and_start(client: FlaskClient) -> tuple[dict[str, str], dict[str, Any]]:
    """A new account's Authorization header, and an attempt it started through the API."""
    credentials = {"username": "carol", "password": "correct horse"}
    token = client.post(f"{API}/auth/register", json=credentials).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    attempt = client.post(f"{API}/attempts", json=QUIZ, headers=headers)
    assert attempt.status_code == 201, attempt.get_data(as_text=True)
    return headers, attempt.get_json()


def answer_first_question(
    client: FlaskClient, headers: dict[str, str], attempt: dict[str, Any]
) -> None:
    """Answer the attempt's first question through the API (a 200: an answer stored)."""
    question = attempt["questions"][0]
    body = {"question_id": question["id"], "answer": well_formed_answer(question)}
    response = client.post(f"{API}/attempts/{attempt['id']}/answers", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_on_postgres_only_the_api_answers_commit_without_waiting_for_the_disk(
    site: Flask,
) -> None:
    with site.app_context():
        on_postgres = db.engine.dialect.name == "postgresql"
        if on_postgres:
            for statement in RECORD_ANSWER_SETTINGS:
                db.session.execute(text(statement))
            db.session.commit()
    waits = "on" if on_postgres else "1"
    client = site.test_client()
    with settings_at_commit(site) as seen:
        headers, attempt = register_and_start(client)
        assert seen and set(seen) == {waits}, seen
        seen.clear()

        answer_first_question(client, headers, attempt)
        if not on_postgres:
            assert seen == [waits]
        seen.clear()

        # The setting lasted until the answer's commit only: the next commits wait again.
        again = client.post(f"{API}/attempts", json=QUIZ, headers=headers)
        assert again.status_code == 201
        assert seen and set(seen) == {waits}, seen
    if on_postgres:
        with site.app_context():
            recorded = db.session.execute(text("SELECT synchronous_commit FROM answer_settings"))
            assert recorded.scalars().all() == ["off"]
