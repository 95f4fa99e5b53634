"""The home page (which sheets are imported, with their revisions and questions) and the icon."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from werkzeug.wrappers import Response

from ..services.library.sheets import sheet_summaries

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


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon, where browsers ask for it on every page whatever the HTML says."""
    static = current_app.static_folder
    assert static is not None  # set by create_app
    return send_from_directory(static, "favicon.ico", mimetype="image/vnd.microsoft.icon")
