"""Text from outside the app (URL paths, query strings, form fields): no NUL character.

PostgreSQL cannot store or even compare a text holding U+0000: the driver refuses
to send it, and the request would answer 500 where SQLite answers 404 or 400. No
slug, label, name or answer ever holds one, so it is refused before any query:
as a 404 in a path (no page has that address) and as a 400 elsewhere.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import UnicodeConverter
from werkzeug.routing.map import Map

NUL = "\x00"


class TextConverter(UnicodeConverter):
    """``<slug>`` or ``<string:…>`` in a route: any text without ``/`` or NUL.

    Installed as the app's ``default`` and ``string`` converter, so a route added
    later refuses NUL too.
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        # UnicodeConverter's pattern starts with "[^/]"; NUL is refused the same way.
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


def refuse_nul_in_query_and_form() -> None:
    """Answer 400 when a query-string or form value (or name) holds a NUL character."""
    for values in (request.args, request.form):
        for name, value in values.items(multi=True):
            if NUL in name or NUL in value:
                abort(400)


def init_text_input(app: Flask) -> None:
    """Install the path converter and the query and form check on ``app``."""
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    app.before_request(refuse_nul_in_query_and_form)
