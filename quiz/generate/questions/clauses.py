"""Where a sentence may end early and still be a whole sentence.

"Toute coopération ... est suspendue depuis avril 2014, en réponse à ..." is a
sentence of its own up to the comma: its main verb, subject and complements all
stand before it, and only adjuncts follow. A stem may stop there when the whole
sentence is too long, or when what follows cannot be quoted (a first person, a
word that leans on the sentence before).

French uses the parse; English, which has no parser here, stops before a comma
that opens a relative or contrasting clause.
"""

from __future__ import annotations

import re
from typing import Any

# The dependents that complete a clause: cutting before them leaves it unfinished.
_CORE = {"nsubj", "nsubj:pass", "expl:subj", "aux", "aux:pass", "aux:tense", "cop", "obj",
         "iobj", "ccomp", "xcomp", "expl:comp", "expl:pass", "csubj"}  # fmt: skip
_ENGLISH_BREAK = re.compile(
    r",\s+(?=(?:which|who|whose|where|while|whereas|but|although|though|making|including|"
    r"thanks to|as well as)\b)",
    re.I,
)
_OPENERS = {"(": ")", "«": "»", "“": "”"}


def _balanced(text: str) -> bool:
    """Whether every bracket and quotation mark opened in ``text`` is closed."""
    return all(text.count(a) == text.count(b) for a, b in _OPENERS.items())


def _core_end(sentence: Any) -> int:
    """The character offset where the sentence's main clause is complete."""
    root = sentence.root
    end: int = root.idx + len(root.text)
    for child in root.children:
        if child.dep_ in _CORE:
            last = max(child.subtree, key=lambda t: t.i)
            end = max(end, last.idx + len(last.text))
    return end


def clause_ends(text: str, doc: Any, lang: str) -> list[int]:
    """Offsets in ``text`` (before a comma or semicolon) where a sentence may end."""
    cuts: list[int] = []
    if doc is None or lang != "fr" or not doc.has_annotation("DEP"):
        for match in _ENGLISH_BREAK.finditer(text):
            if _balanced(text[: match.start()]):
                cuts.append(match.start())
        return cuts
    for sentence in doc.sents:
        if sentence.root.pos_ not in ("VERB", "AUX"):
            continue  # "Octobre 1975 : au Bangladesh, Rahima Banu, ...": no clause to end
        core = _core_end(sentence)
        for token in sentence:
            if token.text in (",", ";") and token.idx >= core and _between(sentence, token):
                start = sentence.start_char
                if _balanced(text[start : token.idx]):
                    cuts.append(token.idx)
    return cuts


# Dependents that continue a phrase: cutting before them splits it ("deux ans, deux
# mois et cinq jours": a coordination; "Jean, Paul": a flat name).
_PHRASE_PARTS = {"conj", "flat", "flat:name", "fixed", "compound", "nummod"}


def _between(sentence: Any, comma: Any) -> bool:
    """Whether the sentence may end at ``comma``: nothing before it hangs on a word
    after it, and what follows is a dependent of its own (a relative clause, an
    adjunct, a second clause), not the rest of a phrase."""
    root = sentence.root
    for token in sentence:
        if token.i < comma.i and token.head.i > comma.i:
            return False
        if token.i > comma.i and token.head.i == comma.i:
            return False  # a word hung on the comma itself: the parse is lost there
        if token.i > comma.i and token.head.i < comma.i:
            if token.dep_ in _PHRASE_PARTS and token.head.i != root.i:
                return False
    return True
