"""The sheet library: sheets and their revisions in the database, uploads and their import.

See docs/architecture.md. A service wing: it may import the platform modules at
the root of ``quiz.services``, the models and the generation pipeline; no other wing.
"""
