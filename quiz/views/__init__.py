"""HTTP views, one blueprint per audience.

``main`` (the home page) comes first; study, classroom, author and api
blueprints join it here. Views stay thin: they call ``quiz.services`` and
render templates, and never import the generation pipeline.
"""

from __future__ import annotations

from flask import Flask

from ..api import bp as api_blueprint
from . import auth, author, errors, health, main, study
from .classroom import live
from .row_ids import RowIdConverter
from .text_input import init_text_input


def register_views(app: Flask) -> None:
    """Attach every blueprint and the error pages to ``app``."""
    # Before any route is added: every ``<int:…>`` in a path is a row id, bounded.
    app.url_map.converters["int"] = RowIdConverter
    init_text_input(app)  # no NUL in paths, queries or forms: PostgreSQL cannot take one
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(study.bp)
    app.register_blueprint(author.bp)
    app.register_blueprint(live.bp)
    app.register_blueprint(api_blueprint)
    app.register_blueprint(health.bp)
    errors.register_error_handlers(app)
