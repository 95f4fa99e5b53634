"""Quizzes drawn without leaks, on the built-in sheets, through every door.

A quiz must not print the answer of one of its questions in another one (its
prompt, its events, or the statement a true/false question shows as true once
answered), nor ask two questions on one evidence sentence. Quizzes are drawn
through the JSON API, the quiz-setup form and the review page, then measured
with this module's own check (``quality_helpers.contains_word``), which shares
no code with the draw (``quiz.generate.questions.overlap``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from itertools import combinations
from pathlib import Path

import pytest
from browser_helpers import (
    OLD_REVISION,
    SHEET_SLUG,
    log_in_with,
    start_quiz,
    token_for,
)
from conftest import app_on_copy, make_imported_database
from flask import Flask
from quality_helpers import NO_LEAK_TYPES, contains_word
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Answer, Attempt, Question, Revision, utcnow
from quiz.services.accounts import users

PASSWORD = "correct horse"
QUIZ_LENGTH = 20
QUIZZES_PER_REVISION = 6


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets imported, and an account, dana."""
    return make_imported_database(
        tmp_path_factory, seed=lambda: users.register("dana", PASSWORD)
    )


@pytest.fixture
def site(seeded_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on this test's own copy of the seeded database."""
    with app_on_copy(seeded_database, tmp_path) as app:
        yield app


# --- the test's own check -------------------------------------------------------------------


def printed(question: Question) -> list[str]:
    """What a learner reads of a question: its prompt, its events, its true statement."""
    texts = [question.prompt]
    if question.type == "order":
        texts += list(question.choices)
    if question.type == "true_false":
        texts.append(question.paragraph.text[question.evidence_start : question.evidence_end])
    return texts


def sentences(question: Question) -> list[tuple[str, str, int, int]]:
    """``(anchor, paragraph, start, end)`` of every sentence the question rests on."""
    cited = [
        (question.paragraph.anchor, question.paragraph.text, question.evidence_start, question.evidence_end)
    ]
    for source in question.item_sources:
        span = source["evidence"]
        cited.append((source["anchor"], source["paragraph"], span["start"], span["end"]))
    return cited


def leaks(questions: list[Question]) -> list[str]:
    """Each answer (or accepted form) printed in another question of the same quiz."""
    found = []
    for question in questions:
        forms = {question.answer, *question.accepted} if question.type in NO_LEAK_TYPES else set()
        for reader in (other for other in questions if other is not question):
            for form in forms:
                hits = [text for text in printed(reader) if contains_word(text, form)]
                if hits:
                    found.append(f"{form!r} of {question.uid} in {reader.uid}: {hits[0]!r}")
    return found


def shared_sentences(questions: list[Question]) -> list[str]:
    """Each pair of questions of the same quiz resting on one evidence sentence."""
    found = []
    for one, other in combinations(questions, 2):
        for a_anchor, a_text, a_start, a_end in sentences(one):
            for b_anchor, b_text, b_start, b_end in sentences(other):
                same = a_anchor == b_anchor or a_text == b_text
                if same and a_start < b_end and b_start < a_end:
                    found.append(f"{one.uid} and {other.uid} on {a_text[a_start:a_end]!r}")
    return found


def asked(app: Flask, attempt_id: int) -> list[Question]:
    """The questions of an attempt, in order, their paragraphs loaded."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        questions = attempt.questions
        for question in questions:
            _ = question.paragraph.text
        db.session.expunge_all()
        return questions


def assert_leak_free(questions: list[Question]) -> None:
    """No answer printed elsewhere, no evidence sentence shared, in one quiz."""
    assert questions
    assert leaks(questions) == []
    assert shared_sentences(questions) == []


def revision_labels(app: Flask) -> list[str]:
    """Every built-in revision, oldest first."""
    with app.app_context():
        return list(db.session.scalars(select(Revision.label).order_by(Revision.position)))


def test_the_pools_hold_questions_that_give_each_other_away(site: Flask) -> None:
    """Without the draw's care the quizzes below would leak: the check finds it in the pool."""
    with site.app_context():
        pool = db.session.scalars(select(Question).filter_by(status=STATUS_APPROVED)).all()
        by_revision: dict[int, list[Question]] = {}
        for question in pool:
            by_revision.setdefault(question.revision_id, []).append(question)
        found = sum(len(leaks(qs)) + len(shared_sentences(qs)) for qs in by_revision.values())
    assert found > 50


# --- through the API ------------------------------------------------------------------------


def test_api_quizzes_never_give_an_answer_away(site: Flask) -> None:
    client = site.test_client()
    with site.app_context():
        user = users.find_user("dana")
        assert user is not None
        headers = {"Authorization": f"Bearer {users.issue_token(user)}"}
    for label in revision_labels(site):
        drawn = []
        for _ in range(QUIZZES_PER_REVISION):
            body = {"sheet": SHEET_SLUG, "revision": label, "count": QUIZ_LENGTH}
            response = client.post("/api/v1/attempts", json=body, headers=headers)
            assert response.status_code == 201, response.get_data(as_text=True)
            shown = response.get_json()["questions"]
            questions = asked(site, response.get_json()["id"])
            assert [q["id"] for q in shown] == [q.id for q in questions]
            assert 0 < len(questions) <= QUIZ_LENGTH
            assert_leak_free(questions)
            drawn.append(tuple(q.id for q in questions))
        assert len(set(drawn)) > 1 or len(drawn[0]) < 2, label  # still drawn at random


# --- through the quiz-setup form ------------------------------------------------------------


def test_web_quizzes_never_give_an_answer_away_and_say_their_length(site: Flask) -> None:
    client = site.test_client()
    for _ in range(QUIZZES_PER_REVISION):
        url = start_quiz(client, count=QUIZ_LENGTH, revision=OLD_REVISION)
        attempt_id = int(url.rstrip("/").rsplit("/", 1)[1])
        questions = asked(site, attempt_id)
        assert 0 < len(questions) <= QUIZ_LENGTH
        assert_leak_free(questions)
        page = client.get(url).get_data(as_text=True)
        assert f"Question 1 sur {len(questions)}" in page
        assert f'<progress max="{len(questions)}" value="0"' in page
        summary = client.get(f"{url}/summary").get_data(as_text=True)
        assert f'<span class="score-total"> / {len(questions)}</span>' in summary


def test_the_setup_page_promises_at_most_the_count(site: Flask) -> None:
    page = site.test_client().get("/quiz/new").get_data(as_text=True)
    assert "Nombre de questions (au plus)" in page
    assert "Le quiz peut en compter moins" in page
    client = site.test_client()
    client.get("/lang/en")
    page = client.get("/quiz/new").get_data(as_text=True)
    assert "Number of questions (at most)" in page
    assert "The quiz may hold fewer" in page


# --- through the review page ----------------------------------------------------------------


def answer_everything_wrong(app: Flask, username: str, label: str) -> int:
    """Every approved question of revision ``label`` answered wrong by ``username`` a day
    ago, in one hand-made attempt (not drawn): all of them are due for review now."""
    with app.app_context():
        revision = db.session.scalar(select(Revision).filter_by(label=label))
        user = users.find_user(username)
        assert revision is not None and user is not None
        ids = [q.id for q in revision.questions if q.status == STATUS_APPROVED]
        when = utcnow() - timedelta(days=1)
        attempt = Attempt(user_id=user.id, revision=revision, question_ids=ids, created_at=when)
        db.session.add(attempt)
        db.session.flush()
        for question_id in ids:
            wrong = {"attempt_id": attempt.id, "question_id": question_id, "given": "zzzz"}
            db.session.add(Answer(**wrong, correct=False, created_at=when))
        db.session.commit()
        return len(ids)


def test_review_quizzes_never_give_an_answer_away(site: Flask) -> None:
    due = answer_everything_wrong(site, "dana", OLD_REVISION)
    client = site.test_client()
    log_in_with(client, "dana", PASSWORD)
    page = client.get("/review").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', page)
    assert revision and "Réviser jusqu’à" in page
    response = client.post(
        "/review", data={"csrf_token": token_for(client, "/review"), "revision": revision.group(1)}
    )
    assert response.status_code == 302
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    questions = asked(site, attempt_id)
    assert due > 50 and 0 < len(questions) <= 50
    assert_leak_free(questions)
    quiz = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Question 1 sur {len(questions)}" in quiz
