"""The faults blind review D1 found in batch D (tests/data/review/d: Swiss chocolate, the
Lighthouse of Alexandria, the Bayeux Tapestry) and E1 in batch E (tests/data/review/e:
Marie Curie, Concorde, the Rosetta Stone, penicillin) and F1 in batch F (tests/data/review/f:
Versailles, Jules Verne, the Great Fire of London, Gutenberg) and G1 in batch G
(tests/data/review/g: Mont-Saint-Michel, Louis Pasteur et la rage, the Wright brothers, the
Dead Sea Scrolls), one row per fault class: each row
looks at the questions of the sheet its example came from and fails if the fault is back.

The checks are the test's own plain string rules, never the generator's; the batch is
generated once, with the other reviewed batches, by test_review_faults' fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fault_counts import quoted_sentence
from test_review_faults import (  # noqa: F401 (generated: a fixture)
    REVIEW,
    assert_fault_gone,
    generated,
    label,
    sheet_text,
)

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

Json = dict[str, Any]
BLANK = r"_{3,}"


def first_sentence(q: Json) -> str:
    """The first sentence the prompt quotes ("" for a direct question)."""
    quoted = quoted_sentence(q["prompt"]) or ""
    return re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«“\"])", quoted, maxsplit=1)[0]


def referent_left_out(qs: list[Json], _: str) -> list[str]:
    """A quote whose first sentence leans on what it leaves out: « l'oeuvre » (which?),
    "The city itself", "Construction began" (of what?), « l'a inscrite » (what?), « est
    toutefois exportée » (against what?)."""
    leaning = re.compile(
        r"\bl['’]oeuvre\b|\bl['’]œuvre\b|^The city itself\b|^Construction began\b|"
        r"\bl['’]a inscrite\b|\btoutefois\b"
    )
    return [label(q) for q in qs if leaning.search(first_sentence(q))]


def name_gives_the_answer(qs: list[Json], _: str) -> list[str]:
    """A name in the prompt that spells the answer: "Heptastadion" for seven, "Seven
    Wonders" for seven, "Toblerone" for Tobler."""
    faults = []
    for q in qs:
        prompt, answer = q["prompt"], str(q["answer"])
        if not re.search(BLANK, prompt):
            continue
        if answer.lower() in ("seven", "7") and re.search(r"Heptastadion|Wonders", prompt):
            faults.append(label(q))
        words = [w for w in re.findall(r"[A-ZÀ-Ý][a-zà-ÿ]{3,}", answer)]
        if any(re.search(rf"\b{w}[a-zà-ÿ]+", prompt) for w in words):
            faults.append(f"{label(q)}: {answer!r}")
    return faults


def short_name_beside_the_blank(qs: list[Json], _: str) -> list[str]:
    """"of the _____ (CEAlex)": spelling out a short name the prompt gives."""
    return [label(q) for q in qs if re.search(rf"{BLANK}\s*\([A-Z]\w*[A-Z]\w*\)", q["prompt"])]


def form_the_sheet_uses_refused(qs: list[Json], text: str) -> list[str]:
    """A person's other name on the sheet refused: "Guillaume le Conquérant" for
    "Guillaume", "Harold" for "Harold Godwinson"."""
    faults = []
    for q in (q for q in qs if q["type"] in ("cloze", "mcq") and isinstance(q["answer"], str)):
        answer, accepted = q["answer"], {a.lower() for a in q["accepted"]}
        for other in ("Guillaume le Conquérant", "Harold"):
            longer_or_shorter = other.startswith(answer) or answer.startswith(other + " ")
            if answer != other and longer_or_shorter and other in text and other.lower() not in accepted:
                faults.append(f"{label(q)}: {other!r} refused")
    return faults


def bare_surname_among_full_names(qs: list[Json], _: str) -> list[str]:
    """Choices that mix a bare surname ("Kohler") with first-and-last names."""
    faults = []
    for q in (q for q in qs if q["type"] == "mcq" and "person" in q["tags"]):
        sizes = {len(c.split()) >= 2 for c in q["choices"]}
        if len(sizes) > 1:
            faults.append(label(q))
    return faults


def choices_ruled_out_by_a_clue(qs: list[Json], _: str) -> list[str]:
    """"à _____, près de Vevey, sur les bords du lac Léman" with Zurich and Berne offered."""
    clue = re.compile(rf"{BLANK}\s*,\s*(?:près de|dans le canton de|sur les bords)")
    return [label(q) for q in qs if q["type"] == "mcq" and clue.search(q["prompt"])]


def spaces_inside_quotes(qs: list[Json], _: str) -> list[str]:
    """“ Swissness ”: French guillemets turned to quotes with their spaces kept."""
    return [label(q) for q in qs if re.search(r"“\s|\s”", q["prompt"])]


def clause_left_without_its_date(qs: list[Json], text: str) -> list[str]:
    """"L'histoire … commence, lorsque…": an event to order broken where its date was."""
    faults = []
    for q in (q for q in qs if q["type"] == "order"):
        for event in q["answer"]:
            for word in re.findall(r"(\w+), (?:lorsque|lorsqu|quand|when)\b", event):
                if not re.search(rf"\b{word}, (?:lorsque|lorsqu|quand|when)\b", text):
                    faults.append(f"{event!r}")
    return faults


def person_pronoun_without_a_name(qs: list[Json], _: str) -> list[str]:
    """"On 3 September 1928 he called…": who? A quote whose first sentence says "he" or
    "his" with no name before it (months and dates name nobody)."""
    faults = []
    for q in qs:
        first = first_sentence(q)
        pronoun = re.search(r"\b(?:he|his|him|she|her)\b", first)
        months = r"January|February|March|April|May|June|July|August|September|October|November|December"
        openers = "On|In|At|According|During|After|Before|The|A|An|When|Since|By"
        names = rf"\b(?!(?:{months}|{openers})\b)[A-Z]"
        if pronoun and not re.search(names, first[: pronoun.start()]):
            faults.append(label(q))
    return faults


def opening_on_nor(qs: list[Json], _: str) -> list[str]:
    """"Nor was the man…": a quote opening on what the sentence before denied."""
    return [label(q) for q in qs if re.match(r"(?:Nor|Neither)\b", quoted_sentence(q["prompt"]) or "")]


def caption_as_a_sentence(qs: list[Json], _: str) -> list[str]:
    """"Demotic (middle): a cursive script…; 32 lines.": a caption quoted as a sentence."""
    caption = re.compile(r"^[A-Z]\w*(?: \w+)?\s*\((?:top|middle|bottom)\)\s*:")
    return [label(q) for q in qs if caption.match(quoted_sentence(q["prompt"]) or "")]


def plural_subject_singular_pronoun(qs: list[Json], _: str) -> list[str]:
    """« Quand les Curie annoncent-elle… ? »: a plural subject, a singular pronoun."""
    return [label(q) for q in qs if re.search(r"\bles [A-Z]\w+ \w+ent-(?:il|elle)\b", q["prompt"])]


def number_taken_for_a_place(qs: list[Json], _: str) -> list[str]:
    """"Mach" offered as a town ("voler à Mach 2")."""
    return [label(q) for q in qs if "Mach" in q["choices"]]


# The test's own sense classes of organisations, by a word of their name.
SENSES = {
    "agency": r"\b(?:Agency|Administration|Office|Agence)\b",
    "learned": r"\b(?:Institut|Institute|University|Université|Academy|School|École)\b",
    "funder": r"\b(?:Foundation|Fondation|Fund|Trust)\b",
    "museum": r"\b(?:Museum|Musée)\b",
    "international body": r"\bOrgani[sz]ation\b",
}


def sense_of(name: str) -> str | None:
    """The sense class a name's own words give, if any."""
    return next((sense for sense, words in SENSES.items() if re.search(words, name)), None)


def organisation_of_another_sense(qs: list[Json], _: str) -> list[str]:
    """A space agency offered for a learned body, a museum or the WHO for a funder."""
    faults = []
    for q in (q for q in qs if q["type"] == "mcq" and "institution" in q["tags"]):
        wanted = sense_of(str(q["answer"]))
        others = {sense_of(c) for c in q["choices"] if c != q["answer"]} - {None, wanted}
        if wanted and others:
            faults.append(label(q))
    return faults


MONTHS = (
    r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)"
)


def leaning_on_an_unnamed_time_or_person(qs: list[Json], _: str) -> list[str]:
    """« Le 20 juin suivant » (following what?), « Après sa mort, son collaborateur »
    (whose?) opening the quote."""
    leaning = re.compile(rf"\b\d{{1,2}}(?:er)? {MONTHS} suivant\b|^Après (?:sa|son|ses) ")
    return [label(q) for q in qs if leaning.search(first_sentence(q))]


def day_of_a_dated_month(qs: list[Json], _: str) -> list[str]:
    """"dated _____ November 1455": the day alone of a full date."""
    day = re.compile(rf"{BLANK}(?:er)? {MONTHS},? \d{{3,4}}", re.I)
    return [label(q) for q in qs if day.search(q["prompt"])]


def false_by_one_day(qs: list[Json], _: str) -> list[str]:
    """A false statement whose only change is the day of a date ("Tuesday 5 September"
    for the 4th)."""
    faults = []
    day_month = re.compile(rf"\b(\d{{1,2}})(?:er)? ({MONTHS})\b", re.I)
    for q in (q for q in qs if q["type"] == "true_false" and q["answer"] in ("False", "Faux")):
        shown = set(day_month.findall(q["prompt"]))
        true = set(day_month.findall(q["source"]["paragraph"]))
        for d, m in shown - true:
            if any(m2 == m and d2 != d for d2, m2 in true):
                faults.append(label(q))
    return faults


def note_about_the_sheet(qs: list[Json], _: str) -> list[str]:
    """"This sheet outlines…", "Dates are given in the Old Style calendar": the sheet's
    note about itself asked as a fact."""
    note = re.compile(r"\bThis sheet\b|\bDates are given\b|\bCette fiche\b")
    return [label(q) for q in qs if note.search(q["prompt"])]


def title_and_dates_as_a_sentence(qs: list[Json], _: str) -> list[str]:
    """« L'Île mystérieuse (1873-1875). » judged true or false, a title's number blanked."""
    entry = re.compile(r"^[^.;:()]{1,90}\([^()]*\d{4}[^()]*\)\.?$")
    return [label(q) for q in qs if entry.match(quoted_sentence(q["prompt"]) or "")]


def broken_name_among_choices(qs: list[Json], _: str) -> list[str]:
    """"Martin Luther's" and "Pope Pius" (Pius II) offered as people; "Homeless
    Londoners" among single persons."""
    broken = re.compile(r"['’]s$|^Pope \w+$|Londoners$")
    return [label(q) for q in qs if any(broken.search(c) for c in q["choices"])]


def one_end_of_a_span(qs: list[Json], _: str) -> list[str]:
    """« restaurée de 2004 à _____ », « De _____ à 1855, il est secrétaire »: one end of a
    span of years, a detail."""
    bound = re.compile(rf"\b(?:de|from) (?:\d{{4}} (?:à|to) {BLANK}|{BLANK} (?:à|to) \d{{4}})", re.I)
    return [label(q) for q in qs if bound.search(q["prompt"])]


def choice_the_sentence_names(qs: list[Json], text: str) -> list[str]:
    """"Louis Pasteur" offered in « Pasteur s'attaque à la rage avec ses collaborateurs,
    parmi lesquels _____ »: the sentence's subject, or the sheet's title person, as the
    other."""
    title = text.strip().splitlines()[0]
    faults = []
    for q in (q for q in qs if q["type"] == "mcq" and "person" in q["tags"]):
        for choice in (c for c in q["choices"] if c != q["answer"]):
            surname = choice.split()[-1]
            if re.search(rf"\b{re.escape(surname)}\b", q["prompt"] + " " + title):
                faults.append(f"{label(q)}: {choice!r}")
    return faults


def false_date_its_words_rule_out(qs: list[Json], _: str) -> list[str]:
    """A false date in "… on 30 January 1948, forty-five years to the day after its first
    flight" or after "Thursday,": the statement's own words say it is false."""
    ruling = re.compile(r"to the day|jour pour jour|(?:day|di), \d{1,2} [A-Z]", re.I)
    return [
        label(q)
        for q in qs
        if q["type"] == "true_false" and q["answer"] in ("False", "Faux")
        and "date" in q["tags"] and ruling.search(q["prompt"])
    ]


ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre"]
DAY_DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                      r"September|October|November|December) \d{4}\b")


def false_date_of_another_event(qs: list[Json], _: str) -> list[str]:
    """The false date of a statement is a date another reviewed sheet gives (Orville
    Wright's death, or a date of another batch, for Sukenik's purchase), or serves twice
    on one sheet."""
    slugs = {q["source"]["sheet"] for q in qs}
    sheets = [p for p in REVIEW.glob("*/*") if p.is_file() and p.stem not in slugs]
    others = " ".join(p.read_text(encoding="utf-8") for p in sheets)
    others = re.sub(r"&nbsp;|\s", " ", others)
    faults, seen = [], set()
    for q in qs:
        if q["type"] != "true_false" or q["answer"] not in ("False", "Faux"):
            continue
        for date in set(DAY_DATE.findall(q["prompt"])) - set(DAY_DATE.findall(q["source"]["paragraph"])):
            day, month, year = date.split()
            french = f"{day} {MOIS[ENGLISH_MONTHS.index(month)]} {year}"
            if date in others or french in others or date in seen:
                faults.append(f"{label(q)}: {date}")
            seen.add(date)
    return faults


def unit_conversion_blanked(qs: list[Json], _: str) -> list[str]:
    """"about 40 feet (_____ metres)", "_____ feet (about 37 metres)": worked out from
    the other unit."""
    conversion = re.compile(
        rf"\d[\d.,]*\s*[a-z]+\s*\((?:about\s+)?{BLANK}|{BLANK}\s*[a-z]+\s*\((?:about\s+)?\d"
    )
    return [label(q) for q in qs if conversion.search(q["prompt"])]


def range_tail_left(qs: list[Json], _: str) -> list[str]:
    """"In the _____–47": the blank cuts a range and its tail gives the answer."""
    return [label(q) for q in qs if re.search(rf"{BLANK}[–-]\d{{2}}\b", q["prompt"])]


def country_its_people_give(qs: list[Json], _: str) -> list[str]:
    """"near Le Mans, in _____, … French aviators": France."""
    people = {"France": r"\bFrench\b|\bfran[çc]ais", "Israel": r"\bIsraeli", "Italy": r"\bItalian"}
    return [
        label(q)
        for q in qs
        if re.search(BLANK, q["prompt"]) and q["answer"] in people
        and re.search(people[q["answer"]], q["prompt"], re.I)
    ]


def years_between_given_dates(qs: list[Json], _: str) -> list[str]:
    """« Le 6 juillet 1885 … conduit, _____ ans plus tard, à la fondation de l'Institut
    Pasteur » while the quiz dates the Institute 1888: a subtraction."""
    interval = re.compile(rf"\d{{4}}\b.*{BLANK} (?:ans|years) (?:plus tard|later)")
    return [label(q) for q in qs if interval.search(q["prompt"])]


def clause_joined_as_an_item(qs: list[Json], _: str) -> list[str]:
    """« un projet …, notamment enfin, une passerelle … remplace » and « notamment un
    barrage …, mis en service en 2009, utilise »: a clause of a list joined as a noun."""
    joined = re.compile(r"notamment (?:enfin|puis|ensuite)\b|notamment [^.;»]*, (?:utilise|remplace)\b")
    return [label(q) for q in qs if joined.search(q["prompt"])]


def ensemble_title_for_its_thing(qs: list[Json], _: str) -> list[str]:
    """« le Mont-Saint-Michel et sa baie se dresse au fond d'une baie »: the title names
    an ensemble, put in for the thing."""
    return [label(q) for q in qs if re.search(r"\bet sa baie (?:se|est|a|compte)\b", q["prompt"])]


def common_word_as_a_person(qs: list[Json], text: str) -> list[str]:
    """"Rocher" (« Rocher granitique ») and "Other Jewish" asked or offered as people."""
    faults = []
    for q in (q for q in qs if "person" in q["tags"]):
        for name in [q["answer"], *q["choices"]]:
            first = str(name).split()[0]
            if first[:1].isupper() and re.search(rf"\b{re.escape(first.lower())}\b", text):
                faults.append(f"{label(q)}: {name!r}")
    return faults


def place_of_a_building(qs: list[Json], _: str) -> list[str]:
    """"St Mark's Monastery in _____": where a named building stands, a side detail."""
    building = re.compile(rf"(?:Monastery|Church|Museum|Abbey) (?:in|at) {BLANK}")
    return [label(q) for q in qs if "place" in q["tags"] and building.search(q["prompt"])]


def description_as_the_answer(qs: list[Json], _: str) -> list[str]:
    """"protocole appliqué à Joseph Meister" for « le _____ n'avait pas été éprouvé »:
    vaccin, traitement or protocole fit the blank as well."""
    return [
        f"{label(q)}: {q['answer']!r}"
        for q in qs
        if isinstance(q["answer"], str) and re.match(r"[a-zé]+ [a-zéè]+(?:é|ée|és|ées|ed) ", q["answer"])
    ]


# (fault class, sheet slug of the example, the check)
ROWS: list[tuple[str, str, Callable[[list[Json], str], list[str]]]] = [
    ("well-formed: « l'oeuvre », « l'a inscrite »: which? (D1)", "fr-tapisserie-de-bayeux", referent_left_out),
    ("well-formed: « toutefois »: against what? (D1)", "fr-chocolat-suisse", referent_left_out),
    ("well-formed: 'The city itself', 'Construction began' (D1)", "en-lighthouse-of-alexandria", referent_left_out),
    ("worth: Heptastadion, Seven Wonders give seven (D1)", "en-lighthouse-of-alexandria", name_gives_the_answer),
    ("worth: Toblerone gives Tobler (D1)", "fr-chocolat-suisse", name_gives_the_answer),
    ("worth: spelling out « (CEAlex) » (D1)", "en-lighthouse-of-alexandria", short_name_beside_the_blank),
    ("key: Guillaume le Conquérant, Harold (D1)", "fr-tapisserie-de-bayeux", form_the_sheet_uses_refused),
    ("distractor: bare surnames beside full names (D1)", "fr-chocolat-suisse", bare_surname_among_full_names),
    ("distractor: towns the prompt's clue rules out (D1)", "fr-chocolat-suisse", choices_ruled_out_by_a_clue),
    ("well-formed: “ Swissness ” (D1)", "fr-chocolat-suisse", spaces_inside_quotes),
    ("order: « commence, lorsque » once the date is out (D1)", "fr-chocolat-suisse", clause_left_without_its_date),
    ("well-formed: 'he called' after a date, who? (E1)", "en-discovery-of-penicillin", person_pronoun_without_a_name),
    ("well-formed: 'Nor was the man' (E1)", "en-discovery-of-penicillin", opening_on_nor),
    ("well-formed: a caption quoted as a sentence (E1)", "en-rosetta-stone", caption_as_a_sentence),
    ("grammar: « les Curie annoncent-elle » (E1)", "fr-marie-curie", plural_subject_singular_pronoun),
    ("distractor: « Mach » as a town (E1)", "fr-concorde", number_taken_for_a_place),
    ("distractor: a space agency for a learned body (E1)", "en-rosetta-stone", organisation_of_another_sense),
    ("distractor: a museum, the WHO for a funder (E1)", "en-discovery-of-penicillin", organisation_of_another_sense),
    ("well-formed: « Le 20 juin suivant » (F1)", "fr-chateau-de-versailles", leaning_on_an_unnamed_time_or_person),
    ("well-formed: « Après sa mort, son collaborateur » (F1)", "fr-chateau-de-versailles", leaning_on_an_unnamed_time_or_person),
    ("worth: the day of 6 November 1455 alone (F1)", "en-gutenberg-printing-press", day_of_a_dated_month),
    ("worth: false by one day, 5 for 4 September (F1)", "en-great-fire-of-london", false_by_one_day),
    ("worth: the sheet's note about its dates (F1)", "en-great-fire-of-london", note_about_the_sheet),
    ("worth: « This sheet outlines… » (F1)", "en-gutenberg-printing-press", note_about_the_sheet),
    ("well-formed: a title and its dates as a statement (F1)", "fr-jules-verne", title_and_dates_as_a_sentence),
    ("distractor: « Martin Luther's », « Pope Pius » (F1)", "en-gutenberg-printing-press", broken_name_among_choices),
    ("distractor: « Homeless Londoners » as a person (F1)", "en-great-fire-of-london", broken_name_among_choices),
    ("worth: « restaurée de 2004 à _____ » (F1)", "fr-chateau-de-versailles", one_end_of_a_span),
    ("worth: « De _____ à 1855, il est secrétaire » (F1)", "fr-jules-verne", one_end_of_a_span),
    ("distractor: « Louis Pasteur » among his collaborators (G1)", "fr-louis-pasteur-rage", choice_the_sentence_names),
    ("distractor: a false date 'to the day after', after 'Thursday,' (G1)", "en-wright-brothers", false_date_its_words_rule_out),
    ("distractor: Orville's death as Sukenik's false date (G1)", "en-dead-sea-scrolls", false_date_of_another_event),
    ("worth: 'about 40 feet (_____ metres)' (G1)", "en-wright-brothers", unit_conversion_blanked),
    ("worth: '7.3 metres (_____ feet)' (G1)", "en-dead-sea-scrolls", unit_conversion_blanked),
    ("well-formed: 'In the _____–47' (G1)", "en-dead-sea-scrolls", range_tail_left),
    ("worth: 'near Le Mans, in _____, … French aviators' (G1)", "en-wright-brothers", country_its_people_give),
    ("worth: « _____ ans plus tard » after 1885, the Institute in 1888 (G1)", "fr-louis-pasteur-rage", years_between_given_dates),
    ("well-formed: « notamment enfin, une passerelle » (G1)", "fr-mont-saint-michel", clause_joined_as_an_item),
    ("well-formed: « le Mont-Saint-Michel et sa baie se dresse » (G1)", "fr-mont-saint-michel", ensemble_title_for_its_thing),
    ("distractor: « Rocher » as a person (G1)", "fr-mont-saint-michel", common_word_as_a_person),
    ("well-formed: 'Other Jewish' as a person (G1)", "en-dead-sea-scrolls", common_word_as_a_person),
    ("worth: 'St Mark's Monastery in _____' (G1)", "en-dead-sea-scrolls", place_of_a_building),
    ("unambiguous: « protocole appliqué à Joseph Meister » (G1)", "fr-louis-pasteur-rage", description_as_the_answer),
]  # fmt: skip


@pytest.mark.parametrize(("fault", "slug", "check"), ROWS, ids=[row[0] for row in ROWS])
def test_the_fault_is_gone(
    generated: dict[str, list[Json]],  # noqa: F811 (the imported fixture)
    fault: str,
    slug: str,
    check: Callable[[list[Json], str], list[str]],
) -> None:
    assert_fault_gone(generated, fault, slug, check)
