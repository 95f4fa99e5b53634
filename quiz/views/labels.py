"""Names of question types and topics, and sizes, as the interface shows them (translated).

Lazy strings: the dictionaries are built once, each name is translated when a
page renders it, in that page's language.
"""

from __future__ import annotations

import math

from flask_babel import LazyString, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# In the order the setup form lists them.
QUESTION_TYPES: dict[str, LazyString] = {
    "mcq": _l("Multiple choice"),
    "true_false": _l("True or false"),
    "cloze": _l("Fill in the blank"),
    "short": _l("Short answer"),
    "numeric": _l("Number"),
    "order": _l("Put in order"),
}

# The topics a learner can pick: the pipeline's tags, named for people.
TOPICS: dict[str, LazyString] = {
    "date": _l("Dates"),
    "institution": _l("Institutions"),
    "treaty": _l("Treaties"),
    "number": _l("Numbers"),
    "person": _l("People"),
    "place": _l("Places"),
    "acronym": _l("Acronyms"),
}

# Topics offered in the setup form: every one, since progress, the filters and the
# API all name acronyms apart (an acronym question is also tagged institution).
PICKABLE_TOPICS = tuple(TOPICS)


def type_label(code: str) -> str:
    """The name of a question type, or the code itself if it is new."""
    return str(QUESTION_TYPES.get(code, code))


def topic_label(code: str) -> str:
    """The name of a topic (tag), or the tag itself if it is new."""
    return str(TOPICS.get(code, code))


def size_text(limit: int) -> str:
    """``limit`` bytes for people, rounded down, in the interface's language: 5 MB plus the
    form's envelope reads "5 MB" ("5 Mo" in French)."""
    # The unit is translated too: French writes "5 Mo" and "500 ko".
    if limit < 1024 * 1024:
        return str(_("%(size)s KB", size=format_decimal(limit // 1024)))
    megabytes = format_decimal(math.floor(limit / (1024 * 1024) * 10) / 10, "0.#")
    return str(_("%(size)s MB", size=megabytes))
