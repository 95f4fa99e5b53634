"""What the authoring pages tell a French-speaking instructor (issue 9: first week of real use).

Through the Flask test client on a copy of the built-in sheets' SQLite file.
"""

from __future__ import annotations

from browser_helpers import log_in_as
from flask import Flask
from flask.testing import FlaskClient


def french_instructor(site: Flask) -> FlaskClient:
    """A client logged in as an instructor, reading the interface in French."""
    client = site.test_client()
    log_in_as(client, site, "instructor")
    client.get("/lang/fr")
    return client


def test_the_upload_page_says_how_long_writing_the_questions_takes(site: Flask) -> None:
    page = french_instructor(site).get("/author/upload").get_data(as_text=True)
    assert "quelques secondes" not in page  # imports took 14–15 s for a one-page sheet
    assert "environ 15 secondes pour une fiche d’une page" in page


def test_the_import_page_gives_the_size_limit_in_french_units(site: Flask) -> None:
    page = french_instructor(site).get("/author/import").get_data(as_text=True)
    assert "5 Mo au plus." in page and "5 MB" not in page
