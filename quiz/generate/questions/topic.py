"""The sheet's subject named in a quoted sentence: "la tour culmine" on "La tour Eiffel"
becomes "la tour Eiffel culmine", so the learner reads one sentence, not the whole sheet."""

from __future__ import annotations

import re

_TITLE_NP = re.compile(
    r"^(?P<article>(?:les|le|la|the)\s+|l['’]\s*)(?P<words>[^\W\d_][^(]*?)\s*(?:\(|$)", re.I
)


# What already says which one is meant: "les relations entre l'OTAN et la Russie".
_SPECIFIED = re.compile(r"\s+(?:de|du|des|d['’]|entre|of|between)\b|\s+[A-ZÀ-Ý]")


def name_topic(text: str, topic: str, lang: str = "fr") -> str:
    """``text`` with the first definite description of the sheet's subject completed
    by the title ("la tour culmine" → "la tour Eiffel culmine" on "La tour Eiffel", "the
    treaty" → "the Antarctic Treaty"): the learner reads one sentence, not the sheet."""
    if lang == "en" and not _TITLE_NP.match(topic.strip()):
        topic = f"The {topic.strip()}"  # "Panama Canal": an English title drops its article
    title = _TITLE_NP.match(topic.strip())
    words = title.group("words").split() if title else []
    if title is None or not 2 <= len(words) <= 5:
        return text
    english = title.group("article").strip().lower() == "the"
    head = words[-1] if english else words[0]
    named = " ".join(words)
    article = r"(?:(?:les|le|la|the)\s+|l['’]\s*)"
    before = rf"(?:{re.escape(' '.join(words[:-1]))}\s+)?" if english else ""
    # The article in any case, a French head as the title writes it: "l'agence spatiale
    # russe" is not "L'Agence spatiale européenne"; English capitalises names only.
    flags = re.I if english else 0
    pattern = re.compile(rf"\b((?i:{article})){before}{re.escape(head)}\b", flags)
    for match in pattern.finditer(text):
        said = text[match.end(1) :].lower().startswith(named.lower())
        if not said and not _SPECIFIED.match(text[match.end() :]):
            return text[: match.end(1)] + named + text[match.end() :]
    return text
