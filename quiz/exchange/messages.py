"""Import error messages that read in English and translate later.

``quiz import`` prints errors in English; the import page shows them in the
interface's language. Both get the same ``Message``: a ``str`` whose value
is the English text, which also keeps its ``template`` (a gettext message id
with ``%(name)s`` placeholders) and the ``params`` that fill it. The web layer
calls ``translate`` with Flask-Babel's ``gettext``; this package never imports
Flask, so it stays usable without an application.

Messages are built with ``N_``, gettext's conventional "mark for translation"
name, which ``pybabel extract`` finds without extra keywords. A param may be
another ``Message`` (a question's label before its problem, say): it is
translated too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Message(str):
    """An English message that remembers its ``template`` and ``params`` for translation."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        # Like gettext with no variables, a template without params is not %-formatted:
        # "at 100%" stays as written.
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message


def N_(template: str, **params: Any) -> Message:
    """``template`` filled with ``params``, marked for translation (see the module's note)."""
    return Message(template, **params)


def about(label: str, problem: str) -> Message:
    """A ``problem`` of the question (or field) that ``label`` names: ``label: problem``."""
    return N_("%(label)s: %(problem)s", label=label, problem=problem)


def translate(message: str, gettext: Callable[[str], str]) -> str:
    """``message`` in the language ``gettext`` speaks; plain strings are left as they are."""
    if not isinstance(message, Message):
        return message
    template = gettext(message.template)
    if not message.params:
        return template
    params = {
        name: translate(value, gettext) if isinstance(value, str) else value
        for name, value in message.params.items()
    }
    return template % params


def message_of(error: Exception) -> str:
    """The message an error was raised with: the ``Message`` itself when it was one."""
    first = error.args[0] if error.args else None
    return first if isinstance(first, Message) else str(error)
