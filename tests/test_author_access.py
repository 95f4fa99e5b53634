"""Every authoring URL, found in the app's URL map: only instructors get in.

Visitors are sent to the log-in page, students get a 403, for every method of
every ``author.*`` route, including routes added after this test was written.
An instructor asking for things that do not exist gets a 404 page, never a
traceback. CSRF stays on: POSTs carry a valid token, so the guard is what answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import csrf_token, log_in_as
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

# Values for URL variables that name nothing in the database.
MISSING = {
    "integer": 987_654,
    "default": "nothing-here",
    "string": "nothing-here",
    "path": "no/where",
}
# Routes that exist today; more may come, none may go unguarded.
KNOWN_AT_LEAST = {"author.questions", "author.review"}


def author_rules(app: Flask) -> list[Rule]:
    """The authoring blueprint's routes."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("author.")),
        key=lambda rule: rule.rule,
    )


def missing_url(rule: Rule) -> str:
    """``rule`` built with values that name nothing."""
    values: dict[str, object] = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]  # werkzeug exposes no accessor
        # The app's ``int`` is a subclass (bounded row ids): ask what it is, not its name.
        if isinstance(converter, IntegerConverter):
            kind = "integer"
        else:
            kind = type(converter).__name__.removesuffix("Converter").lower()
        values[argument] = MISSING.get(kind, MISSING["default"])
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]


def requests_of(client: FlaskClient, rule: Rule) -> Iterator[tuple[str, int]]:
    """Send every method of ``rule``; yield (description, status)."""
    url = missing_url(rule)
    for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
        if method == "GET":
            yield f"GET {url}", client.get(url).status_code
        else:
            token = csrf_token(client.get("/quiz/new").get_data(as_text=True))
            response = client.open(url, method=method, data={"csrf_token": token})
            yield f"{method} {url}", response.status_code


def test_the_authoring_routes_are_all_found(site: Flask) -> None:
    assert KNOWN_AT_LEAST <= {rule.endpoint for rule in author_rules(site)}


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("student", 403)])
def test_only_instructors_get_in_anywhere(site: Flask, role: str | None, expected: int) -> None:
    """Visitors are sent to log in (302), students refused (403), on every route and method."""
    client = site.test_client()
    if role:
        log_in_as(client, site, role)
    wrong = [
        f"{request} -> {status}"
        for rule in author_rules(site)
        for request, status in requests_of(client, rule)
        if status != expected
    ]
    assert wrong == []


def test_instructors_asking_for_nothing_get_clear_errors(site: Flask) -> None:
    client = site.test_client()
    log_in_as(client, site, "instructor")
    crashed = [
        f"{request} -> {status}"
        for rule in author_rules(site)
        for request, status in requests_of(client, rule)
        if status >= 500
    ]
    assert crashed == []
