"""The faults blind review H1 found in batch H (tests/data/review/h: la Loire, les Jeux
olympiques de Paris 1924, the voyage of the Beagle, Beethoven's Ninth Symphony), and those a
second sample of the batch showed once H1's were fixed ("H, 2nd sample"), one row per fault
class: each row looks at the questions of the sheet its example came from and fails if the
fault is back.

The checks are the test's own plain string rules, never the generator's; the batch is
generated once, with the other reviewed batches, by test_review_faults' fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from test_review_faults import (  # noqa: F401 (generated: a fixture)
    assert_fault_gone,
    generated,
    label,
)
from test_review_faults_d import BLANK, first_sentence

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

Json = dict[str, Any]
MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
SOUTH_AMERICA = {"Argentina", "Brazil", "Chile", "Peru", "Uruguay", "Colombia", "Venezuela"}


def with_blank(qs: list[Json], pattern: str) -> list[str]:
    """The questions whose prompt matches ``pattern`` (``BLANK`` stands for the blank)."""
    found = re.compile(pattern.replace("BLANK", BLANK))
    return [label(q) for q in qs if found.search(q["prompt"])]


def answer_spelled_by_its_people(qs: list[Json], _: str) -> list[str]:
    """"a group of Viennese admirers … keep it in _____": Vienna."""
    faults = []
    for q in qs:
        answer = str(q["answer"])
        root = answer.rstrip("aeiouy")
        if re.search(BLANK, q["prompt"]) and len(root) >= 4 and " " not in answer:
            if re.search(rf"\b{re.escape(root)}(?!{re.escape(answer[len(root):])}\b)\w+", q["prompt"]):
                faults.append(label(q))
    return faults


def count_of_the_list_after_it(qs: list[Json], _: str) -> list[str]:
    """« _____ départements portent son nom — la Haute-Loire, la Loire, … »: count them."""
    faults = []
    for q in (q for q in qs if q["type"] == "numeric"):
        after = re.split(BLANK, q["prompt"], maxsplit=1)[-1]
        for part in re.split(r"\s*[—–]\s*|[:;()]", after):
            items = 1 + len(re.findall(r"(?:,|\bet\b|\band\b)\s+(?:la|le|les|l'|the)\b", part))
            if str(q["answer"]).lower() in ("six", "6", "four", "4") and items in (4, 6):
                faults.append(label(q))
    return faults


def article_before_a_possessive_title(qs: list[Json], _: str) -> list[str]:
    """"The Beethoven's Ninth Symphony travelled far beyond Europe"."""
    return with_blank(qs, r"\b[Tt]he [A-Z]\w+'s Ninth\b")


def in_turn_after_whom(qs: list[Json], _: str) -> list[str]:
    """"The leaders of the European Community adopted it in turn in _____": adopted what?"""
    return [label(q) for q in qs if re.search(r"\bit in turn\b", first_sentence(q))]


def perimeter_of_what(qs: list[Json], _: str) -> list[str]:
    """« Le périmètre, long d'environ 280 kilomètres, … » of what?"""
    return [label(q) for q in qs if first_sentence(q).startswith("Le périmètre")]


def quoted_name_cut(qs: list[Json], _: str) -> list[str]:
    """« le “_____ nature” »: the blank holds a piece of “Plan Loire grandeur nature”."""
    return with_blank(qs, r"“BLANK\s+\w|\w\s+BLANK”")


def north_america_for_south(qs: list[Json], _: str) -> list[str]:
    """Canada and the United States offered for Chile or Brazil."""
    return [
        label(q)
        for q in qs
        if q["type"] == "mcq"
        and q["answer"] in SOUTH_AMERICA
        and {"Canada", "United States"} & set(q["choices"])
    ]


def quoted_nickname_with_choices(qs: list[Json], _: str) -> list[str]:
    """"‘Daiku’ (‘_____’)" with Michael Umlauf and Joseph Seipelt among the choices."""
    return [label(q) for q in qs if q["type"] == "mcq" and re.search(rf"‘{BLANK}’", q["prompt"])]


def another_country_in_brackets(qs: list[Json], text: str) -> list[str]:
    """"_____ et Eric Liddell (Grande-Bretagne)" with Paavo Nurmi, whom the sheet writes
    "(Finlande)", among the choices."""
    plain = re.sub(r"<[^>]+>", "", text)
    country_of = {
        m["name"]: m["country"]
        for m in re.finditer(r"(?P<name>[A-Z]\w+ [A-Z]\w+) \((?P<country>[A-ZÉ][\w-]+)\)", plain)
    }
    faults = []
    for q in (q for q in qs if q["type"] == "mcq"):
        said = re.search(rf"{BLANK}(?: et [A-Z]\w+ [A-Z]\w+)? \(([A-ZÉ][\w-]+)\)", q["prompt"])
        if said and any(country_of.get(c, said[1]) != said[1] for c in q["choices"]):
            faults.append(label(q))
    return faults


def year_of_a_series(qs: list[Json], _: str) -> list[str]:
    """« en _____, 1856 et 1866 »: the series' spacing gives it."""
    return with_blank(qs, r"BLANK, \d{4} et \d{4}|\d{4}, BLANK et \d{4}|\d{4}, \d{4} et BLANK")


def year_everyone_knows(qs: list[Json], _: str) -> list[str]:
    """"At Christmas _____, weeks after the fall of the Berlin Wall": 1989."""
    return [label(q) for q in qs if q["answer"] == "1989" and "Berlin Wall" in q["prompt"]]


def deduced_place(qs: list[Json], _: str) -> list[str]:
    """« relia le fleuve au bassin de la Seine et donc à _____ »: Paris."""
    return with_blank(qs, r"\bdonc à BLANK")


def tail_of_a_place_name(qs: list[Json], _: str) -> list[str]:
    """"the Cape of _____": Good Hope, half a name."""
    return with_blank(qs, r"\bCape of BLANK")


def continent_of_a_species(qs: list[Json], _: str) -> list[str]:
    """« Le castor d'_____ »: Europe."""
    return with_blank(qs, r"\bcastor d'BLANK")


def day_of_an_undated_month(qs: list[Json], _: str) -> list[str]:
    """« Le _____ juillet, il gagne le 1 500 m »: the day alone."""
    return [
        label(q)
        for q in qs
        if q["type"] == "numeric" and re.search(rf"{BLANK}\s+(?:{MONTHS})\b", q["prompt"])
    ]


def pool_named_after_someone(qs: list[Json], _: str) -> list[str]:
    """« aujourd'hui piscine _____ » with Liddell, Altius and Tarzan as choices."""
    return [label(q) for q in qs if q["type"] == "mcq" and re.search(rf"piscine {BLANK}", q["prompt"])]


def century_as_a_place(qs: list[Json], _: str) -> list[str]:
    """« au XIIᵉ » offered beside « à l'Atlantique » and « au Clos Lucé »."""
    century = re.compile(r"\b[IVXLC]+(?:ᵉ|e)\b")
    return [label(q) for q in qs if any(century.search(c) for c in q["choices"])]


def countries_without_article_given_one(qs: list[Json], _: str) -> list[str]:
    """« le Cuba » beside « les États-Unis »."""
    return [label(q) for q in qs if {"le Cuba", "au Cuba"} & set(q["choices"])]


def fact_box_line(qs: list[Json], _: str) -> list[str]:
    """"125 · Composed 1822–1824 · First performed in _____ on 7 May 1824 · …"."""
    return [label(q) for q in qs if q["prompt"].count(" · ") >= 2]


def translation_in_brackets(qs: list[Json], _: str) -> list[str]:
    """"the Staatsbibliothek zu Berlin (_____)": Berlin State Library, accepted "Library"."""
    return with_blank(qs, r"zu Berlin \(BLANK\)")


def people_of_other_roles_for_a_list(qs: list[Json], _: str) -> list[str]:
    """"Wagner, _____, Bruckner and Mahler" with the premiere's soloists as choices."""
    return [label(q) for q in qs if q["type"] == "mcq" and "Bruckner" in q["prompt"]]


def particle_as_a_surname(qs: list[Json], _: str) -> list[str]:
    """« d'Arc » accepted alone for « Jeanne d'Arc »."""
    return [label(q) for q in qs if any(re.match(r"(?:d'|de |du |von |van )", a) for a in q["accepted"])]


def opening_that_points_back(qs: list[Json], _: str) -> list[str]:
    """« C'est là qu'a lieu la cérémonie » (where?), « Les premières remontent » (which?)."""
    opening = re.compile(r"^(?:C'est là|Les premières remontent)")
    return [label(q) for q in qs if opening.match(first_sentence(q))]


def work_titles_as_people(qs: list[Json], _: str) -> list[str]:
    """"Coral Reefs" (accepted "Reefs"), "FitzRoy's Narrative" offered as people."""
    titles = {"Coral Reefs", "FitzRoy's Narrative", "Berlin State Library"}
    return [label(q) for q in qs if titles & {str(q["answer"]), *q["choices"]}]


ROWS: list[tuple[str, str, Callable[[list[Json], str], list[str]]]] = [
    ("worth: 'Viennese admirers … in _____' (H1)", "en-beethoven-ninth-symphony", answer_spelled_by_its_people),
    ("worth: the six départements listed after the blank (H1)", "fr-la-loire", count_of_the_list_after_it),
    ("worth: the four soloists listed after the blank (H1)", "en-beethoven-ninth-symphony", count_of_the_list_after_it),
    ("well-formed: 'The Beethoven's Ninth Symphony' (H1)", "en-beethoven-ninth-symphony", article_before_a_possessive_title),
    ("well-formed: 'adopted it in turn' (H1)", "en-beethoven-ninth-symphony", in_turn_after_whom),
    ("well-formed: « Le périmètre, … » of what? (H1)", "fr-la-loire", perimeter_of_what),
    ("well-formed: « “_____ nature” » (H1)", "fr-la-loire", quoted_name_cut),
    ("distractor: Canada, United States for Brazil (H1)", "en-voyage-of-the-beagle", north_america_for_south),
    ("distractor: people for ‘Number Nine’ (H1)", "en-beethoven-ninth-symphony", quoted_nickname_with_choices),
    ("distractor: Nurmi (Finlande) beside '(Grande-Bretagne)' (H1)", "fr-jeux-olympiques-paris-1924", another_country_in_brackets),
    ("worth: « en _____, 1856 et 1866 » (H1)", "fr-la-loire", year_of_a_series),
    ("worth: 1989 beside the fall of the Berlin Wall (H1)", "en-beethoven-ninth-symphony", year_everyone_knows),
    ("worth: « et donc à _____ » (H1)", "fr-la-loire", deduced_place),
    ("well-formed: 'the Cape of _____' (H1)", "en-voyage-of-the-beagle", tail_of_a_place_name),
    ("worth: « Le castor d'_____ » (H1)", "fr-la-loire", continent_of_a_species),
    ("worth: « Le _____ juillet » (H1)", "fr-jeux-olympiques-paris-1924", day_of_an_undated_month),
    ("distractor: « piscine _____ » with people (H1)", "fr-jeux-olympiques-paris-1924", pool_named_after_someone),
    ("distractor: « au XIIᵉ » as a place (H, 2nd sample)", "fr-la-loire", century_as_a_place),
    ("distractor: « le Cuba » (H, 2nd sample)", "fr-jeux-olympiques-paris-1924", countries_without_article_given_one),
    ("well-formed: a fact box line (H, 2nd sample)", "en-beethoven-ninth-symphony", fact_box_line),
    ("worth: a name's translation in brackets (H, 2nd sample)", "en-beethoven-ninth-symphony", translation_in_brackets),
    ("distractor: soloists for a composer of a list (H, 2nd sample)", "en-beethoven-ninth-symphony", people_of_other_roles_for_a_list),
    ("unambiguous: « d'Arc » accepted alone (H, 2nd sample)", "fr-la-loire", particle_as_a_surname),
    ("well-formed: « C'est là qu' » (H, 2nd sample)", "fr-jeux-olympiques-paris-1924", opening_that_points_back),
    ("well-formed: « Les premières remontent » (H, 2nd sample)", "fr-la-loire", opening_that_points_back),
    ("distractor: titles of works as people (H, 2nd sample)", "en-voyage-of-the-beagle", work_titles_as_people),
]  # fmt: skip


@pytest.mark.parametrize(("fault", "slug", "check"), ROWS, ids=[row[0] for row in ROWS])
def test_the_fault_is_gone(
    generated: dict[str, list[Json]],  # noqa: F811 (the imported fixture)
    fault: str,
    slug: str,
    check: Callable[[list[Json], str], list[str]],
) -> None:
    assert_fault_gone(generated, fault, slug, check)
