"""Tables of input → expected output for the pure stages review D1 called for: the
names a sheet gives one person, names that spell the answer, sentences that lean on
what the stem leaves out, and quotation marks nested in a French prompt."""

from __future__ import annotations

import pytest

from quiz.generate.questions.leaks import counted_by_name, embedded, sum_of_others
from quiz.generate.questions.people import fullest_forms, same_person_forms
from quiz.generate.questions.phrasing import nested
from quiz.generate.questions.stems import leans, unquotable

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
