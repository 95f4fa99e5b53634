"""What the feedback says once: the evidence sentence, the dated events, the accepted forms.

The generator's explanation is "Answer: X. From the sheet "T": "<evidence>"": the
source block below it quotes the same sentence in its paragraph, so the
feedback printed it twice. Learner pages and the instructor's preview are read
through the Flask test client on a copy of the built-in sheets.
"""

from __future__ import annotations

from html import unescape

import pytest
from browser_helpers import (
    OLD_REVISION,
    answer_current,
    date_order_events,
    logged_in_client,
    main_of,
    question_row,
    start_quiz,
)
from flask import Flask
from sqlalchemy import select, update

from quiz.extensions import db
from quiz.models import Question
from quiz.services.study.feedback import Event, accepted_to_show, explanation_to_show

OWN_EXPLANATION = "La Géorgie est citée avec la Moldavie et l’Ukraine."


def evidence_of(question: Question) -> str:
    """The evidence sentence of ``question``, single-spaced as the generator quotes it."""
    return " ".join(question.paragraph.text[question.evidence_start : question.evidence_end].split())


def test_the_evidence_sentence_is_printed_once(site: Flask) -> None:
    client = site.test_client()
    quiz_url = start_quiz(client, count=3, types=("cloze", "short", "mcq"))
    for _ in range(3):
        question_id, page = answer_current(client, site, quiz_url, right=False)
        question = question_row(site, question_id)
        assert evidence_of(question) in question.explanation  # as generated
        main = " ".join(unescape(main_of(page)).split())
        text = " ".join(main.replace("<mark>", "").replace("</mark>", "").split())
        assert text.count(evidence_of(question)) == 1, question.explanation
        assert 'class="explanation"' not in main
        assert "<mark>" in main  # the source still highlights it


def test_an_instructors_own_explanation_is_kept(site: Flask) -> None:
    with site.app_context():
        db.session.execute(update(Question).values(explanation=OWN_EXPLANATION))
        db.session.commit()
    client = site.test_client()
    quiz_url = start_quiz(client, count=1, types=("cloze",))
    _question_id, page = answer_current(client, site, quiz_url)
    assert f'<p class="explanation" lang="fr">{OWN_EXPLANATION}</p>' in unescape(page)


def test_order_feedback_lists_its_dated_events_once(site: Flask) -> None:
    date_order_events(site)
    client = site.test_client()
    quiz_url = start_quiz(client, count=1, revision=OLD_REVISION, types=("order",))
    question_id, page = answer_current(client, site, quiz_url)
    question = question_row(site, question_id)
    assert question.explanation.startswith("Réponse : ")
    assert 'class="explanation"' not in page
    assert page.count('class="event"') == len(question.answer)


def test_explanation_rules() -> None:
    evidence = "La coopération pratique est suspendue depuis 2014."
    generated = f"Réponse : 2014. D'après la fiche « F » : « {evidence} »"
    assert explanation_to_show(generated, evidence) == ""
    assert explanation_to_show(OWN_EXPLANATION, evidence) == OWN_EXPLANATION
    events = (Event("La Russie rejoint le PPP.", "1994", None), Event("Le COR naît.", None, None))
    listing = "Réponse : 1994 : La Russie rejoint le PPP ; 2002 : Le COR naît."
    # An event without its date shown: the explanation is the only place that dates it.
    assert explanation_to_show(listing, "", events) == listing
    dated = (events[0], Event("Le COR naît.", "2002", None))
    assert explanation_to_show(listing, "", dated) == ""


@pytest.mark.parametrize(
    ("answer", "accepted", "shown"),
    [
        ("100 000", ["100000"], []),
        ("huit", ["8"], ["8"]),
        ("Conseil OTAN-Russie", ["conseil otan russie", "COR", "cor"], ["COR"]),
        ("août 2008", ["Aout 2008", "08/2008"], ["08/2008"]),
    ],
)
def test_accepted_forms_never_repeat_the_answer(
    answer: str, accepted: list[str], shown: list[str]
) -> None:
    assert accepted_to_show(answer, accepted) == shown


def test_the_instructors_preview_says_each_thing_once(site: Flask) -> None:
    client = logged_in_client(site)
    with site.app_context():
        numeric = db.session.scalars(select(Question).filter_by(type="numeric")).all()
        by_answer = {question.answer: question.id for question in numeric}
    hundred_thousand, eight = by_answer.get("100 000"), by_answer.get("huit")
    assert hundred_thousand and eight
    page = unescape(client.get(f"/author/questions/{hundred_thousand}").get_data(as_text=True))
    assert "Also accepted" not in page and "100000" not in page
    assert 'class="explanation"' not in page
    page = unescape(client.get(f"/author/questions/{eight}").get_data(as_text=True))
    assert '<dt>Also accepted</dt><dd lang="fr">8</dd>' in page
