"""The question editor through the Flask test client, CSRF on, on a real SQLite file.

The editor of every type opens on generated questions and saves them back
unchanged as a no-op; new questions of every type are written and pass their
checks; each kind of bad or tampered input is refused on its own field with a
400 and changes nothing; unknown things are 404s; the page embeds the
paragraphs for the evidence picker, escaped; the queue links to the editor.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from browser_helpers import LATEST_REVISION, OLD_REVISION, SHEET_SLUG, logged_in_client
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from quiz.extensions import db
from quiz.models import Paragraph, Question, Revision
from quiz.services.authoring import approval

TYPES = ("mcq", "true_false", "cloze", "short", "numeric", "order")
NEW_URL = f"/author/sheets/{SHEET_SLUG}/revisions/{LATEST_REVISION}/questions/new"


@pytest.fixture
def instructor(site: Flask) -> FlaskClient:
    """A client logged in as an instructor, reading the interface in English."""
    return logged_in_client(site)


class _FormReader(HTMLParser):
    """The fields a browser would send for the page's form with ``action`` (unchanged)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and "name" in found:
            kind = found.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in found:
                self.fields.setdefault(found["name"], []).append(found.get("value", ""))
        elif tag == "textarea":
            self.textarea = found["name"]
            self.fields[self.textarea] = [""]
        elif tag == "select":
            self.select, self.first_option = found["name"], None
        elif tag == "option" and self.select:
            self.first_option = self.first_option or found.get("value", "")
            if "selected" in found:
                self.fields[self.select] = [found.get("value", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            self.fields.setdefault(self.select, [self.first_option or ""])
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea][0] += data


def form_fields(page: str, action: str) -> dict[str, Any]:
    """What submitting the form ``action`` of ``page`` unchanged sends."""
    reader = _FormReader(action)
    reader.feed(page)
    fields = {
        name: values if len(values) > 1 else values[0] for name, values in reader.fields.items()
    }
    for name, value in fields.items():  # a browser drops a textarea's first newline
        if isinstance(value, str) and value.startswith("\r\n"):
            fields[name] = value[2:]
    return fields


def edit_url(question_id: int) -> str:
    return f"/author/questions/{question_id}/edit"


def opened(client: FlaskClient, question_id: int) -> dict[str, Any]:
    """The editor's fields for a question, as the page fills them in."""
    response = client.get(edit_url(question_id))
    assert response.status_code == 200
    return form_fields(response.get_data(as_text=True), edit_url(question_id))


def first_question(site: Flask, question_type: str, label: str | None = None) -> int:
    """The id of the first question of ``question_type`` (in revision ``label``)."""
    with site.app_context():
        query = select(Question.id).join(Revision).where(Question.type == question_type)
        if label:
            query = query.where(Revision.label == label)
        found = db.session.scalar(query.order_by(Question.id))
        assert found is not None
        return found


def questions_table(site: Flask) -> list[tuple[Any, ...]]:
    """Every row of the questions table."""
    with site.app_context():
        return [tuple(row) for row in db.session.execute(select(Question.__table__))]


def field_errors(response: TestResponse, name: str) -> list[str]:
    """The error messages the page shows under the field ``name``."""
    page = response.get_data(as_text=True)
    match = re.search(rf'<ul class="errors" id="{name}-errors">(.*?)</ul>', page, re.S)
    return (
        [unescape(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1))] if match else []
    )


def latest_paragraph(site: Flask) -> tuple[int, str]:
    """The first quizzable paragraph of the latest revision: (id, text)."""
    with site.app_context():
        paragraph = db.session.scalar(
            select(Paragraph)
            .join(Revision)
            .where(Revision.label == LATEST_REVISION, Paragraph.quizzable.is_(True))
            .order_by(Paragraph.index)
        )
        assert paragraph is not None
        return paragraph.id, paragraph.text


# Opening and saving ---------------------------------------------------------------


@pytest.mark.parametrize("question_type", TYPES)
def test_every_type_opens_and_saving_it_unchanged_changes_nothing(
    instructor: FlaskClient, site: Flask, question_type: str
) -> None:
    question_id = first_question(site, question_type)
    before = questions_table(site)
    fields = opened(instructor, question_id)
    assert fields["stamp"] and fields["prompt"]
    response = instructor.post(edit_url(question_id), data=fields)
    assert response.status_code == 303, field_errors(response, "answer") or response.get_data(
        as_text=True
    )
    assert response.headers["Location"] == f"/author/questions/{question_id}"
    assert questions_table(site) == before


def test_the_page_embeds_the_revision_paragraphs_for_the_picker(
    instructor: FlaskClient, site: Flask
) -> None:
    question_id = first_question(site, "mcq")
    page = instructor.get(edit_url(question_id)).get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="picker-paragraphs">(.*?)</script>', page)
    assert data is not None
    embedded = {item["id"]: item["text"] for item in json.loads(data.group(1))}
    with site.app_context():
        revision_id = db.session.get(Question, question_id).revision_id
        rows = db.session.scalars(select(Paragraph).filter_by(revision_id=revision_id)).all()
        expected = {p.id: p.text for p in rows if p.quizzable and not p.retired}
    assert embedded == expected
    assert 'src="/static/evidence-picker.js"' in page and "/static/author-editor.css" in page
    assert re.search(r'name="evidence_start"[^>]* type="number"', page)  # works without the script


def test_sheet_text_is_escaped_in_the_picker(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "short")
    payload = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    with site.app_context():
        question = db.session.get(Question, question_id)
        question.paragraph.text = payload + question.paragraph.text
        db.session.commit()
    page = instructor.get(edit_url(question_id)).get_data(as_text=True)
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown as text


# Versions through the editor ---------------------------------------------------------


def test_editing_a_draft_without_answers_changes_it_in_place(
    instructor: FlaskClient, site: Flask
) -> None:
    question_id = first_question(site, "cloze")
    with site.app_context():
        db.session.execute(
            update(Question).where(Question.id == question_id).values(status="draft")
        )
        db.session.commit()
    fields = opened(instructor, question_id) | {"prompt": "Qu'est-ce que _____ ?"}
    response = instructor.post(edit_url(question_id), data=fields)
    assert response.headers["Location"] == f"/author/questions/{question_id}"
    with site.app_context():
        question = db.session.get(Question, question_id)
        count = db.session.scalar(select(func.count()).where(Question.uid == question.uid))
        assert (question.prompt, question.version, question.status) == (
            "Qu'est-ce que _____ ?",
            1,
            "draft",
        )
        assert question.edited_at is not None and question.edited_by_id is not None
        assert count == 1


def test_editing_an_approved_question_makes_a_draft_version(
    instructor: FlaskClient, site: Flask
) -> None:
    question_id = first_question(site, "mcq")
    fields = opened(instructor, question_id)
    old_prompt = fields["prompt"]
    response = instructor.post(edit_url(question_id), data=fields | {"prompt": old_prompt + " ?"})
    assert response.status_code == 303
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_id != question_id
    with site.app_context():
        old, new = db.session.get(Question, question_id), db.session.get(Question, new_id)
        assert (old.status, old.prompt, old.edited_at) == ("approved", old_prompt, None)
        assert (new.uid, new.revision_id, new.version) == (old.uid, old.revision_id, 2)
        assert (new.replaces_id, new.status, new.prompt) == (old.id, "draft", old_prompt + " ?")
        assert new.edited_by_id is not None
    page = instructor.get(f"/author/questions/{new_id}").get_data(as_text=True)
    assert "Version 1" in page and "Version 2" in page and "instructor-one" in page


def test_the_same_edit_sent_twice_makes_one_version(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "cloze")
    fields = opened(instructor, question_id) | {"explanation": "Une explication revue."}
    first = instructor.post(edit_url(question_id), data=fields)
    second = instructor.post(edit_url(question_id), data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with site.app_context():
        uid = db.session.get(Question, question_id).uid
        assert db.session.scalar(select(func.count()).where(Question.uid == uid)) == 2


def test_a_stale_form_is_a_conflict_and_saves_nothing(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "cloze")
    fields = opened(instructor, question_id)
    assert (
        instructor.post(edit_url(question_id), data=fields | {"explanation": "A"}).status_code
        == 303
    )
    before = questions_table(site)
    response = instructor.post(edit_url(question_id), data=fields | {"explanation": "B"})
    assert response.status_code == 409
    assert "has a newer version" in response.get_data(as_text=True)
    assert questions_table(site) == before


def test_an_earlier_version_opens_the_newest(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "true_false")
    fields = opened(instructor, question_id) | {"explanation": "Revue."}
    new_url = instructor.post(edit_url(question_id), data=fields).headers["Location"]
    response = instructor.get(edit_url(question_id))
    assert response.status_code == 302 and response.headers["Location"] == new_url + "/edit"


# Validation ------------------------------------------------------------------------


def _blank_span(fields: dict[str, Any], text: str) -> dict[str, Any]:
    space = text.index(" ")
    return {"evidence_start": str(space), "evidence_end": str(space + 1)}


# (type, changes — a dict, or a function of (fields, paragraph text) —, field that says why)
BAD_INPUT = [
    ("short", {"prompt": "   "}, "prompt"),
    ("short", {"answer": ""}, "answer"),
    ("short", {"answer": "Zanzibar", "accepted": ""}, "answer"),
    ("short", {"accepted": "\n".join(f"forme {n}" for n in range(11))}, "accepted"),
    ("short", {"evidence_start": "5", "evidence_end": "5"}, "evidence_end"),
    ("short", {"evidence_start": "9", "evidence_end": "3"}, "evidence_end"),
    ("short", lambda f, text: {"evidence_end": str(len(text) + 1)}, "evidence_end"),
    ("short", _blank_span, "evidence_end"),
    ("short", {"evidence_start": "-1"}, "evidence_start"),
    ("short", {"evidence_start": "99999999999999999999"}, "evidence_start"),
    ("short", {"evidence_start": "1e3"}, "evidence_start"),
    ("short", {"evidence_end": ""}, "evidence_end"),
    ("short", {"paragraph": "abc"}, "paragraph"),
    ("short", {"paragraph": "999999"}, "paragraph"),
    ("short", {"difficulty": "nan"}, "difficulty"),
    ("short", {"difficulty": "2"}, "difficulty"),
    ("short", {"lang": "de"}, "lang"),
    ("short", {"tags": ["date", "essay"]}, "tags"),
    ("cloze", {"prompt": "Sans trou ?"}, "prompt"),
    ("numeric", {"answer": "beaucoup"}, "answer"),
    ("mcq", lambda f, text: {"wrong_1": f["answer"].upper()}, "wrong_1"),
    ("mcq", lambda f, text: {"wrong_2": f["wrong_1"]}, "wrong_2"),
    ("mcq", {"wrong_2": "", "wrong_3": ""}, "wrong_2"),
    ("mcq", {"answer": "Zanzibar"}, "answer"),
    ("true_false", {"answer": "maybe"}, "answer"),
    ("true_false", {"answer": ""}, "answer"),
    ("order", lambda f, text: {"item_2": f["item_1"]}, "item_2"),
    ("order", {"item_2": "", "item_3": "", "item_4": "", "item_5": ""}, "item_2"),
]


@pytest.mark.parametrize(("question_type", "changes", "field"), BAD_INPUT)
def test_bad_input_is_refused_on_its_field(
    instructor: FlaskClient, site: Flask, question_type: str, changes: Any, field: str
) -> None:
    question_id = first_question(site, question_type)
    fields = opened(instructor, question_id)
    with site.app_context():
        text = db.session.get(Question, question_id).paragraph.text
    before = questions_table(site)
    data = fields | (changes(fields, text) if callable(changes) else changes)
    response = instructor.post(edit_url(question_id), data=data)
    assert response.status_code == 400
    assert field_errors(response, field), f"no message on {field}"
    assert questions_table(site) == before


def test_a_paragraph_of_another_revision_is_refused(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "mcq")
    with site.app_context():
        revision_id = db.session.get(Question, question_id).revision_id
        other = db.session.scalar(select(Paragraph.id).where(Paragraph.revision_id != revision_id))
        assert other is not None
    response = instructor.post(
        edit_url(question_id), data=opened(instructor, question_id) | {"paragraph": str(other)}
    )
    assert response.status_code == 400
    assert field_errors(response, "paragraph") == ["Pick a paragraph of this revision."]


def test_a_form_without_its_token_is_refused(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "short")
    fields = opened(instructor, question_id)
    del fields["csrf_token"]
    assert instructor.post(edit_url(question_id), data=fields).status_code == 400


# New questions -----------------------------------------------------------------------


def new_question_fields(
    question_type: str, text: str, paragraph_id: int, lang: str
) -> dict[str, Any]:
    """A sound new question of ``question_type`` on the paragraph ``text``."""
    words = [word for word in re.findall(r"\w{6,}", text) if text.count(word) == 1]
    answer = words[0]
    start = text.index(answer)
    common = {
        "prompt": "Question écrite à la main : _____ ?",
        "explanation": "Écrite à la main.",
        "tags": ["place"],
        "difficulty": "0.4",
        "lang": lang,
        "paragraph": str(paragraph_id),
        "evidence_start": str(start),
        "evidence_end": str(start + len(answer) + 5),
    }
    typed = {
        "mcq": {"answer": answer, "wrong_1": "Lisbonne", "wrong_2": "Oslo", "wrong_3": "Riga"},
        "true_false": {"answer": "false"},
        "cloze": {"answer": answer, "accepted": "Zanzibar"},
        "short": {"answer": answer, "accepted": ""},
        "numeric": {"answer": "trente", "accepted": "30"},
        "order": {"item_1": "La guerre froide", "item_2": "L'Acte fondateur", "item_3": "Le COR"},
    }[question_type]
    if question_type == "numeric":
        common["evidence_start"], common["evidence_end"] = "0", str(len(text))
    return {**common, **typed}


@pytest.mark.parametrize(
    ("question_type", "lang"), [(t, "fr") for t in TYPES] + [("true_false", "en")]
)
def test_a_new_question_of_every_type_is_a_draft_that_passes_its_checks(
    instructor: FlaskClient, site: Flask, question_type: str, lang: str
) -> None:
    paragraph_id, text = latest_paragraph(site)
    page = instructor.get(f"{NEW_URL}?type={question_type}").get_data(as_text=True)
    action = f"{NEW_URL}?type={question_type}"
    fields = form_fields(page, action) | new_question_fields(
        question_type, text, paragraph_id, lang
    )
    response = instructor.post(action, data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    question_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with site.app_context():
        question = db.session.get(Question, question_id)
        assert re.fullmatch(r"q-[0-9a-f]{12}", question.uid)
        assert (question.type, question.status, question.version) == (question_type, "draft", 1)
        assert question.edited_at is not None and question.revision.label == LATEST_REVISION
        checks = approval.question_checks(question)
        assert [check.name for check in checks if not check.ok] == []
        if question_type == "mcq":
            assert sorted(question.choices) == sorted(
                [fields["answer"], "Lisbonne", "Oslo", "Riga"]
            )
        elif question_type == "true_false":
            expected = ["Vrai", "Faux"] if lang == "fr" else ["True", "False"]
            assert (question.choices, question.answer) == (expected, expected[1])
        elif question_type == "order":
            assert question.answer == ["La guerre froide", "L'Acte fondateur", "Le COR"]
            assert sorted(question.choices) == sorted(question.answer)
        elif question_type == "cloze":
            assert question.accepted == ["Zanzibar"]


def test_the_new_question_pages(instructor: FlaskClient) -> None:
    chooser = instructor.get("/author/questions/new").get_data(as_text=True)
    for question_type in TYPES:
        assert f'href="{NEW_URL}?type={question_type}"' in chooser
    assert instructor.get(NEW_URL).status_code == 200
    assert 'id="new-question"' in instructor.get("/author/questions").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/author/questions/987654",
        "/author/questions/987654/edit",
        f"/author/sheets/{SHEET_SLUG}/revisions/nope/questions/new?type=mcq",
        "/author/sheets/nope/revisions/1/questions/new",
        f"{NEW_URL}?type=essay",
    ],
)
def test_unknown_things_are_404(instructor: FlaskClient, url: str) -> None:
    assert instructor.get(url).status_code == 404


# The queue and the question page -------------------------------------------------------


def test_the_queue_links_each_question_to_its_editor(instructor: FlaskClient, site: Flask) -> None:
    page = instructor.get("/author/questions?status=&type=short").get_data(as_text=True)
    ids = re.findall(r'name="question_ids" value="(\d+)"', page)
    assert ids
    for question_id in ids:
        assert f'href="/author/questions/{question_id}/edit"' in page


def test_the_question_page_shows_checks_and_history(instructor: FlaskClient, site: Flask) -> None:
    question_id = first_question(site, "numeric")
    page = instructor.get(f"/author/questions/{question_id}").get_data(as_text=True)
    assert "check-failed" not in page  # every check, each named once
    assert page.count('class="check check-ok"') == len(approval.check_names())
    for name in approval.check_names():
        assert f'class="check check-ok" data-check="{name}"' in page
    assert "generated or imported" in page and "Version 1" in page
    assert f'href="/author/questions/{question_id}/edit"' in page


def test_a_question_citing_an_earlier_revision_keeps_its_paragraph(
    instructor: FlaskClient, site: Flask
) -> None:
    """A stale question carried forward may cite its old revision's text: it stays editable."""
    with site.app_context():
        origin = db.session.get(Question, first_question(site, "short", OLD_REVISION))
        latest = db.session.scalar(select(Revision).filter_by(label=LATEST_REVISION))
        columns = ("type", "prompt", "choices", "answer", "accepted", "lang", "tags")
        copy = Question(
            uid=origin.uid,
            revision=latest,
            paragraph_id=origin.paragraph_id,
            evidence_start=origin.evidence_start,
            evidence_end=origin.evidence_end,
            status="draft",
            **{name: getattr(origin, name) for name in columns},
        )
        db.session.add(copy)
        db.session.commit()
        copy_id, paragraph_id = copy.id, origin.paragraph_id
    fields = opened(instructor, copy_id) | {"explanation": "Revue."}
    response = instructor.post(edit_url(copy_id), data=fields)
    assert response.headers["Location"] == f"/author/questions/{copy_id}"
    with site.app_context():
        saved = db.session.get(Question, copy_id)
        assert (saved.paragraph_id, saved.explanation) == (paragraph_id, "Revue.")
