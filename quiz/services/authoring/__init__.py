"""The instructors' side: the review queue and its checks, the editor, stale questions,
item analysis, and the pages about uploaded sheets and their revisions.

See docs/architecture.md. A service wing: it may import the platform modules,
the library, accounts and study wings, the models and the pure parts of the pipeline.
"""
