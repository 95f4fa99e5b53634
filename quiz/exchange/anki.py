"""Anki decks (``.apkg``), written with genanki; export only.

Every question becomes one note of the "quiz question" note type, whose
fields are ``Question Choices Answer Explanation Source Id`` (HTML), in the
one deck "quiz". The note's guid is ``genanki.guid_for(id)``: exporting again
updates the learner's cards in place and keeps their review history, however
the question's text changed. Tags: the question's tags and its sheet's slug.

Anki is where learners review, not where teachers write, so quiz does not
read ``.apkg`` files back.
"""

from __future__ import annotations

import html
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import genanki

from .common import Export, Record, citation_link, citation_text, sheet_titles

# Chosen once at random in [2**30, 2**31), as genanki asks, and never to change:
# Anki recognises the note type and the deck by these ids on every later import.
MODEL_ID = 1685373984
DECK_ID = 2018017182
DECK_NAME = "quiz"
FIELDS = ("Question", "Choices", "Answer", "Explanation", "Source", "Id")
COLLECTION_NAME = "collection.anki2"

_FRONT = (
    '<div class="question">{{Question}}</div>'
    '{{#Choices}}<div class="choices">{{Choices}}</div>{{/Choices}}'
)
_BACK = (
    '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
    '<div class="source">{{Source}}</div>'
)
_CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n"
    ".answer { font-weight: bold; }\n"
    ".explanation, .accepted { font-size: 16px; }\n"
    ".source { font-size: 13px; color: #555; margin-top: 1em; }\n"
)
MODEL = genanki.Model(
    MODEL_ID,
    "quiz question",
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
    css=_CSS,
)


def export(
    records: Sequence[Record], *, sheets: Iterable[Mapping[str, Any]] = (), base_url: str = ""
) -> Export:
    """The records as an ``.apkg`` file: one note per question, guid from its id."""
    titles = sheet_titles(sheets)
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for record in records:
        deck.add_note(note(record, titles, base_url))
    return Export(_package_bytes(genanki.Package(deck)), len(records))


def note(record: Record, titles: Mapping[str, str], base_url: str = "") -> genanki.Note:
    """The Anki note of one question."""
    fields = [
        _escape(record["prompt"]),
        _choices_html(record),
        _answer_html(record),
        _escape(record["explanation"]),
        _source_html(record, titles, base_url),
        record["id"],
    ]
    tags = [*record["tags"], record["source"]["sheet"]]
    return genanki.Note(model=MODEL, fields=fields, tags=tags, guid=note_guid(record["id"]))


def note_guid(question_id: str) -> str:
    """The note's guid: from the stable id alone, so re-exports update the same note."""
    return str(genanki.guid_for(question_id))


def _choices_html(record: Record) -> str:
    """The choices as a lettered list (empty for free answers)."""
    if not record["choices"]:
        return ""
    items = "".join(f"<li>{_escape(choice)}</li>" for choice in record["choices"])
    return f'<ol type="a">{items}</ol>'


def _answer_html(record: Record) -> str:
    """The answer (the events oldest first for ``order``) and the other accepted forms."""
    answer = record["answer"]
    if isinstance(answer, list):
        return "<ol>" + "".join(f"<li>{_escape(event)}</li>" for event in answer) + "</ol>"
    others = [form for form in record["accepted"] if form != answer]
    if not others or record["type"] not in ("cloze", "short", "numeric"):
        return _escape(answer)
    accepted = " · ".join(_escape(form) for form in others)
    return f'{_escape(answer)}<div class="accepted">({accepted})</div>'


def _source_html(record: Record, titles: Mapping[str, str], base_url: str) -> str:
    """The citation, its link made clickable."""
    link = citation_link(record["source"], base_url)
    citation = citation_text(record, titles, base_url)
    return f'{_escape(citation[: -len(link)])}<a href="{html.escape(link)}">{_escape(link)}</a>'


def _escape(text: str) -> str:
    """Plain text as HTML (Anki fields are HTML), line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def _package_bytes(package: genanki.Package) -> bytes:
    """The ``.apkg`` bytes, as ``Package.write_to_file`` writes them.

    Done here because ``write_to_file`` leaves its temporary database behind
    in the system's temporary folder, one file per export.
    """
    timestamp = time.time()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / COLLECTION_NAME
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(
                connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, COLLECTION_NAME)
            archive.writestr("media", "{}")  # no media files
        return buffer.getvalue()
