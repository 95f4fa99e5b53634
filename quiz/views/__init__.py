"""HTTP views, one blueprint per audience.

``main`` (the home page) comes first; the wings' blueprints (accounts, study,
author, classroom) join it here, each a subpackage exposing ``bp``. The API
(``quiz.api``) is registered by the factory: its errors reuse ``views.errors``,
so this package does not import it back. Views stay thin: they call
``quiz.services`` and render templates, and never import the generation pipeline.
"""

from __future__ import annotations

from flask import Flask

from . import accounts, author, errors, health, main, study

# The classroom's views register themselves on ``homework.bp`` and ``live.bp`` when imported.
from .classroom import (  # noqa: F401
    assignments,
    classes,
    homework,
    live,
    live_play,
    results,
    shared_quiz,
)
from .row_ids import RowIdConverter
from .text_input import init_text_input


def register_views(app: Flask) -> None:
    """Attach every blueprint and the error pages to ``app``."""
    # Before any route is added: every ``<int:…>`` in a path is a row id, bounded.
    app.url_map.converters["int"] = RowIdConverter
    init_text_input(app)  # no NUL in paths, queries or forms: PostgreSQL cannot take one
    app.register_blueprint(main.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(study.bp)
    app.register_blueprint(author.bp)
    app.register_blueprint(homework.bp)
    app.register_blueprint(live.bp)
    app.register_blueprint(health.bp)
    errors.register_error_handlers(app)
