"""Languages of the interface: French by default, English on a switch.

Message ids are English; ``quiz/translations/fr`` holds the complete French
catalog (``make install`` compiles it). The chosen language lives in the
session, and on the account of a logged-in user so that it follows them to
another browser. Sheet texts and questions keep their own language.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Flask, session
from flask_babel import get_locale
from flask_login import current_user

from .extensions import babel

DEFAULT_LOCALE = "fr"
# Each language named in itself, as the switch shows it.
LANGUAGES = {"fr": "Français", "en": "English"}
SESSION_KEY = "lang"


def supported(code: str | None) -> bool:
    """Whether ``code`` is a language the interface is translated into."""
    return code in LANGUAGES


def select_locale() -> str:
    """The session's choice, else the account's, else French.

    The browser's Accept-Language is deliberately ignored: the app is French
    first, and English is an explicit choice.
    """
    chosen = session.get(SESSION_KEY)
    if supported(chosen):
        return str(chosen)
    if current_user and current_user.is_authenticated and supported(current_user.locale):
        return str(current_user.locale)
    return DEFAULT_LOCALE


def current_language() -> str:
    """The language code of the current request (``fr`` or ``en``)."""
    return str(get_locale() or DEFAULT_LOCALE)


def language_display_name(code: str | None) -> str:
    """A language code named in the interface's language, e.g. ``fr`` → ``français``."""
    if not code:
        return "?"
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(current_language()) or code
    except (ValueError, UnknownLocaleError):
        return code


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel to ``app`` and expose the language helpers to templates."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["language_display"] = language_display_name
    app.jinja_env.globals["interface_languages"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
