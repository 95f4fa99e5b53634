"""The home page: which sheets are imported, with their revisions and questions."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..services.sheets import sheet_summaries

bp = Blueprint("main", __name__)

# Language names shown to French-speaking users; unknown codes show as is.
LANGUAGE_NAMES = {
    "fr": "français",
    "en": "anglais",
    "de": "allemand",
    "es": "espagnol",
    "it": "italien",
    "ru": "russe",
    "uk": "ukrainien",
}


@bp.app_template_filter("language_name")
def language_name(code: str | None) -> str:
    """The French name of a language code, e.g. ``fr`` → ``français``."""
    if not code:
        return "langue inconnue"
    return LANGUAGE_NAMES.get(code.lower(), code)


@bp.get("/")
def home() -> str:
    """List the imported sheets, or explain how to import them."""
    return render_template("home.html", sheets=sheet_summaries())
