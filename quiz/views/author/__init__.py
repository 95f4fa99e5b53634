"""The instructor's side: its own blueprint, ``/author``, apart from the learner's pages.

Only instructors reach it: a visitor is sent to the log-in page, a student gets
the 403 page (``instructor_required`` on every view). Views stay thin: they
read the request, call one service, commit once when it wrote, and render.

- ``queue``: the review queue of questions, with their checks; bulk approve/reject.
- ``editor``: write and edit questions (every type), the evidence picker, versions.
- ``sheets``: upload sheets and revisions, their paragraphs and facts, revision diffs.
- ``import_jobs``: an upload's background import: its progress, its failure, a retry.
- ``stale``: questions a new revision no longer proves: carry forward or retire.
- ``analysis``: item analysis of answered questions.
- ``exchange``: export a selection, import GIFT, CSV and JSON files.
- ``check_labels`` (no view): the automatic checks' names and reasons, translated.
- ``blueprint``: ``bp``, its sub-navigation and ``instructor_required``.
- ``editor_base``, ``editor_forms``, ``sheet_forms``, ``exchange_forms``: the forms of these pages.
"""

from . import analysis, editor, exchange, import_jobs, queue, sheets, stale  # noqa: F401  (routes)
from .blueprint import bp

__all__ = ["bp"]
