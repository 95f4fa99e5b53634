"""The ``quiz`` command: Flask's commands (run, routes, shell) plus the project's.

The project commands themselves live in ``quiz.commands`` and are registered
on ``app.cli`` by the factory, so Flask's test runner sees them too.
"""

from __future__ import annotations

from flask.cli import FlaskGroup

from .app import create_app

cli = FlaskGroup(
    create_app=create_app,
    help="Turn public fact sheets into quizzes whose every answer is sourced.",
)


def main() -> None:
    """Entry point of the ``quiz`` console script."""
    cli.main()
