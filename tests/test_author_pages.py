"""The instructor's review queue through the Flask test client, CSRF on, on a real SQLite file.

Who may reach it, the filters and pages, the automatic checks shown on each
question, bulk approval and rejection (a failing question is never approved),
CSRF, and French by default.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from browser_helpers import LATEST_REVISION, OLD_REVISION, SHEET_SLUG, csrf_token, log_in_as
from conftest import REPO_ROOT
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from quiz.extensions import db
from quiz.models import Paragraph, Question, Revision
from quiz.services.authoring import approval

QUEUE = "/author/questions"
# The queue opens on drafts; these tests read every status (the built-in questions are approved).
EVERY = f"{QUEUE}?status="


def queue_url(query: str) -> str:
    """The queue with ``query``, every status unless it names one."""
    return f"{QUEUE}?{query}" if "status=" in query else f"{EVERY}&{query}"
_SHOWN_ID = re.compile(r'name="question_ids" value="(\d+)"')


@pytest.fixture
def client(site: Flask) -> FlaskClient:
    """A test client for conftest's ``site`` (CSRF on, the built-in sheets imported)."""
    return site.test_client()


@pytest.fixture
def instructor(client: FlaskClient, site: Flask) -> FlaskClient:
    """``client``, logged in as an instructor."""
    log_in_as(client, site, "instructor")
    return client


def shown_ids(page: str) -> list[int]:
    """The ids of the questions a queue page lists."""
    return [int(found) for found in _SHOWN_ID.findall(page)]


def all_shown_ids(client: FlaskClient, query: str) -> list[int]:
    """The ids listed on every page of the queue for ``query``."""
    ids: list[int] = []
    page_number = 1
    while True:
        page = client.get(f"{queue_url(query)}&page={page_number}").get_data(as_text=True)
        ids += shown_ids(page)
        if 'rel="next"' not in page:
            return ids
        page_number += 1


def question_ids(site: Flask, *conditions) -> list[int]:
    """Ids of the questions matching ``conditions``, in id order."""
    with site.app_context():
        query = select(Question.id).join(Revision).where(*conditions).order_by(Question.id)
        return list(db.session.scalars(query))


def set_status(site: Flask, ids: list[int], status: str) -> None:
    """Give the questions ``ids`` the status ``status``."""
    with site.app_context():
        db.session.execute(update(Question).where(Question.id.in_(ids)).values(status=status))
        db.session.commit()


def status_of(site: Flask, question_id: int) -> str:
    """The stored status of one question."""
    with site.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        return question.status


def break_answer(site: Flask, question_type: str = "cloze") -> tuple[int, str]:
    """Make the first question of ``question_type`` answer outside its evidence.

    Returns its id and its revision's label (any revision: the test is about the check).
    """
    with site.app_context():
        question = db.session.scalar(
            select(Question).where(Question.type == question_type).order_by(Question.id)
        )
        assert question is not None, f"the built-in sheets should have a {question_type}"
        question.answer, question.accepted = "Zanzibar", []
        db.session.commit()
        return question.id, question.revision.label


def review(client: FlaskClient, action: str, ids: list[int], query: str = "") -> str:
    """Post the bulk form of the queue; return the page it redirects to."""
    token = csrf_token(client.get(QUEUE).get_data(as_text=True))
    data = {"csrf_token": token, "action": action, "question_ids": [str(i) for i in ids]}
    response = client.post(f"{QUEUE}?{query}", data=data)
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


# Who may come in --------------------------------------------------------------------


def request_queue(client: FlaskClient, method: str) -> TestResponse:
    """GET the queue, or POST its bulk form with a valid CSRF token (CSRF is checked first)."""
    if method == "get":
        return client.get(QUEUE)
    token = csrf_token(client.get("/quiz/new").get_data(as_text=True))
    data = {"csrf_token": token, "action": "approve", "question_ids": ["1"]}
    return client.post(QUEUE, data=data)


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_the_login_page(client: FlaskClient, method: str) -> None:
    response = request_queue(client, method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("method", ["get", "post"])
def test_students_are_refused(client: FlaskClient, site: Flask, method: str) -> None:
    log_in_as(client, site, "student")
    response = request_queue(client, method)
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_only_instructors_see_the_nav_link(client: FlaskClient, site: Flask) -> None:
    assert 'href="/author/questions"' not in client.get("/").get_data(as_text=True)
    log_in_as(client, site, "student")
    assert 'href="/author/questions"' not in client.get("/").get_data(as_text=True)
    other = site.test_client()
    log_in_as(other, site, "instructor")
    assert 'href="/author/questions">Rédaction</a>' in other.get("/").get_data(as_text=True)


def test_the_queue_is_in_french_by_default(instructor: FlaskClient) -> None:
    page = instructor.get(EVERY).get_data(as_text=True)
    assert "File de relecture" in page
    assert "Approuver les questions cochées" in page
    assert "Paragraphe toujours présent dans sa révision" in page


# The queue ---------------------------------------------------------------------------


def test_the_queue_is_paginated_and_lists_every_question(
    instructor: FlaskClient, site: Flask
) -> None:
    first = instructor.get(EVERY).get_data(as_text=True)
    every = question_ids(site)
    assert len(shown_ids(first)) == min(len(every), approval.QUEUE_PAGE_SIZE)
    assert sorted(all_shown_ids(instructor, "")) == every
    last_page = -(-len(every) // approval.QUEUE_PAGE_SIZE)
    assert f"Page 1 sur {last_page}" in first


@pytest.mark.parametrize(
    ("query", "condition"),
    [
        ("type=numeric", Question.type == "numeric"),
        ("status=approved", Question.status == "approved"),
        (f"revision={OLD_REVISION}", Revision.label == OLD_REVISION),
        (f"sheet={SHEET_SLUG}&revision={LATEST_REVISION}", Revision.label == LATEST_REVISION),
        ("stale=y", Question.stale.is_(True)),
    ],
)
def test_filters_select_the_matching_questions(
    instructor: FlaskClient, site: Flask, query: str, condition
) -> None:
    expected = question_ids(site, condition)
    assert expected, "the built-in sheets should have such questions"
    assert sorted(all_shown_ids(instructor, query)) == expected


def test_the_tag_filter(instructor: FlaskClient, site: Flask) -> None:
    with site.app_context():
        rows = db.session.execute(select(Question.id, Question.tags)).tuples().all()
    expected = sorted(question_id for question_id, tags in rows if "date" in tags)
    assert expected
    assert sorted(all_shown_ids(instructor, "tag=date")) == expected


def test_an_unknown_filter_value_is_a_bad_request(instructor: FlaskClient) -> None:
    response = instructor.get(f"{QUEUE}?type=essay")
    assert response.status_code == 400
    assert "Ces filtres ne sont pas valides." in response.get_data(as_text=True)


def test_each_question_shows_prompt_answer_and_marked_evidence(
    instructor: FlaskClient, site: Flask
) -> None:
    page = instructor.get(queue_url("type=short")).get_data(as_text=True)
    with site.app_context():
        question = db.session.get(Question, shown_ids(page)[0])
        assert question is not None
        paragraph = question.paragraph.text
        evidence = paragraph[question.evidence_start : question.evidence_end]
        prompt, answer = question.prompt, question.answer
    assert prompt.replace("'", "&#39;") in page
    assert f'<span lang="fr">{answer}</span>' in page.replace("&#39;", "'")
    assert f"<mark>{evidence}</mark>".replace("'", "&#39;") in page


# Checks ------------------------------------------------------------------------------


def test_sound_questions_pass_every_check(site: Flask) -> None:
    """Every question the import approved passes every check, the database's last."""
    with site.app_context():
        approved = db.session.scalars(select(Question).filter_by(status="approved")).all()
        assert approved
        for question in approved:
            checks = approval.question_checks(question)
            assert [check.name for check in checks if not check.ok] == [], question.id
    assert [check.name for check in checks] == approval.check_names()
    assert checks[-1].name == approval.PARAGRAPH_IN_LATEST


def test_an_answer_outside_its_evidence_fails_and_is_shown(
    instructor: FlaskClient, site: Flask
) -> None:
    broken, label = break_answer(site)
    with site.app_context():
        checks = approval.question_checks(db.session.get(Question, broken))
    failed = [check for check in checks if not check.ok]
    assert [(c.name, c.message) for c in failed] == [
        ("answer_in_evidence", "answer not in its evidence")
    ]
    query = f"sheet={SHEET_SLUG}&revision={label}&type=cloze"
    page = instructor.get(queue_url(query)).get_data(as_text=True)
    item = next(chunk for chunk in page.split('id="question-') if chunk.startswith(f'{broken}"'))
    assert "La réponse ne figure pas dans l’extrait source." in item
    assert 'class="check check-failed" data-check="answer_in_evidence"' in item


def test_repeated_choices_fail_their_check(site: Flask) -> None:
    with site.app_context():
        question = db.session.scalar(select(Question).where(Question.type == "mcq"))
        question.choices = [question.choices[0], question.choices[0], *question.choices[2:]]
        checks = {check.name: check for check in approval.question_checks(question)}
    assert not checks["choices_sound"].ok


def test_a_question_of_an_earlier_revision_passes_without_its_paragraph_in_the_latest(
    instructor: FlaskClient, site: Flask
) -> None:
    """It was generated for its own revision, whose text holds its paragraph: no failure."""
    with site.app_context():
        question = db.session.scalar(
            select(Question).join(Revision).where(Revision.label == OLD_REVISION)
        )
        latest = db.session.scalar(select(Revision).filter_by(label=LATEST_REVISION))
        same = db.session.scalar(
            select(Paragraph).filter_by(revision_id=latest.id, anchor=question.paragraph.anchor)
        )
        if same is not None:
            same.anchor = "renamed-anchor"
        question.status = "draft"
        db.session.commit()
        question_id = question.id
        checks = {check.name: check for check in approval.question_checks(question)}
    assert checks[approval.PARAGRAPH_IN_LATEST].ok
    page = review(instructor, "approve", [question_id])
    assert status_of(site, question_id) == "approved"
    assert "1 question approuvée." in page


def latest_question_on_a_retired_paragraph(site: Flask) -> int:
    """A sound question of the latest revision, written by hand, whose paragraph an import
    then retired (gone from the revision's text); returns its id."""
    with site.app_context():
        latest = db.session.scalar(select(Revision).filter_by(label=LATEST_REVISION))
        paragraph = next(p for p in latest.paragraphs if p.quizzable)
        question = Question(
            uid="q-0000000feed1",
            revision=latest,
            paragraph=paragraph,
            type="true_false",
            prompt="Vrai ou faux ? La fiche dit ce que cite ce paragraphe.",
            choices=["Vrai", "Faux"],
            answer="Vrai",
            lang="fr",
            evidence_start=0,
            evidence_end=len(paragraph.text),
            status="draft",
        )
        db.session.add(question)
        db.session.flush()
        assert all(check.ok for check in approval.question_checks(question))
        paragraph.retired = True
        db.session.commit()
        return question.id


def test_a_paragraph_gone_from_the_latest_revision_fails(
    instructor: FlaskClient, site: Flask
) -> None:
    question_id = latest_question_on_a_retired_paragraph(site)
    with site.app_context():
        checks = approval.question_checks(db.session.get(Question, question_id))
    failed = [(check.name, check.message) for check in checks if not check.ok]
    assert failed == [(approval.PARAGRAPH_IN_LATEST, approval.PARAGRAPH_GONE)]
    page = review(instructor, "approve", [question_id])
    assert status_of(site, question_id) == "draft"
    assert f"Question {question_id} non approuvée : La dernière révision" in page


def test_the_service_does_not_load_spacy() -> None:
    code = "import sys, quiz.services.authoring.approval; assert 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


# Approval ----------------------------------------------------------------------------


def test_bulk_approve_approves_sound_drafts(instructor: FlaskClient, site: Flask) -> None:
    drafts = question_ids(site, Question.status == "approved")[:3]
    set_status(site, drafts, "draft")
    page = review(instructor, "approve", drafts)
    assert [status_of(site, i) for i in drafts] == ["approved"] * 3
    assert "3 questions approuvées." in page


def test_a_failing_question_is_not_approved_and_the_page_says_why(
    instructor: FlaskClient, site: Flask
) -> None:
    broken, label = break_answer(site)
    clozes = question_ids(site, Question.type == "cloze", Revision.label == label)
    sound = next(i for i in clozes if i != broken)
    set_status(site, [broken, sound], "draft")
    page = review(instructor, "approve", [broken, sound], query="type=cloze")
    assert status_of(site, broken) == "draft"
    assert status_of(site, sound) == "approved"
    assert "1 question approuvée." in page
    assert f"Question {broken} non approuvée : La réponse ne figure pas" in page


def test_bulk_reject_sends_approved_questions_back_to_draft(
    instructor: FlaskClient, site: Flask
) -> None:
    approved = question_ids(site, Question.status == "approved")[:2]
    page = review(instructor, "reject", approved, query="status=approved")
    assert [status_of(site, i) for i in approved] == ["draft", "draft"]
    assert "2 questions renvoyées en brouillon." in page


def test_retired_questions_stay_retired(instructor: FlaskClient, site: Flask) -> None:
    target = question_ids(site)[:1]
    set_status(site, target, "retired")
    review(instructor, "approve", target)
    assert status_of(site, target[0]) == "retired"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "approve"},
        {"action": "destroy", "csrf_token": "set below"},
    ],
)
def test_bulk_form_needs_a_csrf_token_and_a_known_action(
    instructor: FlaskClient, site: Flask, data: dict[str, str]
) -> None:
    target = question_ids(site)[:1]
    set_status(site, target, "draft")
    if "csrf_token" in data:
        data["csrf_token"] = csrf_token(instructor.get(QUEUE).get_data(as_text=True))
    response = instructor.post(QUEUE, data={**data, "question_ids": [str(target[0])]})
    assert response.status_code == 400
    assert status_of(site, target[0]) == "draft"
