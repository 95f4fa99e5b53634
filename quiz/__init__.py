"""quiz: turn public fact sheets into quizzes whose every answer is sourced."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """Import ``create_app`` on first use.

    Importing the pipeline (``quiz.generate``) runs this package's
    ``__init__`` first; loading the factory lazily keeps Flask and the
    database layer out of the pipeline's imports.
    """
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
