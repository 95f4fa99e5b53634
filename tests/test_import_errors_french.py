"""Import errors in the interface's language: French on the import page, English in the CLI.

The same malformed GIFT, CSV and JSON files are posted to the import page of
an instructor reading French (the default) and given to ``quiz import``: the
page lists each error on its line in French, and the command prints the
English messages it always printed, on the same lines.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest
from browser_helpers import LATEST_REVISION, SHEET_SLUG, csrf_token, log_in_as
from flask import Flask
from flask.testing import FlaskClient

from quiz.exchange.common import make_record, make_source
from quiz.exchange.messages import N_, translate

IMPORT = "/author/import"

# Line 3 is fine; line 5 has no answer block; line 7 has two right answers.
GIFT = f"""// source: {SHEET_SLUG}

::Bonne:: La menace la plus directe ?{{=la Russie ~la Chine}}

Une simple description, sans réponses.

::Deux:: Deux bonnes réponses ?{{=oui =si ~non}}
""".encode()
GIFT_ERRORS = {
    5: (
        "pas de bloc de réponses { … } (les descriptions ne sont pas des questions)",
        "no answer block { … } (descriptions are not questions)",
    ),
    7: (
        "un choix multiple demande exactement une bonne réponse, pas 2",
        "a multiple choice needs exactly one right answer, not 2",
    ),
}

# Line 2 is fine; line 3 has a true-false answer that is neither; line 4 a cell too many.
CSV = (
    f"prompt,answer,type,sheet\r\n"
    f"Qui menace ?,la Russie,short,{SHEET_SLUG}\r\n"
    f"La Russie est-elle un partenaire ?,peut-être,true_false,{SHEET_SLUG}\r\n"
    f"Trop de cellules ?,oui,short,{SHEET_SLUG},de trop\r\n"
).encode()
CSV_ERRORS = {
    3: (
        "une réponse true_false est Vrai ou Faux (True ou False), pas 'peut-être'",
        "a true_false answer is Vrai or Faux (True or False), not 'peut-être'",
    ),
    4: ("5 cellules pour 4 colonnes", "5 cells for 4 columns"),
}


def json_file() -> tuple[bytes, dict[int, tuple[str, str]]]:
    """A JSON document whose second question has a difficulty of 2, and the error expected."""
    source = make_source(SHEET_SLUG, LATEST_REVISION, "p-0", 0, 4)
    good = make_record("q-0000000000b1", "short", "Qui ?", "Nous", source, lang="fr")
    bad = {**make_record("q-0000000000b2", "short", "Quoi ?", "Ceci", source, lang="fr")}
    bad["difficulty"] = 2
    text = json.dumps({"questions": [good, bad]}, ensure_ascii=False, indent=2)
    line = text.count("\n", 0, text.index('"q-0000000000b2"'))  # the line of its "{"
    expected = (
        "q-0000000000b2 : difficulty doit être comprise entre 0 et 1",
        "q-0000000000b2: difficulty must lie between 0 and 1",
    )
    return text.encode(), {line: expected}


@pytest.fixture
def french_instructor(site: Flask) -> FlaskClient:
    """A client logged in as an instructor, in the French interface (the default)."""
    client = site.test_client()
    log_in_as(client, site, "instructor")
    return client


def upload(client: FlaskClient, content: bytes, name: str) -> tuple[int, str]:
    """Post ``content`` as the file ``name``; ``(status, page)``."""
    token = csrf_token(client.get(IMPORT).get_data(as_text=True))
    data = {"csrf_token": token, "format": "", "sheet": "", "file": (io.BytesIO(content), name)}
    response = client.post(IMPORT, data=data, content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def errors_shown(page: str) -> dict[int, str]:
    """``{line: message}`` of the error list of the import page."""
    items = re.findall(
        r'<li data-line="(\d+)">.*?<span class="error-message">(.*?)</span>', page, re.DOTALL
    )
    return {int(line): html.unescape(message) for line, message in items}


FILES = {
    "questions.gift": (GIFT, GIFT_ERRORS),
    "questions.csv": (CSV, CSV_ERRORS),
}


@pytest.mark.parametrize("name", ["questions.gift", "questions.csv", "questions.json"])
def test_the_import_page_gives_french_errors_on_their_lines(
    french_instructor: FlaskClient, name: str
) -> None:
    content, expected = json_file() if name.endswith(".json") else FILES[name]
    status, page = upload(french_instructor, content, name)
    assert status == 400
    assert f"{len(expected)} erreur" in page and "rien n’a été importé" in page
    assert errors_shown(page) == {line: french for line, (french, _) in expected.items()}


@pytest.mark.parametrize("name", ["questions.gift", "questions.csv", "questions.json"])
def test_the_command_line_still_prints_english(site: Flask, tmp_path: Path, name: str) -> None:
    content, expected = json_file() if name.endswith(".json") else FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = site.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code != 0
    printed = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert printed == [
        f"error: {path}:{line}: {english}" for line, (_, english) in sorted(expected.items())
    ]


def test_an_error_found_in_the_database_is_french_too(french_instructor: FlaskClient) -> None:
    """The question's label and the problem, both translated, around a French colon."""
    content = b"prompt,answer,sheet\r\nQui menace ?,la Russie,inconnue\r\n"
    status, page = upload(french_instructor, content, "questions.csv")
    assert status == 400
    assert errors_shown(page) == {
        2: "“Qui menace ?” : fiche inconnue 'inconnue' : importez d’abord la fiche"
    }


def test_messages_translate_their_nested_params() -> None:
    """``translate`` takes any gettext function: no Flask needed."""
    french = {"%(label)s: %(problem)s": "%(label)s : %(problem)s", "missing answer": "manquante"}
    message = N_("%(label)s: %(problem)s", label="q-1", problem=N_("missing answer"))
    assert message == "q-1: missing answer"
    assert translate(message, lambda text: french.get(text, text)) == "q-1 : manquante"
    assert translate("plain text", lambda text: french.get(text, text)) == "plain text"


@pytest.mark.parametrize(
    ("language", "said", "no_longer_said"),
    [
        ("fr", "un fichier écrit à la main peut citer un paragraphe par ses premiers mots ou son"
         " ancre, ou n’en citer aucun", "une révision et un paragraphe déjà importés"),
        ("en", "a file written by hand may cite a paragraph by its first words or its anchor,"
         " or cite none", "sheet, revision and paragraph already imported"),
    ],
)  # fmt: skip
def test_the_import_page_says_what_a_hand_written_file_may_cite(
    french_instructor: FlaskClient, language: str, said: str, no_longer_said: str
) -> None:
    french_instructor.get(f"/lang/{language}")
    page = html.unescape(french_instructor.get(IMPORT).get_data(as_text=True))
    lead = re.search(r'<p class="lead">(.*?)</p>', page, re.DOTALL)
    assert lead is not None
    assert said in lead[1] and no_longer_said not in lead[1]
