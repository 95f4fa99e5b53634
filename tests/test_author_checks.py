"""One set of automatic checks for generated and hand-written questions, through the real app.

Questions written in the editor (HTTP, CSRF on) for several fault classes — a
cloze whose blank sits beside the answer's acronym, an mcq whose wrong choice
does not agree with the determiner before the blank, a stem cut short — are
listed in the review queue and shown in the editor with their failed check,
named and explained in French and English, and neither bulk nor single
approval lets them through; their sound twins pass every check and are
approved. The built-in sheets imported by ``quiz import-sheets`` have no
approved question failing a check, the earlier revision included. An import
keeps a generated question failing a check as a draft. Every check of the
registry, and every reason it gives, has a name and a translation.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import OLD_REVISION, csrf_token, log_in_as, main_of
from conftest import app_on_copy, make_imported_database
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from quiz.extensions import db
from quiz.generate.model import Question as GeneratedQuestion
from quiz.generate.model import Source, Span
from quiz.generate.questions.check_registry import CHECKS
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Paragraph, Question, Revision, Sheet
from quiz.services.authoring import approval
from quiz.services.library import revisions
from quiz.services.library.row_sync import Tally
from quiz.views.author.check_labels import (
    CHECK_MESSAGES,
    CHECK_NAMES,
    QUOTING_MESSAGES,
    check_message,
)

SLUG, LABEL = "verifications", "2024"
QUEUE = "/author/questions"
NEW_URL = f"/author/sheets/{SLUG}/revisions/{LABEL}/questions/new"
COR = (
    "En 2002, le dialogue et la coopération ont été renforcés, lorsque le CCP a été remplacé "
    "par le Conseil OTAN-Russie (COR), qui devait permettre à ses membres de se consulter."
)
STEM = "Complétez avec la bonne réponse : « En 2002, le CCP a été remplacé par le _____. »"

# fault → (the check that fails, its name and its reason in French, the faulty question,
# its sound twin); a question: its type and the editor's fields, the paragraph as evidence.
FAULTS: dict[str, tuple[str, str, str, dict[str, str], dict[str, str]]] = {
    "acronym beside the blank": (
        "no_acronym_give_away",
        "Ni sigle ni nom qui donne la réponse",
        "L’énoncé montre le sigle de la réponse, ou le nom que ce sigle désigne.",
        {"type": "cloze", "answer": "Conseil OTAN-Russie",
         "prompt": "Complétez : « En 2002, le CCP a été remplacé par le _____ (COR). »"},
        {"type": "cloze", "answer": "Conseil OTAN-Russie",
         "prompt": "Complétez : « En 2002, le CCP a été remplacé par le _____, qui devait "
                   "permettre à ses membres de se consulter. »"},
    ),
    "a choice breaking agreement": (
        "choices_fit_the_blank",
        "Choix accordés avec le mot devant le trou",
        "« Commission européenne » ne s’accorde pas avec « le » devant le trou.",
        {"type": "mcq", "prompt": STEM, "answer": "Conseil OTAN-Russie",
         "wrong_1": "Comité militaire", "wrong_2": "Conseil de l'Europe",
         "wrong_3": "Commission européenne"},
        {"type": "mcq", "prompt": STEM, "answer": "Conseil OTAN-Russie",
         "wrong_1": "Comité militaire", "wrong_2": "Conseil de l'Europe"},
    ),
    "a stem cut short": (
        "whole_text",
        "Aucun texte tronqué",
        "Un texte est tronqué (« … »).",
        {"type": "cloze", "answer": "2002",
         "prompt": "Complétez : « … le dialogue et la coopération ont été renforcés en _____ … »"},
        {"type": "cloze", "answer": "2002",
         "prompt": "Complétez par l'année : « En _____, le dialogue et la coopération ont été "
                   "renforcés. »"},
    ),
}  # fmt: skip


def add_check_sheet() -> None:
    """A sheet of one revision and one paragraph, made by hand: the questions' own text."""
    sheet = Sheet(slug=SLUG, title="Vérifications", lang="fr")
    revision = Revision(
        sheet=sheet,
        label=LABEL,
        position=0,
        file_name="2024.md",
        content_hash="0" * 64,
        generated_hash="0" * 64,
    )
    Paragraph(revision=revision, anchor="p-00000000c0", index=0, text=COR, lang="fr")
    db.session.add(sheet)


@pytest.fixture(scope="module")
def imported_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets imported by ``quiz import-sheets``, plus the hand-made sheet."""
    return make_imported_database(tmp_path_factory, seed=add_check_sheet)


@pytest.fixture
def site(imported_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on the test's own copy of the database."""
    with app_on_copy(imported_database, tmp_path) as app:
        yield app


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    """A client logged in as an instructor (the interface in French, its default)."""
    client = site.test_client()
    log_in_as(client, site, "instructor")
    return client


def write(client: FlaskClient, site: Flask, question: dict[str, str]) -> int:
    """Write ``question`` in the editor (a draft citing the whole paragraph); return its id."""
    with site.app_context():
        paragraph = db.session.scalars(
            select(Paragraph).join(Revision).where(Revision.label == LABEL)
        ).one()
        paragraph_id = paragraph.id
    url = f"{NEW_URL}?type={question['type']}"
    fields = {name: value for name, value in question.items() if name != "type"}
    data = {
        "csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
        "explanation": "Écrite à la main.",
        "difficulty": "0.4",
        "lang": "fr",
        "paragraph": str(paragraph_id),
        "evidence_start": "0",
        "evidence_end": str(len(COR)),
        **fields,
    }
    response = client.post(url, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def queue_item(client: FlaskClient, question_id: int) -> str:
    """The queue's entry for the question (the hand-made sheet's questions fit one page)."""
    page = client.get(f"{QUEUE}?sheet={SLUG}").get_data(as_text=True)
    chunks = [c for c in page.split('<li class="queue-item') if f'id="question-{question_id}"' in c]
    assert len(chunks) == 1, f"question {question_id} is not listed"
    return unescape(chunks[0])


def failed_checks(html: str) -> list[str]:
    """The names of the failed checks a page (or part of one) shows."""
    return re.findall(r'class="check check-failed" data-check="([\w-]+)"', html)


def status_of(site: Flask, question_id: int) -> str:
    """The stored status of one question."""
    with site.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        return question.status


def bulk_approve(client: FlaskClient, ids: list[int]) -> str:
    """Tick ``ids`` in the queue and approve them; return the page it redirects to."""
    token = csrf_token(client.get(QUEUE).get_data(as_text=True))
    data = {"csrf_token": token, "action": "approve", "question_ids": [str(i) for i in ids]}
    response = client.post(f"{QUEUE}?sheet={SLUG}", data=data)
    assert response.status_code == 303
    return unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def approve_one(client: FlaskClient, question_id: int) -> str:
    """The approve button of the question's page; return the page it redirects to."""
    url = f"/author/questions/{question_id}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/approve", data={"csrf_token": token})
    assert response.status_code == 303
    return unescape(client.get(response.headers["Location"]).get_data(as_text=True))


# Hand-written questions ----------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_question_shows_its_failed_check_in_the_queue_and_the_editor(
    instructor: FlaskClient, site: Flask, fault: str
) -> None:
    name, label, reason, faulty, _sound = FAULTS[fault]
    question_id = write(instructor, site, faulty)
    item = queue_item(instructor, question_id)
    assert "queue-item-failing" in item
    assert failed_checks(item) == [name]
    assert f"{label}: {reason}" in " ".join(item.split())
    for page in (f"/author/questions/{question_id}", f"/author/questions/{question_id}/edit"):
        html = unescape(main_of(instructor.get(page).get_data(as_text=True)))
        assert failed_checks(html) == [name], page
        assert reason in html and 'id="approve"' not in html


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_question_cannot_be_approved(
    instructor: FlaskClient, site: Flask, fault: str
) -> None:
    _name, _label, reason, faulty, _sound = FAULTS[fault]
    question_id = write(instructor, site, faulty)
    page = bulk_approve(instructor, [question_id])
    assert status_of(site, question_id) == STATUS_DRAFT
    assert f"Question {question_id} non approuvée : {reason}" in page
    page = approve_one(instructor, question_id)
    assert status_of(site, question_id) == STATUS_DRAFT
    assert f"Non approuvée : {reason}" in page


def test_the_sound_twins_pass_every_check_and_are_approved(
    instructor: FlaskClient, site: Flask
) -> None:
    ids = [write(instructor, site, fault[-1]) for fault in FAULTS.values()]
    for question_id in ids:
        item = queue_item(instructor, question_id)
        assert failed_checks(item) == [] and "queue-item-failing" not in item
        assert item.count('class="check check-ok"') == len(approval.check_names())
    page = bulk_approve(instructor, ids[:-1])
    assert f"{len(ids) - 1} questions approuvées." in page
    approve_one(instructor, ids[-1])
    assert [status_of(site, question_id) for question_id in ids] == [STATUS_APPROVED] * len(ids)


def test_a_reason_quoting_a_choice_is_translated_with_it(
    instructor: FlaskClient, site: Flask
) -> None:
    _name, _label, french, faulty, _sound = FAULTS["a choice breaking agreement"]
    question_id = write(instructor, site, faulty)
    assert french in queue_item(instructor, question_id)
    instructor.get("/lang/en")
    english = "“Commission européenne” does not agree with “le” before the blank."
    assert english in queue_item(instructor, question_id)
    assert f"Question {question_id} not approved: {english}" in bulk_approve(
        instructor, [question_id]
    )


# Generated questions ---------------------------------------------------------------


def test_the_builtin_import_approves_no_question_failing_a_check(
    instructor: FlaskClient, site: Flask
) -> None:
    """Every approved question of the built-in sheet, listed in the queue, passes every check."""
    listed, page_number = 0, 1
    while True:
        query = f"?status=approved&page={page_number}"
        page = instructor.get(f"{QUEUE}{query}").get_data(as_text=True)
        listed += page.count('<li class="queue-item')
        assert "queue-item-failing" not in page and failed_checks(page) == [], page_number
        if 'rel="next"' not in page:
            break
        page_number += 1
    with site.app_context():
        approved = db.session.scalars(select(Question).filter_by(status=STATUS_APPROVED)).all()
        labels = {question.revision.label for question in approved}
        failing = [q.id for q in approved if not all(c.ok for c in approval.question_checks(q))]
    assert listed == len(approved) and OLD_REVISION in labels
    assert failing == []


def generated(uid: str, wrong: list[str]) -> GeneratedQuestion:
    """A generated mcq on the hand-made paragraph, answered « Conseil OTAN-Russie »."""
    answer = "Conseil OTAN-Russie"
    return GeneratedQuestion(
        id=uid,
        type="mcq",
        prompt=STEM,
        answer=answer,
        source=Source(SLUG, LABEL, "p-00000000c0", COR, Span(0, len(COR))),
        lang="fr",
        choices=[answer, *wrong],
    )


def test_an_import_keeps_a_question_failing_a_check_as_a_draft(site: Flask) -> None:
    faulty = generated("q-00000000fa17", ["Comité militaire", "Commission européenne"])
    sound = generated("q-000000000500", ["Comité militaire", "Conseil de l'Europe"])
    with site.app_context():
        revision = db.session.scalars(select(Revision).filter_by(label=LABEL)).one()
        paragraphs = {paragraph.anchor: paragraph for paragraph in revision.paragraphs}
        revisions.sync_revision_questions(revision, [faulty, sound], paragraphs, Tally())
        stored = {question.uid: question for question in revision.questions}
        assert stored[faulty.id].status == STATUS_DRAFT
        assert stored[sound.id].status == STATUS_APPROVED
        failed = [c.name for c in approval.question_checks(stored[faulty.id]) if not c.ok]
        assert failed == ["choices_fit_the_blank"]


# Names and translations -------------------------------------------------------------


def written_reasons(function: Any) -> list[str]:
    """The reasons a check function writes: the strings it returns in a list or appends,
    an f-string's values written ``{name}``."""
    tree = ast.parse(inspect.getsource(function).lstrip())
    reasons = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List):
            values = node.elts
        elif isinstance(node, ast.ListComp):
            values = [node.elt]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "append":
            values = node.args
        else:
            continue
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                reasons.append(value.value)
            elif isinstance(value, ast.JoinedStr):
                reasons.append(
                    "".join(
                        part.value
                        if isinstance(part, ast.Constant)
                        else f"{{{ast.unparse(part.value)}}}"
                        for part in value.values
                    )
                )
    return reasons


def test_every_check_and_every_reason_has_a_name_and_a_translation(site: Flask) -> None:
    """A check added to the registry without its name and reasons in
    ``quiz/views/author/check_labels.py`` (and the catalogs) fails this test."""
    reasons = {reason for function in CHECKS.values() for reason in written_reasons(function)}
    assert "the answer is not exactly one of the choices" in reasons  # the reader works
    assert set(approval.check_names()) ^ set(CHECK_NAMES) == set(), "checks named or not"
    plain = {reason for reason in reasons if "{" not in reason}
    assert plain - set(CHECK_MESSAGES) == set(), "reasons without a translation"
    quoting = {reason for reason in reasons if "{" in reason}
    assert quoting - set(QUOTING_MESSAGES) == set(), "reasons quoting words, untranslated"
    with site.test_request_context("/"):
        for name, label in CHECK_NAMES.items():
            with force_locale("en"):
                english = str(label)
            assert str(label) != english, f"{name}: no French name"
        for reason in CHECK_MESSAGES:
            with force_locale("en"):
                english = check_message(reason)
            assert check_message(reason) not in (english, reason), reason
        for written in QUOTING_MESSAGES:
            sample = written.format(choice="Xyz", det="le")
            with force_locale("en"):
                assert "“Xyz”" in check_message(sample), written
            assert "« Xyz »" in check_message(sample), written
