"""The learners' side: attempts, drawing, answer checking, feedback, spaced review, stats.

See docs/architecture.md. A service wing: it may import the platform modules,
the library and accounts wings, the models and the pure parts of the pipeline.
"""
