"""The learners' pages: sheets to read, quizzes to take, feedback, progress and review.

Blueprint ``study`` (``pages``); the other modules are its helpers: reading an
answer from the form, the new-quiz form, highlighting, the review page's groups,
the progress chart. See docs/architecture.md.
"""

from .pages import bp

__all__ = ["bp"]
