"""Fact finders, kind by kind: tables of sentences and the facts they state.

Each row runs the real pipeline stage (spaCy's French model, or the blank
English pipeline) on one paragraph of text.
"""

from __future__ import annotations

import pytest

from quiz.generate.facts import facts_in_paragraph
from quiz.generate.model import DateValue, Fact, Paragraph
from quiz.generate.nlp import parse_all
from quiz.generate.normalize import matching_text

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it


def paragraph(text: str, lang: str, index: int = 0) -> Paragraph:
    return Paragraph(anchor=f"p-{index}", index=index, text=text, lang=lang)


def find(text: str, lang: str = "fr", previous: list[Fact] | None = None) -> list[Fact]:
    doc = parse_all([matching_text(text)], lang)[0]
    return facts_in_paragraph(paragraph(text, lang), doc, previous or [])


def of_kind(facts: list[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind]


DATES = [
    ("fr", "La dernière réunion du COR remonte au 12 janvier 2022.", "12 janvier 2022",
     DateValue(2022, 1, 12, precision="day")),
    ("fr", "Le sommet s'est ouvert le 1er mars 1999 à Genève.", "1er mars 1999",
     DateValue(1999, 3, 1, precision="day")),
    ("fr", "29 Sep. 2015Le secrétaire général s'est entretenu à New York.", "29 Sep. 2015",
     DateValue(2015, 9, 29, precision="day")),
    ("en", "NATO's air campaign began on 12 March 1999.", "12 March 1999",
     DateValue(1999, 3, 12, precision="day")),
    ("en", "The treaty was signed on March 12, 1999 in Washington.", "March 12, 1999",
     DateValue(1999, 3, 12, precision="day")),
    ("fr", "L'attaque a eu lieu à Salisbury en mars 2018.", "mars 2018",
     DateValue(2018, 3, precision="month")),
    ("fr", "Les réunions ont été suspendues jusqu'au printemps 2009.", "printemps 2009",
     DateValue(2009, qualifier="spring", precision="season")),
    ("fr", "Plus de 100 000 soldats étaient prêts au combat début 2022.", "début 2022",
     DateValue(2022, qualifier="early", precision="year")),
    ("fr", "Des troupes ont été déployées à la fin des années 1990.", "fin des années 1990",
     DateValue(1990, qualifier="late", precision="decade")),
    ("en", "The ozone hole was measured in the late 1980s.", "late 1980s",
     DateValue(1980, qualifier="late", precision="decade")),
    ("en", "Russia joined the Partnership for Peace in 1994.", "1994", DateValue(1994)),
    ("fr", "La Russie a rejoint le Partenariat pour la paix en 1994.", "1994", DateValue(1994)),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "answer", "value"), DATES)
def test_dates(lang: str, text: str, answer: str, value: DateValue) -> None:
    dates = of_kind(find(text, lang), "date")
    assert [(d.text, d.value) for d in dates] == [(answer, value)]
    assert text[dates[0].span.start : dates[0].span.end] == answer


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Tél. : +32 2 707 5041"),
        ("fr", "E-mail : presse2019@example.org"),
        ("fr", "L'effectif a été ramené de 30 à 20 personnes."),
        ("fr", "Le vol MH17 figure au dossier n° 2019 du tribunal."),
        ("en", "See https://www.example.org/2021/report for the details."),
    ],
)
def test_never_a_date(lang: str, text: str) -> None:
    assert of_kind(find(text, lang), "date") == []


def test_same_month_resolves_to_the_sentence_before() -> None:
    before = find("En octobre 2021, l'OTAN a retiré leur accréditation à huit membres.")
    dates = of_kind(find("Le même mois, la Russie a suspendu sa mission.", previous=before), "date")
    assert [(d.text, d.value, d.data.get("relative")) for d in dates] == [
        ("Le même mois", DateValue(2021, 10, precision="month"), True)
    ]


def test_same_month_stays_unresolved_when_ambiguous() -> None:
    before = find("En octobre 2021 et en décembre 2021, les Alliés ont protesté.")
    assert of_kind(find("Le même mois, la Russie a répondu.", previous=before), "date") == []


ACRONYMS = [
    ("fr", "En 2002, le CCP a été remplacé par le Conseil OTAN-Russie (COR), qui devait piloter la coopération.",
     "Conseil OTAN-Russie", "COR"),
    ("fr", "L'Acte fondateur a permis la création du Conseil conjoint permanent OTAN-Russie (CCP) comme forum.",
     "Conseil conjoint permanent OTAN-Russie", "CCP"),
    ("fr", "La Russie a participé notamment à la Force pour le Kosovo (KFOR), dirigée par l'OTAN.",
     "Force pour le Kosovo", "KFOR"),
    ("fr", "La Russie viole le traité sur les forces nucléaires à portée intermédiaire (FNI), au détriment de tous.",
     "traité sur les forces nucléaires à portée intermédiaire", "FNI"),
    ("fr", "L'Organisation des Nations unies (ONU) a été fondée en 1945.",
     "Organisation des Nations unies", "ONU"),
    ("fr", "Le télescope a été réalisé avec la NASA et l’Agence spatiale canadienne (ASC), puis lancé.",
     "Agence spatiale canadienne", "ASC"),
    ("en", "The North Atlantic Treaty Organization (NATO) was founded in 1949.",
     "North Atlantic Treaty Organization", "NATO"),
    ("en", "The Scientific Committee on Antarctic Research (SCAR) coordinates research.",
     "Scientific Committee on Antarctic Research", "SCAR"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "name", "acronym"), ACRONYMS)
def test_institutions_with_acronyms(lang: str, text: str, name: str, acronym: str) -> None:
    facts = find(text, lang)
    assert name in [f.text for f in of_kind(facts, "institution")]
    acronyms = of_kind(facts, "acronym")
    assert [(a.text, a.value) for a in acronyms] == [(acronym, name)]


NAMES = [
    ("fr", "La Russie est devenue membre du Conseil de coopération nord-atlantique (en 1991).",
     "Conseil de coopération nord-atlantique", "organisation"),
    ("fr", "La Russie a rejoint le programme du Partenariat pour la paix (en 1994).",
     "Partenariat pour la paix", "organisation"),
    ("fr", "Les Alliés ont appelé la Russie à revenir au respect total du traité « Ciel ouvert ».",
     "traité « Ciel ouvert »", "treaty"),
    ("fr", "Ils souhaitent un règlement dans le cadre des accords de Minsk.", "accords de Minsk", "treaty"),
    ("fr", "L'Acte fondateur OTAN-Russie, de 1997, a formalisé les relations.",
     "Acte fondateur OTAN-Russie", "treaty"),
    ("fr", "L’accord-cadre entre la Communauté européenne et l’ESA est entré en vigueur en mai 2004.",
     "accord-cadre entre la Communauté européenne et l’ESA", "treaty"),
    ("en", "The Antarctic Treaty sets Antarctica aside as a scientific preserve.", "Antarctic Treaty", "treaty"),
    ("en", "In May 1985, British Antarctic Survey scientists reported the ozone hole.",
     "British Antarctic Survey", "organisation"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "name", "category"), NAMES)
def test_named_institutions(lang: str, text: str, name: str, category: str) -> None:
    found = {f.text: f.data["category"] for f in of_kind(find(text, lang), "institution")}
    assert found.get(name) == category, found


def test_a_generic_treaty_is_no_name() -> None:
    """"un traité juridiquement contraignant" is no name to ask about, only a short
    mention what the sentence does to it hangs on (here: proposed)."""
    text = "Les autorités russes ont proposé un traité juridiquement contraignant."
    facts = find(text)
    assert [f.data.get("short") for f in of_kind(facts, "institution")] == [True]
    assert [f.data["action"] for f in of_kind(facts, "treaty")] == ["proposed"]


TREATIES = [
    ("fr", "Le fait que la Russie ne respecte plus depuis longtemps le Traité sur les forces armées "
           "conventionnelles en Europe inquiète les Alliés.",
     "Traité sur les forces armées conventionnelles en Europe", "stopped_respecting", "la Russie"),
    ("fr", "La Russie viole le traité sur les forces nucléaires à portée intermédiaire (FNI).",
     "traité sur les forces nucléaires à portée intermédiaire", "violated", "La Russie"),
    ("fr", "En juin 2021, ils ont regretté la décision de la Russie de se retirer du traité « Ciel ouvert ».",
     "traité « Ciel ouvert »", "withdrew", "la Russie"),
    ("fr", "En 2023, la Russie a révoqué sa ratification du traité d'interdiction complète des essais "
           "nucléaires (TICE).",
     "traité d'interdiction complète des essais nucléaires", "revoked_ratification", "la Russie"),
    ("en", "The Antarctic Treaty was signed in Washington on 1 December 1959 by twelve countries.",
     "Antarctic Treaty", "signed", None),
    ("fr", "L'Italie a ratifié la Convention en 1999.", "Convention", "ratified", "L'Italie"),
    ("en", "In 2007 Russia suspended the Treaty on Conventional Armed Forces in Europe.",
     "Treaty on Conventional Armed Forces in Europe", "suspended", "Russia"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "treaty", "action", "party"), TREATIES)
def test_treaty_actions(lang: str, text: str, treaty: str, action: str, party: str | None) -> None:
    actions = [
        (f.text, f.data["action"], f.data["party"]) for f in of_kind(find(text, lang), "treaty")
    ]
    assert (treaty, action, party) in actions, actions


NUMBERS = [
    ("fr", "L'effectif a été ramené de 30 à 20 personnes.", [("30", 30, "personnes"), ("20", 20, "personnes")]),
    ("fr", "Il y avait plus de 100 000 soldats prêts au combat.", [("100 000", 100_000, "soldats")]),
    ("fr", "Le COR s'est réuni à onze reprises depuis 2016.", [("onze", 11, "reprises")]),
    ("fr", "L'armée disposait alors de 2 500 chars.", [("2 500", 2_500, "chars")]),
    ("fr", "Le programme a coûté 3 milliards de dollars.", [("3 milliards", 3e9, "dollars")]),
    ("en", "It covers an area of about 14 million square kilometres.",
     [("14 million", 14e6, "square kilometres")]),
    ("en", "The treaty was signed by twelve countries.", [("twelve", 12, "countries")]),
    ("fr", "Tél. : +32 2 707 5041", []),
    ("fr", "Le 1er mars, le vol MH17 a décollé.", []),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), NUMBERS)
def test_numbers(lang: str, text: str, expected: list[tuple[str, float, str]]) -> None:
    numbers = of_kind(find(text, lang), "number")
    assert [(n.text, n.value, n.data["unit"]) for n in numbers] == expected


PEOPLE_AND_PLACES = [
    ("fr", "Le secrétaire général de l'OTAN, M. Jens Stoltenberg, a rencontré M. Sergueï Lavrov au "
           "Palais d'Egmont à Bruxelles.",
     {"Jens Stoltenberg", "Sergueï Lavrov"}, {"Palais d'Egmont", "Bruxelles"}),
    ("fr", "La Russie est impliquée dans l'attaque contre Alekséï Navalny, figure de l'opposition russe.",
     {"Alekséï Navalny"}, set()),
    ("fr", "Un agent neurotoxique a été utilisé à Salisbury en mars 2018.", set(), {"Salisbury"}),
    ("fr", "Les pourparlers se sont tenus à Genève.", set(), {"Genève"}),
    ("en", "In May 1985, scientists led by Joseph Farman reported the discovery.", {"Joseph Farman"}, set()),
    ("en", "The Soviet research station Vostok recorded the lowest temperature.", set(), {"Vostok"}),
    ("en", "Talks were held in Geneva in 1985.", set(), {"Geneva"}),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "people", "places"), PEOPLE_AND_PLACES)
def test_people_and_places(lang: str, text: str, people: set[str], places: set[str]) -> None:
    facts = find(text, lang)
    assert people <= {f.text for f in of_kind(facts, "person")}
    assert places <= {f.text for f in of_kind(facts, "place")}


def test_every_fact_span_and_evidence_point_into_the_paragraph() -> None:
    text = (
        "Au lendemain de l'attaque à Salisbury en mars 2018, l'effectif de la mission a été "
        "ramené de 30 à 20 personnes. Le Conseil OTAN-Russie (COR) ne s'est plus réuni."
    )
    for fact in find(text):
        assert text[fact.span.start : fact.span.end] == fact.text
        assert fact.evidence.start <= fact.span.start < fact.span.end <= fact.evidence.end
