"""The ``quiz`` command: Flask's commands (run, routes, shell) plus the project's.

The project commands themselves live in ``quiz.commands`` (``core``, ``exchange``,
``revisions``, ``uploads``) and are registered on ``app.cli`` by the factory, so
Flask's test runner sees them too.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from .secret_key import UnsafeSecretKey


def create_cli_app() -> Flask:
    """The app of a command; an unsafe secret key is one line on stderr, not a traceback."""
    from .app import create_app  # the factory imports quiz.commands, not this module

    try:
        return create_app()
    except UnsafeSecretKey as error:
        raise click.ClickException(str(error)) from None


cli = FlaskGroup(
    create_app=create_cli_app,
    help="Turn public fact sheets into quizzes whose every answer is sourced.",
)


def main() -> None:
    """Entry point of the ``quiz`` console script."""
    cli.main()
