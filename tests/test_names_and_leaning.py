"""Tables of input → expected output for the pure stages review D1 called for: the
names a sheet gives one person, names that spell the answer, sentences that lean on
what the stem leaves out, and quotation marks nested in a French prompt; and for review
G1: people the sentence names as choices, descriptions as answers, a country its people
give, a title naming an ensemble, a list of clauses."""

from __future__ import annotations

import pytest

from quiz.generate.model import Span
from quiz.generate.questions.leaks import counted_by_name, country_given, embedded, sum_of_others
from quiz.generate.questions.people import fullest_forms, named_already, same_person_forms
from quiz.generate.questions.phrasing import nested
from quiz.generate.questions.stems import build_stems, leans, unquotable
from quiz.generate.questions.topic import name_topic
from quiz.generate.questions.worth import described

pytestmark = pytest.mark.no_database

BAYEUX = ["Guillaume", "Harold Godwinson", "Harold", "Guillaume le Conquérant", "Odon de Bayeux"]
PTOLEMIES = ["Ptolemy I Soter", "Ptolemy II Philadelphus", "Ptolemy"]


@pytest.mark.parametrize(
    ("answer", "names", "expected"),
    [
        ("Guillaume", BAYEUX, ["Guillaume le Conquérant"]),
        ("Harold Godwinson", BAYEUX, ["Harold"]),
        ("Odon de Bayeux", BAYEUX, []),
        ("Ptolemy I Soter", PTOLEMIES, []),  # "Ptolemy" names his son as well
        ("Ptolemy", PTOLEMIES, []),  # which of the two fuller names?
    ],
)
def test_same_person_forms(answer: str, names: list[str], expected: list[str]) -> None:
    assert same_person_forms(answer, names) == expected


SWISS = ["Charles-Amédée Kohler", "Kohler", "Rodolphe Lindt", "Lindt", "Cailler", "Theodor Tobler"]


@pytest.mark.parametrize(
    ("candidates", "answer", "expected"),
    [
        (["Kohler", "Cailler", "Lindt"], "Emil Baumann", ["Charles-Amédée Kohler", "Rodolphe Lindt"]),
        (["Theodor Tobler", "Rodolphe Lindt"], "Kohler", ["Tobler", "Lindt"]),
        (["Kohler", "Charles-Amédée Kohler"], "Emil Baumann", ["Charles-Amédée Kohler"]),
    ],
)
def test_fullest_forms(candidates: list[str], answer: str, expected: list[str]) -> None:
    assert fullest_forms(candidates, SWISS, answer) == expected


@pytest.mark.parametrize(
    ("text", "answer", "person", "expected"),
    [
        ("Le Toblerone est créé à Berne en 1908 par  et Emil Baumann.", "Theodor Tobler", True, True),
        ("Les Parisiens l'ont surnommée la Dame de fer.", "Paris", False, True),
        ("La tour domine Paris depuis 1889.", "Paris", False, False),  # the word itself: another check
        ("Scientists of the survey flew over Antarctica.", "British Antarctic Survey", False, False),
    ],
)
def test_embedded(text: str, answer: str, person: bool, expected: bool) -> None:
    assert embedded(text, answer, person) is expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("A causeway known as the Heptastadion, about  stadia long.", 7, True),
        ("Le Pentagone abrite  services.", 5, True),
        ("En octobre 2021, l'OTAN a retiré leur accréditation à  membres.", 8, False),
        ("The causeway was about  stadia long.", 7, False),
    ],
)
def test_counted_by_name(text: str, value: float, expected: bool) -> None:
    assert counted_by_name(text, value) is expected


@pytest.mark.parametrize(
    ("sentence", "lang", "topic", "expected"),
    [
        ("L'oeuvre raconte la conquête de l'Angleterre par Guillaume.", "fr", "La tapisserie de Bayeux", False),
        ("L'oeuvre raconte la conquête de l'Angleterre par Guillaume.", "fr", "Le chocolat suisse", True),
        ("En 2007, l'UNESCO l'a inscrite au registre Mémoire du monde.", "fr", "", True),
        ("La production nationale est toutefois exportée vers l'Allemagne.", "fr", "", True),
        ("The city itself had been founded by Alexander the Great in 331 BC.", "en", "", True),
        ("Construction began under Ptolemy I Soter around 280 BC.", "en", "", True),
        ("In 1994, a team led by Jean-Yves Empereur began surveying the seabed.", "en", "", False),
        ("On 3 September 1928 he called the active substance penicillin.", "en", "", True),
        ("In 1928 Alexander Fleming noticed that his culture was spoiled.", "en", "", False),
        ("Nor was the man who named penicillin a newcomer to the field.", "en", "", True),
        ("Après sa mort en 1670, son collaborateur François d'Orbay poursuit le chantier.", "fr", "", True),
        ("Le 20 juin suivant, les députés prêtent le serment du Jeu de paume.", "fr", "", True),
    ],
)
def test_leans(sentence: str, lang: str, topic: str, expected: bool) -> None:
    assert leans(sentence, lang, topic) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la législation dite « Swissness » encadre", "la législation dite “Swissness” encadre"),
        ("la mention «\u00a0suisse\u00a0»", "la mention “suisse”"),
        ("«Tour»", "“Tour”"),
    ],
)
def test_nested_french_quotes(text: str, expected: str) -> None:
    assert nested(text, "fr") == expected


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("Demotic (middle): a cursive script used for everyday documents; 32 lines.", "en", True),
        ("Hiéroglyphes : l'écriture sacrée des temples.", "fr", True),
        ("Juillet 2021 : le Comité du patrimoine mondial renonce à inscrire le site.", "fr", False),
        ("La BCE a eu quatre présidents : le Néerlandais Wim Duisenberg, de 1998 à 2003.", "fr", False),
        ("L'Île mystérieuse (1873-1875).", "fr", True),
        ("Dates are given in the Old Style (Julian) calendar, which England used until 1752.", "en", True),
        ("This sheet outlines the life of the man credited with it.", "en", True),
        ("Le Nautilus (1870) est le sous-marin du capitaine Nemo.", "fr", False),
    ],
)
def test_captions_are_not_quoted(sentence: str, lang: str, expected: bool) -> None:
    assert unquotable(sentence, lang) is expected


@pytest.mark.parametrize(
    ("value", "others", "expected"),
    [
        (109, [113, 4], True),  # "113 morts : les _____ personnes à bord et 4 au sol"
        (117, [113, 4], True),
        (100, [113, 4], False),
        (109, [113], False),
    ],
)
def test_sum_of_others(value: float, others: list[float], expected: bool) -> None:
    assert sum_of_others(value, others) is expected


@pytest.mark.parametrize(
    ("candidates", "texts", "expected"),
    [
        # the sentence's subject, and the sheet's title person, are not their own collaborators
        (["Louis Pasteur", "Jacques-Joseph Grancher"], ["Pasteur s'attaque à la rage avec _____"], ["Jacques-Joseph Grancher"]),
        (["Louis Pasteur", "Albert Calmette"], ["Dès 1891, _____ fonde à Saïgon", "Louis Pasteur et la rage"], ["Albert Calmette"]),
        (["Glenn Curtiss", "Samuel Langley"], ["The brothers defended their patent against _____"], ["Glenn Curtiss", "Samuel Langley"]),
    ],
)
def test_named_already(candidates: list[str], texts: list[str], expected: list[str]) -> None:
    assert named_already(candidates, texts) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("protocole appliqué à Joseph Meister", True),  # le _____ : vaccin, traitement…
        ("accord intergouvernemental sur la Station", False),
        ("protocole de Kyoto", False),
        ("Traité de Rome", False),
    ],
)
def test_described(name: str, expected: bool) -> None:
    assert described(name) == expected


def _nowhere(_: str) -> str | None:
    return None


@pytest.mark.parametrize(
    ("text", "answer", "expected"),
    [
        ("near Le Mans, in  , Wilbur astonished spectators and French aviators", "France", True),
        ("les troupes russes entrent en  ", "Russie", True),
        ("near Le Mans, in  , Wilbur astonished spectators", "France", False),
        ("French aviators flew in  ", "Italie", False),
    ],
)
def test_country_given(text: str, answer: str, expected: bool) -> None:
    assert country_given(text, answer, _nowhere) == expected


@pytest.mark.parametrize(
    ("text", "topic", "expected"),
    [
        # the title names an ensemble: the rock is not "le Mont-Saint-Michel et sa baie"
        ("Rocher granitique, le Mont-Saint-Michel se dresse au fond d'une baie.",
         "Le Mont-Saint-Michel et sa baie",
         "Rocher granitique, le Mont-Saint-Michel se dresse au fond d'une baie."),
        ("La tour culmine à 330 mètres.", "La tour Eiffel", "La tour Eiffel culmine à 330 mètres."),
    ],
)
def test_name_topic_of_an_ensemble(text: str, topic: str, expected: str) -> None:
    assert name_topic(text, topic, "fr") == expected


def test_a_list_of_clauses_is_quoted_one_clause_at_a_time() -> None:
    """« un projet … : X utilise … ; … ; enfin, une passerelle … remplace … »: no
    « notamment enfin », the item is a sentence of its own."""
    text = (
        "L'État lance au début des années 2000 un projet de rétablissement du caractère "
        "maritime du site : un barrage sur le Couesnon, mis en service en 2009, utilise la "
        "force des marées pour chasser les sédiments ; les parkings installés au pied du "
        "rocher sont déplacés sur le continent ; enfin, une passerelle conçue par "
        "l'architecte Dietmar Feichtinger, ouverte en juillet 2014, remplace l'ancienne digue."
    )
    at = text.index("Dietmar")
    stems = build_stems(text, [Span(0, len(text))], Span(at, at + 18), "fr")
    assert stems and all("notamment" not in s.text for s in stems)
    assert any(s.text.startswith("Une passerelle conçue") for s in stems)
