"""Question builders, one small function per kind of fact.

Each returns drafts; ``assemble`` turns drafts into questions with stable ids
and provenance. A builder that cannot word a question well returns nothing
for that form and lets a simpler form (a blank to fill in) carry the fact;
a wrong question is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts.numbers import number_value
from ..model import DateValue, Fact, Span
from ..normalize import fold
from ..resources import (
    BUILDING_LOCATED,
    INTERVAL_STATED,
    LOCATED_AFTER,
    MONTH_AFTER,
    SCALES,
    TIME_UNITS,
    TRIVIAL_UNITS,
    WEEKDAY_BEFORE,
)
from .acronyms import LINK_WORDS, acronym_questions
from .builders import Builder, Draft, choices_for
from .classes import city_country, country_code, place_kind
from .distractors import date_candidates, number_candidates, pick
from .forms import cloze, is_subject, open_gap, true_false
from .leaks import (
    chronology_kept,
    date_key,
    hint_words,
    number_in_a_name,
    one_day_off,
    order_kept,
    sum_of_others,
)
from .people import fullest_from, same_person_forms
from .phrasing import (
    format_date,
    french_date_question,
)
from .stems import leans
from .topic import name_topic
from .treaty_questions import treaty_questions
from .variants import date_forms, distinct, name_forms, number_forms
from .worth import (
    background_year,
    common_word_opening,
    converted,
    counted_in_its_sentence,
    dated_by_a_landmark,
    described,
    interval_of_dates,
    listed_year,
)


def _evidence(fact: Fact) -> str:
    return fact.paragraph.text[fact.evidence.start : fact.evidence.end]


def _others_in_stem(b: Builder, fact: Fact, kind: str) -> list[Fact]:
    """The other facts of ``kind`` the fact's stem quotes."""
    gap = open_gap(b, fact)
    if gap is None:
        return []
    return [
        f
        for f in b.facts_in(fact.paragraph)
        if f.kind == kind
        and f.span != fact.span
        and gap.stem.locate(f.span) is not None
        and not f.data.get("relative")
    ]


def _false_date(b: Builder, fact: Fact, candidates: list[DateValue]) -> str | None:
    """A wrong date that keeps the sentence's chronology, or None. None when the
    sentence dates the event from another ("forty-five years to the day after its first
    flight", "Thursday, 17 December"). Dates the sheets state of other events come after
    shifted ones (Orville's death, a fact of the quiz, is no false date for Sukenik's
    purchase), and no false date serves twice on one sheet while another fits."""
    text = fact.paragraph.text
    if INTERVAL_STATED.search(_evidence(fact)) or WEEKDAY_BEFORE.search(text[: fact.span.start]):
        return None
    others = [f.value for f in _others_in_stem(b, fact, "date")]
    lang = fact.paragraph.lang
    stated = b.stated_dates() | set(b.pools.dates_near(fact.value, 15))
    used: set[str] = b.memo.setdefault(("false dates",), set())
    kept = sorted(
        (
            v
            for v in candidates
            if chronology_kept(fact.value, v, others) and not one_day_off(fact.value, v)
        ),
        key=lambda v: (v in stated, format_date(v, lang) in used),
    )
    wrong = pick(fact.text, [_evidence(fact)], [format_date(v, lang) for v in kept], want=1)
    if wrong:
        used.add(wrong[0])
    return wrong[0] if wrong else None


def _dated_alike(b: Builder, fact: Fact) -> bool:
    """Whether another date of the quoted sentence falls in the answer's period: "dans
    les _____ ; … abandonna la dernière en janvier 1975" all but says "années 1970"."""
    value: DateValue = fact.value
    depth = {"day": 3, "month": 2}.get(value.precision, 1)
    part = {"early": range(0, 4), "mid": range(3, 7), "late": range(6, 10)}
    for other in _others_in_stem(b, fact, "date"):
        if value.precision == "decade":
            years = part.get(value.qualifier or "", range(10))
            if other.value.year // 10 == value.year // 10 and other.value.year % 10 in years:
                return True
        elif date_key(other.value, depth) == date_key(value, depth):
            return True
    return False


def _dates_a_figure(b: Builder, fact: Fact) -> bool:
    """Whether a year only says when a figure was counted ("En 2019, environ 5 millions
    de véhicules…"): the figure is the fact, its year trivia."""
    opening = fact.evidence.start <= fact.span.start <= fact.evidence.start + 4
    return fact.value.precision == "year" and opening and bool(_others_in_stem(b, fact, "number"))


def _range_bound(fact: Fact) -> bool:
    """Whether a year bounds a range ("restaurée de 2004 à _____", "De _____ à 1855, il
    est secrétaire"): with its length stated ("cinq fois de suite") the other bound gives
    it, and without, one end of a span is a detail the reviews found not worth asking."""
    text = fact.paragraph.text
    before = text[max(0, fact.span.start - 30) : fact.span.start]
    after = text[fact.span.end : fact.span.end + 30]
    return bool(RANGE_END.search(before) or RANGE_START.match(after))


def date_questions(b: Builder, fact: Fact) -> list[Draft]:
    """A direct question ('En quelle année ... ?') when the parse allows, else a blank
    that says the precision it wants; some dates also get a true/false item.

    A relative date ("Le même mois") is never asked: its paragraph does not say which
    month it is, and every question must be answerable from its own paragraph."""
    if fact.data.get("relative") or _in_a_persons_apposition(b, fact) or _range_bound(fact):
        return []
    if listed_year(fact) or dated_by_a_landmark(fact) or background_year(fact):
        return []  # « en _____, 1856 et 1866 », "after the fall of the Berlin Wall", "In _____
        # the strait lay within…"
    lang = fact.paragraph.lang
    values = date_candidates(fact, b.pools, b.seed(fact))
    candidates = [format_date(v, lang) for v in values]
    accepted = date_forms(fact.value, fact.text, lang)
    wrong = _false_date(b, fact, values)
    drafts: list[Draft | None] = []
    distractors = pick(fact.text, [_evidence(fact)], candidates)
    direct = french_date_question(fact, b.doc(fact.paragraph), b.pronouns) if lang == "fr" else None
    if direct and leans(direct[0], lang):
        direct = None  # "Quand l'OTAN a-t-elle de nouveau revu ce chiffre ?"
    if direct:  # "… entre la tour Eiffel et le Panthéon ?", not "entre la tour"
        direct = (name_topic(direct[0], b.sheet.title, lang), direct[1])
    if direct and len(distractors) >= 2:
        choices = choices_for(b, fact, fact.text, distractors)
        drafts.append(Draft("mcq", direct[0], fact.text, fact, "direct", choices, [], ["date"]))
    elif not _dated_alike(b, fact) and not _dates_a_figure(b, fact):
        drafts.append(cloze(b, fact, fact.text, ["date"], accepted))
    if b.flip(fact, "tf-date") and wrong and not _dates_a_figure(b, fact):
        # (a figure counted "in 2020" instead of 2019: the paragraph cannot say it is false)
        drafts.append(true_false(b, fact, wrong, tags=["date"]))
    return [d for d in drafts if d]


def number_questions(b: Builder, fact: Fact) -> list[Draft]:
    """A number to fill in; some numbers also get a true/false item. Counts of
    occurrences ("onze reprises") and small numbers in words ("ces trois pays", but not
    "tous les deux ans") are trivia."""
    value = float(fact.value)
    unit = fold(str(fact.data.get("unit")))
    small = not fact.text[0].isdigit() and value <= 3 and unit not in TIME_UNITS
    bound = LESS_THAN.search(fact.paragraph.text[: fact.span.start]) is not None
    if unit in TRIVIAL_UNITS or small or bound or number_in_a_name(fact):
        return []
    if MONTH_AFTER.match(fact.paragraph.text, fact.span.end):
        return []  # "dated _____ November 1455", « Le _____ juillet »: a date's day alone
    if counted_in_its_sentence(fact):
        return []  # « _____ départements portent son nom — la Haute-Loire, … »: count them
    if interval_of_dates(b, fact):
        return []  # "Le 6 juillet 1885 … trois ans plus tard, … l'Institut" (1888): a subtraction
    if converted(fact):
        return []  # "about 40 feet (_____ metres)": a unit conversion, not a fact
    others = [float(f.value) for f in _others_in_stem(b, fact, "number")]
    if sum_of_others(value, others):
        return []  # "113 morts : les _____ personnes à bord et 4 au sol": a subtraction
    blanked = _figures_only(fact)
    accepted = number_forms(float(blanked.value), blanked.text)
    drafts = [cloze(b, blanked, blanked.text, ["number"], accepted, qtype="numeric")]
    if b.flip(fact, "tf-number") and not MONTH_AFTER.match(fact.paragraph.text, fact.span.end):
        candidates = number_candidates(fact, b.pools, fact.paragraph.lang)
        for wrong in pick(fact.text, [_evidence(fact)], candidates, want=6):
            number = _number(wrong, fact.paragraph.lang)
            if number is not None and order_kept(value, number, others):
                drafts.append(true_false(b, fact, wrong, tags=["number"]))
                break
    return [d for d in drafts if d]


def _in_a_persons_apposition(b: Builder, fact: Fact) -> bool:
    """Whether a date only describes a person named before it ("Halfdan Mahler,
    directeur général de l'OMS de 1973 à 1988, a soutenu…"): a side detail."""
    text = fact.paragraph.text
    people = [f for f in b.facts_in(fact.paragraph) if f.kind == "person"]
    for person in people:
        opening = re.match(r",\s+", text[person.span.end :])
        if opening is None:
            continue
        start = person.span.end + opening.end()
        closing = text.find(",", start)
        inside = start <= fact.span.start and fact.span.end <= closing
        if inside and closing - start < 90 and ". " not in text[start:closing]:
            return True
    return False


def _figures_only(fact: Fact) -> Fact:
    """The number without its scale word, which stays in the sentence: "environ _____
    millions de cas" is answered "15", as the learner would."""
    figures, _, scale = fact.text.partition(" ")
    if not scale or scale.lower() not in SCALES:
        return fact
    span = Span(fact.span.start, fact.span.start + len(figures))
    return replace(fact, text=figures, span=span, value=float(fact.value) / SCALES[scale.lower()])


def _number(text: str, lang: str) -> float | None:
    """The value of a number as written, or None when it is no number."""
    try:
        return number_value(text, lang)
    except ValueError:
        return None


def institution_questions(b: Builder, fact: Fact) -> list[Draft]:
    """A blank on the name, with choices of the same fine kind when enough fit it."""
    if fact.data.get("short"):
        return []  # "la Convention": too vague to ask about by itself
    kind = b.pools.kind(fact)
    if _words_of_title(fact.text, b.sheet.title):
        return []  # "l'entreprise Eiffel et Cie" on "La tour Eiffel"
    if described(fact.text):
        return []  # "le _____ n'avait pas été éprouvé": protocole, vaccin, traitement…
    tags = ["institution"] + (["treaty"] if kind == "treaty" else [])
    if kind == "country":
        tags = ["place"]
        if _in_title(fact, b.sheet.title):
            return []  # "Fédération de Russie" on "Les relations OTAN-Russie": the subject
    candidates = b.pools.names(fact, b.seed(fact))
    accepted = name_forms(fact, b.alias(fact.text))
    draft = cloze(b, fact, fact.text, tags, accepted, candidates)
    return [draft] if draft else []


# "Moins de trois semaines plus tard": an upper bound, which "quatre" satisfies as well.
# "avec Moscou", "against Moscow": a capital standing for its state.
LOCATIVE_BEFORE = re.compile(r"\b(?:à|au|de|d['’]|depuis|vers|in|at|from|to)\s+$", re.I)
# "de 1991 à _____", "from 1991 to _____": a year bounding a range.
RANGE_END = re.compile(
    r"\b(?:de|from|between|entre)\s+\d{4}\s*(?:à|au|to|until|and|et|-|–)\s*$", re.I
)
# "1946–47": the range's end in two figures, which a blank before it would leave dangling.
RANGE_START = re.compile(r"\s*(?:à|au|to|until|and|et|-|–)\s*\d{4}\b|[-–/]\d{2}\b", re.I)
COORDINATION = re.compile(r"\s*(?:,|et|and|&)\s*", re.I)
LESS_THAN = re.compile(r"\b(?:moins de|less than|fewer than|under)\s*$", re.I)


def entity_questions(b: Builder, fact: Fact) -> list[Draft]:
    """People and places: choices of the same fine kind when enough fit, else a blank."""
    if fact.kind == "place" and _home(b, fact):
        return []  # the sheet's own place ("Russie" 41 times, Paris for the Eiffel Tower)
    if fact.kind == "place" and b.pools.kind(fact) == "place":
        return []  # a place nothing says the kind of ("au bord de la Seine"): a guess
    if _in_title(fact, b.sheet.title) or _named_in(fact, b.sheet.title):
        return []  # "Gustave Eiffel" on "La tour Eiffel": the title gives the answer
    if b.pools.kind(fact) == "city" and is_subject(b.doc(fact.paragraph), fact):
        return []  # "Moscou continue de ...": the city stands for a state, and so might others
    if b.pools.kind(fact) == "city" and _stands_for_its_state(b, fact):
        return []  # "coopération avec _____" beside "la Russie": Moscou, or Russie as well
    if b.pools.kind(fact) == "city" and _its_country_named(b, fact):
        return []  # "un bureau à _____ … pour la diffusion, en Russie": Moscou, surely
    if fact.kind == "person" and common_word_opening(b, fact):
        return []  # "Rocher granitique…", "Other Jewish religious writings": no one's name
    candidates = b.pools.names(fact, b.seed(fact))
    if fact.kind == "person":
        candidates = b.contemporaries(fact, b.described_alike(fact, candidates))
        candidates = b.compatriots(fact, candidates)
        candidates = fullest_from(candidates, b.fuller_names(), fact.text)
    if fact.kind == "person" and _beside_a_place(b, fact):
        candidates = []  # "entre Madeleine et Bibliothèque…": a station named after someone
    if fact.kind == "place" and BUILDING_LOCATED.search(fact.paragraph.text[: fact.span.start]):
        return []  # "St Mark's Monastery in _____": where a building stands, a side detail
    if fact.kind == "place" and LOCATED_AFTER.match(fact.paragraph.text, fact.span.end):
        candidates = []  # "à _____, près de Vevey": the clue rules out every other town
    listed = [f for f in _others_in_stem(b, fact, "place") if b.pools.kind(f) == b.pools.kind(fact)]
    if fact.kind == "person":
        listed = _others_in_stem(b, fact, "person")
    if len(listed) >= 2:
        candidates = []  # one of a list of states or people ("Wagner, _____, Bruckner and
        # Mahler"): what else could fit, the list does not say
    accepted = name_forms(fact)
    if fact.kind == "person":
        accepted = distinct(fact.text, [*accepted, *same_person_forms(fact.text, b.people())])
    draft = cloze(b, fact, fact.text, [fact.kind], accepted, candidates)
    return [draft] if draft else []


def _beside_a_place(b: Builder, fact: Fact) -> bool:
    """Whether a person's name is coordinated with a place's ("entre Madeleine et
    Bibliothèque François-Mitterrand"): it names a place, and people are no choice."""
    text = fact.paragraph.text
    for place in _others_in_stem(b, fact, "place"):
        if place.span.start >= fact.span.end:
            between = text[fact.span.end : place.span.start]
        else:
            between = text[place.span.end : fact.span.start]
        if COORDINATION.fullmatch(between):
            return True
    return False


def _its_country_named(b: Builder, fact: Fact) -> bool:
    """Whether the quoted sentence names the country of a city the locale data knows
    (the world's best-known: Moscou with "en Russie", Amsterdam with "aux Pays-Bas"):
    the country all but gives it. ("à _____, en Somalie" for Merca asks a fact.)"""
    country = city_country(fact.text)
    return country is not None and any(
        country_code(f.text) == country for f in _others_in_stem(b, fact, "place")
    )


def _stands_for_its_state(b: Builder, fact: Fact) -> bool:
    """Whether a city not set as a place ("à Moscou") stands for its state, the sheet's
    own ("appelé Moscou à…" on NATO and Russia). (One whose country the sentence names
    is never asked: see ``_its_country_named``.)"""
    before = fact.paragraph.text[max(0, fact.span.start - 20) : fact.span.start]
    country = b.country_of(fact.text)
    if country is None or LOCATIVE_BEFORE.search(before):
        return False
    homes = [n for n in b.place_mentions if _home_name(b, n) and place_kind(n, None) == "country"]
    return any(country_code(name) == country for name in homes)


def _words_of_title(name: str, title: str) -> bool:
    """Whether every word of a name is a word of the sheet's title ("Eiffel")."""
    words = [w for w in re.split(r"[\s'’-]+", fold(name)) if w and w not in LINK_WORDS]
    return bool(words) and set(words) <= set(re.split(r"[\s'’-]+", fold(title)))


def _home(b: Builder, fact: Fact) -> bool:
    """Whether ``fact`` is the place the sheet is about."""
    return _home_name(b, fold(fact.text))


def _home_name(b: Builder, folded: str) -> bool:
    """Whether a (folded) place name is the one the sheet is about: named far more than
    any other (more than nine times), or the most named, with a quarter of all mentions."""
    mentions = b.place_mentions[folded]
    total = sum(b.place_mentions.values())
    most = b.place_mentions.most_common(1)[0][1] if total else 0
    return mentions > 9 or (mentions >= 3 and mentions == most and mentions * 4 >= total)


def _in_title(fact: Fact, title: str) -> bool:
    """Whether a place or a state is the sheet's subject: the title names it, or a
    distinctive word of it ("Russie" in "Les relations OTAN-Russie")."""
    words = set(re.split(r"[\s'’-]+", fold(title)))
    return fold(fact.text) in fold(title) or any(fold(w) in words for w in hint_words(fact.text))


def _named_in(fact: Fact, title: str) -> bool:
    """Whether a person's surname is a word of the sheet's title."""
    surname = fact.text.split()[-1]
    return fact.kind == "person" and fold(surname) in fold(title).split()


BUILDERS = {
    "date": date_questions,
    "number": number_questions,
    "institution": institution_questions,
    "acronym": acronym_questions,
    "treaty": treaty_questions,
    "person": entity_questions,
    "place": entity_questions,
}
