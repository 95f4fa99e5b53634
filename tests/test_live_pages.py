"""The live sessions' pages: the instructor's form, projector and results, the phone's join.

Every test runs on its own copy of one database made once per module: the
built-in sheets imported, two instructors (teacher, tutor) and a student
(alice). CSRF stays on: forms are posted with the token their page carries.
The whole game in a browser is tests/test_live_browser.py.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import segno
from browser_helpers import ALL_TYPES, csrf_token
from conftest import app_on_copy, make_imported_database
from flask import Flask
from live_page_helpers import (
    SLUG,
    client_of,
    join,
    new_session,
    press,
    seat_of,
    seed_accounts,
    send_answer,
    session_form,
    session_row,
)
from markupsafe import escape
from sqlalchemy import select

from quiz.extensions import db
from quiz.live_models import LiveParticipant, LiveSession
from quiz.models import STATUS_APPROVED, Question, Revision, Sheet


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sheets, two instructors and a student."""
    return make_imported_database(tmp_path_factory, seed=seed_accounts)


@pytest.fixture
def site(seeded_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app (CSRF on) on this test's own copy of the seeded database."""
    with app_on_copy(seeded_database, tmp_path) as app:
        yield app


# --- the instructor's form -------------------------------------------------------------


def test_the_form_makes_a_session_and_opens_its_lobby(site: Flask) -> None:
    teacher = client_of(site, "teacher")
    session_id = new_session(teacher, count="4", seconds="25", scoring="speed", types=["mcq"])
    session = session_row(site, session_id)
    assert (session.phase, session.seconds_per_question, session.scoring) == ("lobby", 25, "speed")
    assert 1 <= len(session.question_ids) <= 4
    with site.app_context():
        types = {db.session.get(Question, qid).type for qid in session.question_ids}
    assert types == {"mcq"}

    lobby = teacher.get(f"/teach/live/{session_id}")
    page = lobby.get_data(as_text=True)
    assert lobby.status_code == 200
    assert f"{session.code[:4]}-{session.code[4:]}" in page
    assert f"http://localhost/live/{session.code}" in page  # the join link
    assert f'src="/teach/live/{session_id}/qr.svg"' in page
    assert lobby.headers["Cache-Control"] == "no-store"

    qr = teacher.get(f"/teach/live/{session_id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    # The code drawn is the join link's: segno draws the same paths for the same text only.
    assert qr.get_data(as_text=True) == drawn_qr(f"http://localhost/live/{session.code}")
    assert qr.get_data(as_text=True) != drawn_qr(f"http://localhost/live/{session.code}x")


def drawn_qr(text: str) -> str:
    """``text`` as a QR code drawn the way the projector's is."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", border=2, dark="#000", light="#fff", xmldecl=False, omitsize=True
    )
    return buffer.getvalue().decode()


def test_hand_picked_questions_are_asked_in_their_order(site: Flask) -> None:
    with site.app_context():
        rows = db.session.execute(
            select(Question.id, Revision.label)
            .join(Revision, Revision.id == Question.revision_id)
            .join(Sheet, Sheet.id == Revision.sheet_id)
            .where(Sheet.slug == SLUG, Question.status == STATUS_APPROVED)
            .order_by(Question.id)
        ).all()
    labels = [row.label for row in rows]
    label = max(set(labels), key=labels.count)
    first, second, third = [row.id for row in rows if row.label == label][:3]
    teacher = client_of(site, "teacher")
    session_id = new_session(teacher, revision=label, picked=f"{third}, {first} {second}")
    assert session_row(site, session_id).question_ids == [third, first, second]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": "0"}, "Between 1 and 50 questions."),
        ({"count": "51"}, "Between 1 and 50 questions."),
        ({"seconds": "4"}, "Between 5 and 600 seconds."),
        ({"seconds": "99999999999999999999"}, "Between 5 and 600 seconds."),
        ({"types": []}, "Choose at least one type of question."),
        ({"picked": "twelve"}, "Type question numbers separated by commas or spaces."),
        ({"picked": "99999999999"}, "Type question numbers separated by commas or spaces."),
        ({"picked": "987654"}, "Question 987654 is not an approved question of this revision."),
    ],
)
def test_settings_to_fix_show_the_form_again(
    site: Flask, fields: dict[str, Any], message: str
) -> None:
    teacher = client_of(site, "teacher")
    response = teacher.post("/teach/live/new", data=session_form(teacher, **fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with site.app_context():
        assert db.session.scalar(select(LiveSession.id)) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"revision": "1999-never"},
        {"scoring": "fastest"},
        {"types": ["mcq", "essay"]},
        {"tags": ["gossip"]},
        {"csrf_token": "forged"},
    ],
)
def test_a_tampered_session_form_is_a_400(site: Flask, fields: dict[str, Any]) -> None:
    teacher = client_of(site, "teacher")
    response = teacher.post("/teach/live/new", data=session_form(teacher, **fields))
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)


# --- access -------------------------------------------------------------------------------


def teach_urls(app: Flask, session_id: int) -> list[tuple[str, str]]:
    """Every instructor route of the blueprint, for ``session_id``: (method, URL)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("classroom.") or not rule.rule.startswith("/teach"):
            continue
        url = rule.rule.replace("<int:session_id>", str(session_id))
        url = url.replace("<int:participant_id>", "1")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_a_student_gets_403_and_a_visitor_is_sent_to_log_in(site: Flask) -> None:
    session_id = new_session(client_of(site, "teacher"))
    urls = teach_urls(site, session_id)
    assert len(urls) >= 11
    student, visitor = client_of(site, "alice"), client_of(site, None)
    token = csrf_token(student.get("/live").get_data(as_text=True))
    for method, url in urls:
        answered = student.open(url, method=method, data={"csrf_token": token})
        assert answered.status_code == 403, (method, url)
        assert visitor.open(url, method=method).status_code in (302, 400), (method, url)
        if method == "GET":
            assert visitor.get(url).status_code == 302, url


def test_another_instructors_session_and_unknown_ones_are_404(site: Flask) -> None:
    session_id = new_session(client_of(site, "teacher"))
    tutor = client_of(site, "tutor")
    token = csrf_token(tutor.get("/live").get_data(as_text=True))
    for other in (session_id, 987_654, 2**31 - 1):
        for method, url in teach_urls(site, other):
            if url.endswith("/new") or url == "/teach/live":
                continue
            answered = tutor.open(url, method=method, data={"csrf_token": token})
            assert answered.status_code == 404, (method, url)
    assert tutor.get("/teach/live/99999999999999999999").status_code == 404
    visitor = client_of(site, None)
    assert visitor.get("/live/ZZZZ2222/play").status_code == 404
    assert visitor.get("/live/not-a-code/play").status_code == 404
    unknown = visitor.get("/live/ZZZZ2222")
    assert unknown.status_code == 404
    assert "No live session has this code" in unknown.get_data(as_text=True)


def test_a_tampered_control_is_a_400_and_changes_nothing(site: Flask) -> None:
    teacher = client_of(site, "teacher")
    session_id = new_session(teacher)
    page = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    token = csrf_token(page)
    for data in (
        {"csrf_token": token, "action": "explode", "version": "1"},
        {"csrf_token": token, "action": "start"},
        {"csrf_token": token, "action": "start", "version": "-3"},
        {"csrf_token": token, "action": "start", "version": "99999999999999"},
        {"action": "start", "version": "1"},
    ):
        response = teacher.post(f"/teach/live/{session_id}/control", data=data)
        assert response.status_code == 400, data
    removal = teacher.post(f"/teach/live/{session_id}/participants/1/remove", data={})
    assert removal.status_code == 400
    assert session_row(site, session_id).version == 1


# --- the projector, through a whole session --------------------------------------------


def evidence_of(app: Flask, question_id: int) -> tuple[str, str]:
    """The question's prompt and evidence, as the page escapes them."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        text = question.paragraph.text[question.evidence_start : question.evidence_end]
        return str(escape(question.prompt)), str(escape(text))


def test_the_projector_follows_a_session_to_its_results(site: Flask) -> None:
    teacher, phone = client_of(site, "teacher"), client_of(site, None)
    session_id = new_session(teacher, count="2")
    code = session_row(site, session_id).code
    assert join(phone, code, "Zoé").status_code == 303
    token = seat_of(phone.get(f"/live/{code}/play").get_data(as_text=True))["token"]
    with site.app_context():
        zoe = db.session.scalar(select(LiveParticipant.id))
    lobby = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert "Zoé" in lobby and f"/teach/live/{session_id}/participants/{zoe}/remove" in lobby

    assert press(teacher, session_id, "start", 1).status_code == 303
    question_id = session_row(site, session_id).question_ids[0]
    prompt, evidence = evidence_of(site, question_id)
    asked = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert prompt in asked and '<strong data-live="answered">0</strong>' in asked

    double = press(teacher, session_id, "next", 1)  # a button of the lobby's page, late
    assert double.status_code == 409
    assert "The session has changed since this page was shown" in double.get_data(as_text=True)
    assert session_row(site, session_id).version == 2

    assert send_answer(site, phone, code, token, right=True).status_code == 200
    polled = teacher.get(f"/teach/live/{session_id}/state.json").get_json()
    assert (polled["answered_count"], polled["version"]) == (1, 2)

    assert press(teacher, session_id, "reveal", 2).status_code == 303
    revealed = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert f"<mark>{evidence}</mark>" in revealed
    assert '<li class="distribution-row distribution-right">' in revealed
    assert '<span class="distribution-count">1</span>' in revealed
    assert "hl=" in revealed  # the link to the sheet, evidence highlighted

    assert press(teacher, session_id, "next", 3).status_code == 303
    ranks = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">Zoé</th>\s*<td class=\"number\">1000</td>", ranks)

    assert press(teacher, session_id, "end", 4).status_code == 303
    ended = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert f"/teach/live/{session_id}/results" in ended and "results.csv" in ended

    listed = teacher.get("/teach/live").get_data(as_text=True)
    assert f"{code[:4]}-{code[4:]}" in listed and f"/teach/live/{session_id}/results" in listed
    assert f"{code[:4]}-{code[4:]}" not in client_of(site, "tutor").get("/teach/live").get_data(
        as_text=True
    )
    results = teacher.get(f"/teach/live/{session_id}/results").get_data(as_text=True)
    assert "Zoé" in results and "1 right of 1 answers" in results
    student = teacher.get(f"/teach/live/{session_id}/results/{zoe}").get_data(as_text=True)
    assert "1000 points in" in student and prompt in student
    exported = teacher.get(f"/teach/live/{session_id}/results.csv")
    assert exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[1][:3] == ["1", "Zoé", "1000"]


def test_pause_resume_skip_and_removal_from_the_projector(site: Flask) -> None:
    teacher, phone = client_of(site, "teacher"), client_of(site, None)
    session_id = new_session(teacher, count="5", types=list(ALL_TYPES))
    code = session_row(site, session_id).code
    assert len(session_row(site, session_id).question_ids) >= 2
    join(phone, code, "Malo")
    token = seat_of(phone.get(f"/live/{code}/play").get_data(as_text=True))["token"]
    with site.app_context():
        malo = db.session.scalar(select(LiveParticipant.id))

    press(teacher, session_id, "start", 1)
    assert press(teacher, session_id, "pause", 2).status_code == 303
    paused = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    assert 'data-paused="true"' in paused and 'data-action="resume"' in paused
    assert press(teacher, session_id, "resume", 3).status_code == 303
    assert press(teacher, session_id, "skip", 4).status_code == 303
    skipped = session_row(site, session_id)
    assert (skipped.phase, skipped.current_index, skipped.skipped_ids) == (
        "question",
        1,
        [skipped.question_ids[0]],
    )

    page = teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    removal = teacher.post(
        f"/teach/live/{session_id}/participants/{malo}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    assert removal.status_code == 303
    assert session_row(site, session_id).version == 6  # the phones hear of it
    assert "Malo" not in teacher.get(f"/teach/live/{session_id}").get_data(as_text=True)
    refused = phone.get(
        f"/api/v1/live/{code}/state", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 403
    again = teacher.post(
        f"/teach/live/{session_id}/participants/987654/remove",
        data={"csrf_token": csrf_token(page)},
    )
    assert again.status_code == 404
