"""Every topic the progress page, the filters and the API know can start a quiz.

« Sigles » (``acronym``) was offered nowhere in the setup form, although its
questions exist and the API accepts the tag.
"""

from __future__ import annotations

import re
from html import unescape

from browser_helpers import OLD_REVISION, question_row, start_quiz
from flask import Flask

from quiz.api.payloads import QUESTION_TAGS
from quiz.extensions import db
from quiz.models import Attempt


def test_the_setup_form_offers_every_topic(site: Flask) -> None:
    page = unescape(site.test_client().get("/quiz/new").get_data(as_text=True))
    offered = set(re.findall(r'name="tags" type="checkbox" value="([^"]+)"', page))
    assert offered == set(QUESTION_TAGS)
    assert re.search(r'value="acronym"\s*/?>\s*<label for="[^"]+">Sigles</label>', page)


def test_a_quiz_on_acronyms_asks_only_about_acronyms(site: Flask) -> None:
    client = site.test_client()
    quiz_url = start_quiz(client, count=10, revision=OLD_REVISION, tags=("acronym",))
    attempt_id = int(quiz_url.rstrip("/").rsplit("/", 1)[1])
    with site.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        assert attempt.settings["tags"] == ["acronym"]
        question_ids = list(attempt.question_ids)
    assert question_ids
    assert all("acronym" in question_row(site, qid).tags for qid in question_ids)
