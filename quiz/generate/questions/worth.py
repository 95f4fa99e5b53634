"""What makes a fact not worth asking, or not a fact: a measure given in two units, a
count of years between two dates the quiz gives, a common word taken for a name, a
description taken for a name."""

from __future__ import annotations

import re

from ..model import Fact
from ..normalize import fold
from ..resources import CONVERTED_AFTER, CONVERTED_BEFORE, INTERVAL_STATED, LANDMARK_EVENTS
from .acronyms import LINK_WORDS
from .builders import Builder

_SENTENCE_END = re.compile(r"[.!?:]\s*[*_«“\"]*$")
# A year opening a sentence that tells a state, not an event: "In _____ the Sunda Strait lay
# within the Dutch East Indies", « En _____, le détroit faisait partie des Indes ».
_STATE_AFTER_YEAR = re.compile(
    r"\s*,?\s+(?:the\s+|le\s+|la\s+|les\s+|l['’])?[^,.;]{0,60}?\b(?:lay|was|were|stood|"
    r"remained|belonged|était|étaient|se trouvait|se trouvaient|appartenait|faisait partie|"
    r"demeurait|restait)\b"
)
_YEAR_OPENING = re.compile(r"(?:^|[.!?]\s+)(?:In|En|By|Vers|Around)\s+$")
# Three years or more in a row: « en 1846, 1856 et 1866 ».
_YEARS_LISTED = re.compile(r"\b\d{4}(?:\s*,\s*\d{4})+\s*,?\s+(?:et|and)\s+\d{4}\b")
# Where a sentence's list may stand apart: between dashes, after a colon, in brackets.
_LIST_BOUNDS = re.compile(r"\s*[—–]\s*|[:;()]")
# A new item of a list: a comma or "and" before an article or a capitalised name.
_NEXT_ITEM = re.compile(
    r"(?:,|\s(?:et|and|&))\s+(?:(?:le|la|les|l['’]|un|une|des|the|an?)\b|[A-ZÀ-Ý])"
)


def converted(fact: Fact) -> bool:
    """Whether a measure is also given in another unit beside it ("about 40 feet (12
    metres)", "120 feet (about 37 metres)"): either side gives the other."""
    text = fact.paragraph.text
    before = text[max(0, fact.span.start - 40) : fact.span.start]
    return bool(CONVERTED_BEFORE.search(before) or CONVERTED_AFTER.match(text, fact.span.end))


def interval_of_dates(b: Builder, fact: Fact) -> bool:
    """Whether a count of years dates one event from another ("Le 6 juillet 1885, …
    conduit, trois ans plus tard, à la fondation") whose year the sheet states (1888):
    another question of the quiz gives both ends, the count is a subtraction."""
    text = fact.paragraph.text
    unit = fold(str(fact.data.get("unit")))
    if unit not in ("ans", "an", "annees", "years", "year"):
        return False
    interval = INTERVAL_STATED.match(text, fact.span.start)
    years = re.findall(r"\b\d{4}\b", text[: fact.span.start])
    if interval is None or not years:
        return False
    end = int(years[-1]) + round(float(fact.value))
    return any(value.year == end for value in b.stated_dates())


def common_word_opening(b: Builder, fact: Fact) -> bool:
    """Whether a "name" opening its sentence begins with a word the sheet writes in
    lower case elsewhere ("Rocher granitique" and "sur le rocher", "Other Jewish" and
    "the other three"): a common word capitalised by its place, taken for a person."""
    text = fact.paragraph.text
    opening = fact.span.start == 0 or bool(_SENTENCE_END.search(text[: fact.span.start]))
    first = fact.text.split()[0]
    return opening and first[:1].isupper() and b.uses(first.lower()) > 0


def described(name: str) -> bool:
    """Whether a "name" is a common noun and what was done with it ("protocole appliqué
    à Joseph Meister"): no name, and a blank on it admits any like noun (vaccin,
    traitement…); "accord intergouvernemental sur la Station" is a name."""
    words = name.split()
    return (
        len(words) >= 3
        and name[:1].islower()
        and bool(_PARTICIPLE.fullmatch(words[1]))
        and fold(words[2]) in LINK_WORDS | {"a", "to", "by", "par", "pour", "for"}
    )


_PARTICIPLE = re.compile(r"[a-zà-ÿ]+(?:é|ée|és|ées|ed)")


def counted_in_its_sentence(fact: Fact) -> bool:
    """Whether the sentence lists as many items as the number counts, after it (« six
    départements portent son nom — la Haute-Loire, la Loire, … et la Loire-Atlantique »,
    "the four soloists were the soprano …, the contralto …, the tenor … and the bass"):
    counting the list answers the blank."""
    value = float(fact.value)
    if value != int(value) or not 2 <= value <= 20:
        return False
    text = fact.paragraph.text
    rest = text[fact.span.end : fact.evidence.end]
    for segment in _LIST_BOUNDS.split(rest):
        if 1 + len(_NEXT_ITEM.findall(segment)) == value:
            return True
    return False


def listed_year(fact: Fact) -> bool:
    """Whether a year is one of a list of three or more (« les crues de _____, 1856 et
    1866 »): the others and their spacing all but give it, and each alone says little."""
    return any(
        found.start() <= fact.span.start and fact.span.end <= found.end()
        for found in _YEARS_LISTED.finditer(fact.paragraph.text)
    )


def dated_by_a_landmark(fact: Fact) -> bool:
    """Whether the sentence names an event everyone dates in the answer's year or the
    next ("weeks after the fall of the Berlin Wall", « au lendemain de la Grande
    Guerre »): general knowledge answers the blank."""
    sentence = fact.paragraph.text[fact.evidence.start : fact.evidence.end]
    year = fact.value.year
    named = [(first, last) for event, first, last in LANDMARK_EVENTS if event.search(sentence)]
    return any(first <= year <= last + 1 for first, last in named)


def background_year(fact: Fact) -> bool:
    """Whether a year opens a sentence that tells how things stood then ("In _____ the
    Sunda Strait lay within the Dutch East Indies"): decades of years fit the blank."""
    text = fact.paragraph.text
    opening = _YEAR_OPENING.search(text[max(0, fact.span.start - 12) : fact.span.start])
    return bool(opening and _STATE_AFTER_YEAR.match(text, fact.span.end))

