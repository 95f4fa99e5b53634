"""HTTP views, one blueprint per audience.

``main`` (the home page) comes first; study, classroom, author and api
blueprints join it here. Views stay thin: they call ``quiz.services`` and
render templates, and never import the generation pipeline.
"""

from __future__ import annotations

from flask import Flask

from . import errors, main


def register_views(app: Flask) -> None:
    """Attach every blueprint and the error pages to ``app``."""
    app.register_blueprint(main.bp)
    errors.register_error_handlers(app)
