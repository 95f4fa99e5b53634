"""Checks for the faults a demanding teacher finds in quiz questions, written or
generated: a give-away beside the blank, text cut short or not self-contained, page
furniture, choices that break the grammar or name another kind of thing, a wrong
choice the evidence makes true, a statement that contradicts itself, a blank that
admits a coarser answer, order items that tell their order.
"""

from __future__ import annotations

import re

from ..normalize import contains_words, fold
from ..resources import (
    ACRONYM,
    DATELINE,
    FIRST_PERSON,
    LEANING_OPENER,
    MONTH,
    NUMBER,
    ORDER_GIVEAWAYS,
    QUOTED,
    YEAR,
    YEAR_ALONE,
)
from .check_registry import Checked, check
from .classes import institution_kind, is_country, place_kind
from .grammar import Lexicon, admits, determiner_before
from .variants import answer_key

_BLANK = re.compile(r"_{3,}")
_CUT = re.compile(r"^\s*(?:…|\.\.\.)|(?:…|\.\.\.)\s*[»\"”]?\s*$")
_GLUED = re.compile(rf"{YEAR}[A-ZÀ-Ý][a-zà-ÿ]")
_QUOTE = re.compile(r"«\s*(.*?)\s*»|“(.*?)”|\"(.*?)\"", re.DOTALL)
_ARTICLE = re.compile(r"^(?:du|de la|de l['’]|des|au|à la|à l['’]|aux|le|la|les|l['’]|en|the)\s*")
_UNTIL = re.compile(
    rf"\b(?:jusqu['’](?:à|au|en)(?:\s+l['’]|\s+la|\s+le)?|until|till)\s+[^.;]*?({YEAR})"
)
_PRECISION = re.compile(r"\b(?:mois|jour|date|saison|période|month|day|season|period)\b", re.I)
_DATE_SHAPE = re.compile(
    rf"(?:(?:\d{{1,2}}(?:er)?\s+)?{MONTH}\s+)?{YEAR}|(?:\w+\s+des\s+)?années\s+\d{{4}}|"
    rf"(?:the\s+)?(?:\w+\s+)?\d{{4}}s|\w+\s+{YEAR}",
    re.I,
)


def quoted(prompt: str) -> list[str]:
    """The sentences a prompt quotes (between « », “ ” or " ")."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTE.finditer(prompt)]


def _texts(q: Checked) -> list[str]:
    """What the learner reads as sentences: quoted stems, choices, order items."""
    texts = quoted(q.prompt) or [q.prompt]
    if q.type in ("mcq", "order"):
        texts += list(q.choices)
    return texts


@check("one_blank")
def one_blank(q: Checked) -> list[str]:
    """At most one blank: "one word blanked three times" gives it away."""
    return ["more than one blank"] if len(_BLANK.findall(q.prompt)) > 1 else []


@check("whole_text")
def whole_text(q: Checked) -> list[str]:
    """No quoted sentence, choice or event cut short with "…"."""
    return ["text cut short"] if any(_CUT.search(t) for t in _texts(q)) else []


@check("no_page_furniture")
def no_page_furniture(q: Checked) -> list[str]:
    """No news dateline ("29 Sep. 2015Le secrétaire...") in what the learner reads."""
    if any(_GLUED.search(t) or DATELINE.match(t) for t in _texts(q)):
        return ["page furniture (a news dateline) in the question"]
    return []


@check("self_contained")
def self_contained(q: Checked) -> list[str]:
    """A quoted sentence says what it is about and who speaks."""
    found = []
    for text in quoted(q.prompt):
        if LEANING_OPENER.match(text):
            found.append("the quoted sentence leans on one it does not show")
        if FIRST_PERSON.get(q.lang, FIRST_PERSON["fr"]).search(QUOTED.sub(" ", text)):
            found.append("a first-person quote with no speaker")
    return found


# A quoted name or title inside the quoted sentence: “Plan Loire grandeur nature”.
_INNER_QUOTE = re.compile(r"“([^”]*)”|‘([^’]*)’|«\s*([^»]*?)\s*»")


@check("blank_keeps_names_whole")
def blank_keeps_names_whole(q: Checked) -> list[str]:
    """A blank takes a quoted name or title whole, never a piece of it (« le “_____
    nature” »): the learner would write the whole name and be marked wrong."""
    for text in quoted(q.prompt):
        for match in _INNER_QUOTE.finditer(text):
            inner = next(g for g in match.groups() if g is not None)
            if _BLANK.search(inner) and _BLANK.sub("", inner).strip(" ,.;:'’-"):
                return ["the blank cuts a quoted name in two"]
    return []


def _acronyms(paragraph: str) -> dict[str, str]:
    """Folded name → acronym for every "Name (ACR)" of the paragraph (name: the words
    before the brackets, up to eight)."""
    pairs = {}
    for match in ACRONYM.finditer(paragraph):
        before = re.split(r"[,;:.()]", paragraph[: match.start()])[-1].split()[-8:]
        for size in range(1, len(before) + 1):
            pairs[fold(" ".join(before[-size:]))] = match.group("acr")
    return pairs


@check("no_acronym_give_away")
def no_acronym_give_away(q: Checked) -> list[str]:
    """A blank's prompt shows neither the answer's acronym nor, for an acronym, its name."""
    if not _BLANK.search(q.prompt) or not q.answers or isinstance(q.answer, list):
        return []
    reason = ["the answer's acronym or expansion stands in the prompt"]
    if re.search(r"_{3,}\s*\(\s*[A-Z][A-Z0-9&-]{1,9}\s*\)", q.prompt):
        return reason
    acronyms = _acronyms(q.paragraph)
    answer = _ARTICLE.sub("", q.answers[0])
    mine = acronyms.get(fold(answer))
    if mine and contains_words(q.prompt, mine):
        return reason
    expansions = [name for name, acr in acronyms.items() if acr == answer and len(name) > 12]
    if any(contains_words(q.prompt, name) for name in expansions):
        return reason
    return []


def _bare(choice: str) -> str:
    return _ARTICLE.sub("", choice)


@check("choices_fit_the_blank")
def choices_fit_the_blank(q: Checked) -> list[str]:
    """French choices agree with the determiner before the blank (gender, number, "l'")."""
    blank = _BLANK.search(q.prompt)
    if q.type != "mcq" or q.lang != "fr" or blank is None:
        return []
    det = determiner_before(q.prompt[: blank.start()])
    if not det:
        return []
    lexicon = Lexicon()
    lexicon.observe([q.paragraph])
    if not admits(det, lexicon.agreement(q.answers[0], "fr", strict=True)):
        return []  # the answer itself reads oddly: nothing to compare the others with
    return [
        f"« {choice} » does not agree with « {det} » before the blank"
        for choice in q.choices
        if choice != q.answers[0]
        and not admits(det, lexicon.agreement(choice, "fr", strict=True))
    ]


@check("wrong_choices_are_wrong")
def wrong_choices_are_wrong(q: Checked) -> list[str]:
    """No wrong choice stands in the evidence, where the sheet may say it is true too."""
    if q.type != "mcq":
        return []
    evidence = q.evidence_text
    return [
        f"the evidence also names « {choice} »"
        for choice in q.choices
        if fold(choice) != fold(q.answers[0])
        and evidence
        and contains_words(evidence, _bare(choice))
    ]


def _shape(text: str) -> str:
    """'date', 'number' or 'name'."""
    if _DATE_SHAPE.fullmatch(text.strip()):
        return "date"
    match = NUMBER.fullmatch(text.strip())
    return "number" if match and not match.group("unit") else "name"


def _fine(text: str, lang: str) -> str | None:
    """A name's kind when the name itself says it (a known country or city, a head
    noun), else None."""
    if is_country(text):
        return "place:country"
    kind = institution_kind(text, lang)
    if kind != "organisation":
        return f"institution:{kind}"
    place = place_kind(text)
    return "place:city" if place == "city" and not text[:1].islower() else None


@check("choices_of_one_kind")
def choices_of_one_kind(q: Checked) -> list[str]:
    """Every choice names the same kind of thing as the answer: a date for a date, a
    country for a country, a council for a council."""
    if q.type != "mcq":
        return []
    answer = _bare(q.answers[0])
    shape, fine = _shape(answer), _fine(answer, q.lang)
    found = []
    for choice in q.choices:
        other = _bare(choice)
        if _shape(other) != shape:
            found.append(f"« {choice} » is not of the answer's kind")
        elif fine and (kind := _fine(other, q.lang)) and kind != fine:
            found.append(f"« {choice} » is not of the answer's kind")
    return found


@check("statement_consistent")
def statement_consistent(q: Checked) -> list[str]:
    """A statement to judge does not contradict its own chronology: what lasted
    "jusqu'au printemps 2009" did not begin after it."""
    if q.type != "true_false":
        return []
    for text in quoted(q.prompt) or [q.prompt]:
        years = [int(y) for y in YEAR_ALONE.findall(text)]
        for until in _UNTIL.finditer(text):
            if any(year > int(until.group(1)) for year in years):
                return ["the statement contradicts its own chronology"]
    return []


@check("blank_says_its_precision")
def blank_says_its_precision(q: Checked) -> list[str]:
    """A free date blank asking for a month or a day says so, or takes the year alone."""
    if q.type not in ("cloze", "short") or not _BLANK.search(q.prompt):
        return []
    answer = q.answers[0]
    years = YEAR_ALONE.findall(answer)
    if len(years) != 1 or answer.strip() == years[0] or not re.search(rf"{MONTH}", answer, re.I):
        return []
    if _PRECISION.search(q.prompt) or years[0] in q.accepted:
        return []
    return ["the blank also admits the year alone"]


@check("events_in_order")
def events_in_order(q: Checked) -> list[str]:
    """An order question's events have distinct dates and no wording that tells their
    place ("31e sommet", "à nouveau", "after")."""
    if q.type != "order":
        return []
    found = []
    dates = [d for d in q.item_dates if d]
    if len({fold(d) for d in dates}) != len(dates):
        found.append("two events share a date")
    giveaway = ORDER_GIVEAWAYS.get(q.lang, ORDER_GIVEAWAYS["fr"])
    if any(giveaway.search(item) or YEAR_ALONE.search(item) for item in q.answers):
        found.append("an event's wording tells its place or its date")
    return found


@check("accepted_forms_distinct")
def accepted_forms_distinct(q: Checked) -> list[str]:
    """No accepted form is the answer again (as the answer checker compares them)."""
    if isinstance(q.answer, list):
        return []
    key = answer_key(q.answer)
    if any(answer_key(a) == key for a in q.accepted):
        return ["an accepted form repeats the answer"]
    return []
