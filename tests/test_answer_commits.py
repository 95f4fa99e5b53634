"""Which commits wait for the disk: on PostgreSQL, all but the API's answers.

Each commit's durability setting is read inside its transaction, just before
it commits: ``synchronous_commit`` on PostgreSQL (``off`` for the API's
answers only, ``quiz/services/api_answers.py``), ``PRAGMA synchronous`` on
SQLite (NORMAL, 1, for every commit: ``quiz/app.py``). ``pytest --postgres``
runs the PostgreSQL half.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import Connection, event

from quiz.extensions import db

API = "/api/v1"
QUIZ = {"sheet": "relations-otan-russie", "count": 5}


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


def test_only_the_api_answers_commit_without_waiting_for_the_disk(site: Flask) -> None:
    client = site.test_client()
    with site.app_context():
        on_postgres = db.engine.dialect.name == "postgresql"
    waits, answers = ("on", "off") if on_postgres else ("1", "1")
    with settings_at_commit(site) as seen:
        credentials = {"username": "carol", "password": "correct horse"}
        token = client.post(f"{API}/auth/register", json=credentials).get_json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        attempt = client.post(f"{API}/attempts", json=QUIZ, headers=headers)
        assert attempt.status_code == 201, attempt.get_data(as_text=True)
        assert seen and set(seen) == {waits}, seen
        seen.clear()

        question = attempt.get_json()["questions"][0]
        body = {"question_id": question["id"], "answer": well_formed_answer(question)}
        path = f"{API}/attempts/{attempt.get_json()['id']}/answers"
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert seen == [answers]
        seen.clear()

        # SET LOCAL ends with its transaction: the next request's commits wait again.
        again = client.post(f"{API}/attempts", json=QUIZ, headers=headers)
        assert again.status_code == 201
        assert seen and set(seen) == {waits}, seen
