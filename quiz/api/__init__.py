"""The JSON API (``/api/v1``): bearer-token clients take quizzes without the web pages.

``openapi.json`` in this package describes every endpoint; ``views`` holds the
blueprint, ``payloads`` validates request bodies, ``bodies`` shapes responses,
``auth`` reads bearer tokens and ``errors`` turns every failure into JSON.
"""

from __future__ import annotations

from . import live  # noqa: F401  (the live session endpoints, on the same blueprint)
from .views import bp

__all__ = ["bp"]
