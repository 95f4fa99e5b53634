"""The learner's pages through the Flask test client, CSRF on, on a real SQLite file.

Sheets and their revisions, evidence highlighting and escaping, the quiz
(setup, one question at a time, feedback, double submits, bad input), the
summary and retry, progress and the review queue.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from browser_helpers import (
    ALL_TYPES,
    LATEST_REVISION,
    OLD_REVISION,
    SHEET_SLUG,
    answer_count,
    answer_current,
    date_order_events,
    main_of,
    question_id_of,
    question_row,
    right_answer_form,
    start_quiz,
    token_for,
    wrong_answer_form,
)
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Attempt, Paragraph, Question, Revision
from quiz.views.study.svg import build_chart

SHEET_URL = f"/sheets/{SHEET_SLUG}"


@pytest.fixture
def client(site: Flask) -> FlaskClient:
    """A test client for conftest's ``site`` (CSRF on, the built-in sheets imported)."""
    return site.test_client()


# Sheets ---------------------------------------------------------------------


def test_sheet_list_shows_title_language_latest_revision_and_count(client: FlaskClient) -> None:
    page = client.get("/sheets").get_data(as_text=True)
    assert "Les relations OTAN-Russie" in page
    assert "français" in page
    assert LATEST_REVISION in page and OLD_REVISION not in page
    assert re.search(r"<dt>Questions</dt><dd>\d+</dd>", page)
    assert f'href="{SHEET_URL}"' in page


def test_sheet_page_renders_headings_paragraphs_and_items_with_anchors(
    client: FlaskClient, site: Flask
) -> None:
    page = client.get(f"{SHEET_URL}/revisions/{OLD_REVISION}").get_data(as_text=True)
    with site.app_context():
        revision = db.session.scalar(select(Revision).filter_by(label=OLD_REVISION))
        paragraphs = [(p.anchor, p.kind) for p in revision.paragraphs]
    for anchor, _kind in paragraphs:
        assert f'id="{anchor}"' in page
    heading = next(anchor for anchor, kind in paragraphs[1:] if kind == "heading")
    item = next(anchor for anchor, kind in paragraphs if kind == "item")
    assert re.search(rf'<h2 class="block block-heading" id="{heading}"', page)
    assert re.search(rf'<ul class="sheet-list">\s*<li class="block block-item" id="{item}"', page)
    assert '<div class="block block-paragraph"' in page
    assert re.search(r'<p class="feeds"[^>]*>.*?\d+ questions?</p>', page)


def test_earlier_revision_is_marked_and_the_latest_is_not(client: FlaskClient) -> None:
    old = client.get(f"{SHEET_URL}/revisions/{OLD_REVISION}").get_data(as_text=True)
    assert "Révision antérieure" in old
    assert f'href="{SHEET_URL}"' in old
    latest = client.get(SHEET_URL).get_data(as_text=True)
    assert "Révision antérieure" not in latest and "la plus récente" in latest
    explicit = client.get(f"{SHEET_URL}/revisions/{LATEST_REVISION}").get_data(as_text=True)
    assert "Révision antérieure" not in explicit


@pytest.mark.parametrize(
    "url",
    [
        "/sheets/nulle-part",
        f"{SHEET_URL}/revisions/1999",
        "/quiz/new?sheet=nulle-part",
        "/quiz/999999",
        "/quiz/999999/summary",
        "/quiz/999999/answers/1",
    ],
)
def test_unknown_things_are_404_pages(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page introuvable" in page and "Traceback" not in page


def _first_paragraph(site: Flask) -> tuple[str, str]:
    with site.app_context():
        revision = db.session.scalar(select(Revision).filter_by(label=LATEST_REVISION))
        paragraph = next(p for p in revision.paragraphs if p.kind == "paragraph")
        return paragraph.anchor, paragraph.text


def test_highlight_marks_exactly_the_span_in_that_paragraph(
    client: FlaskClient, site: Flask
) -> None:
    anchor, text = _first_paragraph(site)
    page = client.get(f"{SHEET_URL}?hl={anchor}:10-42").get_data(as_text=True)
    marks = re.findall(r"<mark>(.*?)</mark>", page, flags=re.S)
    assert [unescape(mark) for mark in marks] == [text[10:42]]
    block = page[page.index(f'id="{anchor}"') :]
    assert block.index("<mark>") < block.index("</div>")


@pytest.mark.parametrize("hl", ["nope", "p-x:5-2", "p-x:1-99999999", "p-x:a-b", ""])
def test_malformed_or_foreign_highlight_marks_nothing(client: FlaskClient, hl: str) -> None:
    response = client.get(f"{SHEET_URL}?hl={hl}")
    assert response.status_code == 200
    assert "<mark>" not in response.get_data(as_text=True)


def test_sheet_text_is_escaped_even_around_the_highlight(client: FlaskClient, site: Flask) -> None:
    anchor, _text = _first_paragraph(site)
    evil = 'Début <script>alert("x")</script> & <b>gras</b> fin'
    with site.app_context():
        for paragraph in db.session.scalars(select(Paragraph).filter_by(anchor=anchor)):
            paragraph.text = evil
        db.session.commit()
    start = evil.index("<script>")
    for url in (SHEET_URL, f"{SHEET_URL}?hl={anchor}:{start}-{start + 20}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "<b>gras" not in page
        assert "&lt;script&gt;" in page and "&amp; &lt;b&gt;gras" in page
    assert f"<mark>{escape(evil[start : start + 20])}</mark>" in page


# Quiz setup -----------------------------------------------------------------


def test_setup_form_defaults_latest_revision_ten_questions_all_types(
    client: FlaskClient,
) -> None:
    page = client.get("/quiz/new").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="revision"[^>]*value="{LATEST_REVISION}"', page)
    assert not re.search(rf'<input checked[^>]*name="revision"[^>]*value="{OLD_REVISION}"', page)
    assert re.search(rf"{OLD_REVISION} · \d+ questions", page)
    assert re.search(rf"{LATEST_REVISION} · \d+ questions · la plus récente", page)
    assert 'name="count"' in page and 'value="10"' in page
    for kind in ALL_TYPES:
        assert re.search(rf'<input checked[^>]*value="{kind}"', page), kind
    for topic in ("Dates", "Institutions", "Traités", "Nombres", "Personnes", "Lieux"):
        assert topic in page


def test_starting_a_quiz_asks_the_first_question(client: FlaskClient, site: Flask) -> None:
    url = start_quiz(client, count=3)
    page = client.get(url).get_data(as_text=True)
    assert "Question 1 sur 3" in page
    assert '<progress max="3" value="0"' in page
    with site.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt.revision.label == OLD_REVISION and len(attempt.question_ids) == 3


def test_setup_errors_are_shown_beside_the_fields(client: FlaskClient) -> None:
    token = token_for(client, "/quiz/new")
    base = {"csrf_token": token, "sheet": SHEET_SLUG, "revision": OLD_REVISION}
    response = client.post("/quiz/new", data={**base, "count": "0", "types": ["mcq"]})
    assert response.status_code == 400
    assert "Entre 1 et 50 questions." in response.get_data(as_text=True)
    response = client.post("/quiz/new", data={**base, "count": "5"})
    assert "Choisissez au moins un type de question." in response.get_data(as_text=True)
    no_match = {**base, "count": "5", "types": ["order"], "tags": ["person"]}
    response = client.post("/quiz/new", data=no_match)
    assert "Aucune question ne correspond" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "tampered",
    [{"revision": "1999"}, {"types": ["essay"]}, {"tags": ["secret"]}, {"csrf_token": "forged"}],
)
def test_tampered_setup_form_is_a_400_page(client: FlaskClient, tampered: dict) -> None:
    data = {
        "csrf_token": token_for(client, "/quiz/new"),
        "sheet": SHEET_SLUG,
        "revision": OLD_REVISION,
        "count": "5",
        "types": ["mcq"],
        **tampered,
    }
    response = client.post("/quiz/new", data=data)
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


# Questions and feedback -------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_question_page_gives_nothing_away(client: FlaskClient, site: Flask, kind: str) -> None:
    url = start_quiz(client, count=1, types=(kind,))
    page = client.get(url).get_data(as_text=True)
    question = question_row(site, question_id_of(page))
    shown = unescape(main_of(page))
    assert question.prompt in shown
    assert question.explanation not in shown
    assert question.paragraph.anchor not in shown and "<mark>" not in shown
    if question.paragraph.text not in question.prompt:  # a true statement may quote it all
        assert question.paragraph.text not in shown
    assert " checked" not in page and "correct" not in page.lower()
    if kind in ("cloze", "short", "numeric"):
        answer = re.escape(str(question.answer))
        assert not re.search(rf"(?<!\w){answer}(?!\w)", shown, flags=re.I)
    if kind == "order":
        items = re.findall(r'name="item-\d+" value="([^"]*)"', page)
        assert [unescape(item) for item in items] != question.answer


def test_inputs_per_type(client: FlaskClient) -> None:
    pages = {
        kind: client.get(start_quiz(client, count=1, types=(kind,))).get_data(as_text=True)
        for kind in ("mcq", "true_false", "short", "order")
    }
    assert 'type="radio" name="answer"' in pages["mcq"]
    assert re.search(r'<input type="radio"[^>]*autofocus', pages["true_false"])
    assert re.search(r'<input type="text" id="answer" name="answer"[^>]*autofocus', pages["short"])
    assert '<label class="field-label" for="answer">' in pages["short"]
    order = pages["order"]
    assert re.search(r'<select id="position-0" name="position-0"[^>]*autofocus', order)
    assert re.search(r'<label for="position-1"', order)
    assert "draggable" not in order


def test_feedback_shows_verdict_expected_and_highlighted_source(
    client: FlaskClient, site: Flask
) -> None:
    url = start_quiz(client, count=2, types=("short", "cloze"))
    question_id, page = answer_current(client, site, url, right=True)
    question = question_row(site, question_id)
    assert "Juste" in page
    assert "Réponse attendue" in page and unescape(page).count(str(question.answer)) >= 1
    # The generated explanation only restates the answer and the source below it.
    assert question.explanation not in unescape(page)
    evidence = question.paragraph.text[question.evidence_start : question.evidence_end]
    marks = [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page, flags=re.S)]
    assert marks == [evidence]
    link = re.search(r'<figcaption>\s*<a href="([^"]+)"', page).group(1)
    anchor = question.paragraph.anchor
    assert unescape(link) == (
        f"{SHEET_URL}/revisions/{OLD_REVISION}?hl={anchor}:"
        f"{question.evidence_start}-{question.evidence_end}#{anchor}"
    )
    sheet = client.get(unescape(link).split("#")[0]).get_data(as_text=True)
    block = sheet[sheet.index(f'id="{anchor}"') :]
    assert unescape(re.search(r"<mark>(.*?)</mark>", block, flags=re.S).group(1)) == evidence


def test_a_wrong_answer_says_so_and_shows_the_expected_answer(
    client: FlaskClient, site: Flask
) -> None:
    url = start_quiz(client, count=1, types=("mcq",))
    question_id, page = answer_current(client, site, url, right=False)
    question = question_row(site, question_id)
    assert "Faux" in page and "verdict-wrong" in page
    assert f'<dd class="expected" lang="fr">{question.answer}</dd>' in unescape(page)
    assert "Voir mon score" in page


def test_order_question_is_answered_with_position_selects(client: FlaskClient, site: Flask) -> None:
    url = start_quiz(client, count=1, types=("order",))
    page = client.get(url).get_data(as_text=True)
    question = question_row(site, question_id_of(page))
    fields = right_answer_form(question, page)
    token = token_for(client, url)
    same_place = {
        key: ("1" if key.startswith("position-") else value) for key, value in fields.items()
    }
    response = client.post(
        url, data={"csrf_token": token, "question_id": question.id, **same_place}
    )
    assert response.status_code == 400
    assert "Donnez une place différente à chaque élément." in response.get_data(as_text=True)
    assert answer_count(site) == 0
    response = client.post(url, data={"csrf_token": token, "question_id": question.id, **fields})
    assert "Juste" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_order_feedback_lists_each_event_with_its_date_and_source(
    client: FlaskClient, site: Flask
) -> None:
    dates = date_order_events(site)
    url = start_quiz(client, count=1, types=("order",))
    question_id, page = answer_current(client, site, url, right=True)
    question = question_row(site, question_id)
    events = re.findall(r'<li class="event">(.*?)</li>', page, flags=re.S)
    assert len(events) == len(question.answer) == len(dates[question_id])
    texts = [unescape(re.search(r'class="event-text">(.*?)<', e).group(1)) for e in events]
    shown_dates = [unescape(re.search(r'class="event-date">(.*?)<', e).group(1)) for e in events]
    assert texts == question.answer and shown_dates == dates[question_id]
    for event, source in zip(events, question.item_sources, strict=True):
        start, end = source["evidence"]["start"], source["evidence"]["end"]
        marks = re.findall(r"<mark>(.*?)</mark>", event, flags=re.S)
        assert [unescape(mark) for mark in marks] == [source["paragraph"][start:end]]
        link = unescape(re.search(r'<figcaption>\s*<a href="([^"]+)"', event).group(1))
        anchor = source["anchor"]
        assert link == f"{SHEET_URL}/revisions/{OLD_REVISION}?hl={anchor}:{start}-{end}#{anchor}"
    assert "Les événements dans l’ordre, avec leurs sources" in page
    # The question's own source is its first event's: quoted once, in the list.
    assert len(re.findall(r'class="source[ "]', page)) == len(events)


def test_order_feedback_without_item_sources_quotes_the_question_source(
    client: FlaskClient, site: Flask
) -> None:
    with site.app_context():
        for question in db.session.scalars(select(Question).filter_by(type="order")):
            question.item_sources = []  # as an event an instructor wrote leaves it
        db.session.commit()
    url = start_quiz(client, count=1, types=("order",))
    question_id, page = answer_current(client, site, url, right=True)
    question = question_row(site, question_id)
    assert 'class="event"' not in page and len(re.findall(r'class="source[ "]', page)) == 1
    marks = [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page, flags=re.S)]
    assert marks == [question.paragraph.text[question.evidence_start : question.evidence_end]]


def test_double_submit_scores_once_and_shows_the_first_feedback(
    client: FlaskClient, site: Flask
) -> None:
    url = start_quiz(client, count=2, types=("mcq",))
    page = client.get(url).get_data(as_text=True)
    question = question_row(site, question_id_of(page))
    token = token_for(client, url)
    right = {"csrf_token": token, "question_id": question.id, "answer": question.answer}
    wrong = {**right, **wrong_answer_form(question, page)}
    first = client.post(url, data=right)
    second = client.post(url, data=wrong)  # the back button, then another choice
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert answer_count(site) == 1
    feedback = client.get(second.headers["Location"])
    assert feedback.status_code == 200 and "Juste" in feedback.get_data(as_text=True)


def test_missing_answer_is_asked_again_and_tampered_answers_are_400(
    client: FlaskClient, site: Flask
) -> None:
    url = start_quiz(client, count=1, types=("mcq",))
    page = client.get(url).get_data(as_text=True)
    question_id = question_id_of(page)
    token = token_for(client, url)
    empty = client.post(url, data={"csrf_token": token, "question_id": question_id})
    assert empty.status_code == 400 and "Choisissez une réponse." in empty.get_data(as_text=True)
    assert 'role="alert"' in empty.get_data(as_text=True)
    for data in (
        {"csrf_token": token, "question_id": question_id, "answer": "pas un choix"},
        {"csrf_token": token, "question_id": 999999, "answer": "x"},
        {"csrf_token": token, "question_id": "abc", "answer": "x"},
        {"csrf_token": "forged", "question_id": question_id, "answer": "x"},
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, data
        assert "Requête invalide" in response.get_data(as_text=True)
    assert answer_count(site) == 0


def test_a_numeric_answer_that_is_no_number_is_asked_again(
    client: FlaskClient, site: Flask
) -> None:
    url = start_quiz(client, count=1, types=("numeric",))
    question_id = question_id_of(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token_for(client, url), "question_id": question_id, "answer": "beaucoup"}
    response = client.post(url, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Saisissez un nombre, en chiffres ou en lettres." in page
    assert 'value="beaucoup"' in page  # what the learner typed stays in the box
    assert answer_count(site) == 0


def test_another_owners_attempt_is_404(client: FlaskClient, site: Flask) -> None:
    url = start_quiz(client, count=2)
    question_id, _ = answer_current(client, site, url)
    stranger = site.test_client()
    token = token_for(stranger, "/login")
    for path in (url, f"{url}/summary", f"{url}/answers/{question_id}"):
        assert stranger.get(path).status_code == 404
    response = stranger.post(url, data={"csrf_token": token, "question_id": question_id})
    assert response.status_code == 404
    assert stranger.post(f"{url}/retry", data={"csrf_token": token}).status_code == 404


def test_feedback_of_an_unanswered_question_goes_back_to_it(client: FlaskClient) -> None:
    url = start_quiz(client, count=2)
    question_id = question_id_of(client.get(url).get_data(as_text=True))
    response = client.get(f"{url}/answers/{question_id}")
    assert response.status_code == 302 and response.headers["Location"] == url


# Summary, retry ---------------------------------------------------------------


def test_summary_gives_score_time_review_and_retry(client: FlaskClient, site: Flask) -> None:
    url = start_quiz(client, count=3, types=("mcq", "true_false"))
    answer_current(client, site, url, right=True)
    wrong_id, _ = answer_current(client, site, url, right=False)
    answer_current(client, site, url, right=True)
    assert client.get(url).headers["Location"].endswith("/summary")
    page = client.get(f"{url}/summary").get_data(as_text=True)
    assert re.search(
        r'<p class="score"><strong>2</strong><span class="score-total"> / 3</span>', page
    )
    assert "Temps passé" in page and re.search(r"\d+ s</dd>", page)
    assert page.count('class="source"') == 3 and page.count("<mark>") == 3
    assert "Retravailler mon erreur" in page
    response = client.post(f"{url}/retry", data={"csrf_token": token_for(client, f"{url}/summary")})
    assert response.status_code == 302
    retry_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert question_id_of(retry_page) == wrong_id and "Question 1 sur 1" in retry_page


def test_retry_without_mistakes_says_well_done(client: FlaskClient, site: Flask) -> None:
    url = start_quiz(client, count=1, types=("true_false",))
    answer_current(client, site, url, right=True)
    token = token_for(client, "/quiz/new")  # the summary has no retry button: a stale page
    response = client.post(f"{url}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "Aucune erreur à retravailler" in response.get_data(as_text=True)
    assert client.post(f"{url}/retry").status_code == 400  # no CSRF token


# Progress and review ----------------------------------------------------------


def test_progress_is_empty_for_a_new_visitor(client: FlaskClient) -> None:
    page = client.get("/progress").get_data(as_text=True)
    assert "Aucune réponse pour l’instant" in page


def test_progress_shows_totals_chart_sheets_topics_and_streak(
    client: FlaskClient, site: Flask
) -> None:
    url = start_quiz(client, count=2, types=("mcq",))
    answer_current(client, site, url, right=True)
    answer_current(client, site, url, right=False)
    page = client.get("/progress").get_data(as_text=True)
    assert re.search(r"<dt>Questions répondues</dt><dd>2</dd>", page)
    assert re.search(r"<dt>Réussite</dt><dd>50\s?%</dd>", page)
    assert "<dt>Série en cours</dt><dd>1 jour</dd>" in page
    assert '<svg viewBox="0 0 720 220" role="img"' in page
    assert page.count('class="chart-correct"') == 1  # one day with answers
    assert "Les relations OTAN-Russie</a>" in page and "1 / 2" in page
    assert re.search(
        r"<th scope=\"row\">(Dates|Institutions|Lieux|Traités|Sigles|Personnes|Nombres)</th>", page
    )


def test_review_lists_due_questions_and_starts_a_quiz_on_them(
    client: FlaskClient, site: Flask
) -> None:
    assert "Rien à réviser aujourd’hui" in client.get("/review").get_data(as_text=True)
    url = start_quiz(client, count=2, types=("mcq",))
    wrong_id, _ = answer_current(client, site, url, right=False)
    answer_current(client, site, url, right=True)
    page = client.get("/review").get_data(as_text=True)
    assert "Réviser cette question" in page
    assert question_row(site, wrong_id).prompt in unescape(page)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    response = client.post(
        "/review", data={"csrf_token": token_for(client, "/review"), "revision": revision}
    )
    assert response.status_code == 302
    quiz = client.get(response.headers["Location"]).get_data(as_text=True)
    assert question_id_of(quiz) == wrong_id and "Question 1 sur 1" in quiz
    assert client.post("/review", data={"revision": revision}).status_code == 400
    token = token_for(client, "/review")
    assert (
        client.post("/review", data={"csrf_token": token, "revision": "999999"}).status_code == 404
    )
    stranger = site.test_client()  # nothing answered: nothing due
    data = {"csrf_token": token_for(stranger, "/login"), "revision": revision}
    response = stranger.post("/review", data=data, follow_redirects=True)
    assert "Plus rien à réviser ici" in response.get_data(as_text=True)


def test_chart_bars_scale_to_a_round_maximum() -> None:
    days = [(date(2026, 11, day), answered, correct) for day, answered, correct in
            [(1, 0, 0), (2, 4, 1), (3, 9, 9)]]  # fmt: skip
    chart = build_chart(days)
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]
    empty, some, full = chart.bars
    assert empty.answered_height == 0 and not chart.empty
    assert some.answered_height == pytest.approx(full.answered_height * 4 / 9)
    assert some.correct_height == pytest.approx(some.answered_height / 4)
    assert full.answered_y + full.answered_height == chart.baseline
    assert (empty.label_anchor, full.label_anchor) == ("start", "end")
    assert build_chart([(date(2026, 11, 1), 0, 0)]).empty
