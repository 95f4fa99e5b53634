"""The automatic checks on questions written by hand: one row per fault class, the
faulty question (from the built-in sheet, as the old generator wrote it) and its
sound twin. The review queue runs these checks; a question failing one is not approved.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from quiz.generate.model import Span
from quiz.generate.questions.check_registry import CHECKS, Checked
from quiz.generate.questions.checks import findings

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

COR = (
    "En 2002, le dialogue et la coopération ont été renforcés, lorsque le CCP a été remplacé "
    "par le Conseil OTAN-Russie (COR), qui devait permettre à ses membres de se consulter."
)
CCNA = (
    "Les relations entre l'OTAN et la Russie ont débuté après la fin de la Guerre froide, "
    "lorsque la Russie est devenue membre du Conseil de coopération nord-atlantique (en 1991)."
)
MINSK = (
    "Les Alliés souhaitent que le conflit soit réglé par la voie diplomatique, notamment dans le "
    "cadre des accords de Minsk."
)
GEORGIA = (
    "À la suite de l'action militaire menée par la Russie en Géorgie en août 2008, les réunions "
    "formelles du COR ont été suspendues jusqu'au printemps 2009."
)
ESA = (
    "L'Agence spatiale européenne (ESA) est une organisation intergouvernementale. Son siège "
    "se trouve à Paris."
)
NATO = "La dernière réunion du COR remonte au 12 janvier 2022 à Bruxelles."
LOIRE = (
    "En 1994, l'État a adopté le “Plan Loire grandeur nature”, qui associe prévention des "
    "inondations et protection des milieux naturels."
)


def question(paragraph: str, **fields: Any) -> Checked:
    """A French question citing the whole of ``paragraph``, with ``fields`` set."""
    base = Checked(
        type="mcq",
        prompt="",
        answer="",
        accepted=(),
        choices=(),
        lang="fr",
        paragraph=paragraph,
        evidence=Span(0, len(paragraph)),
    )
    return replace(base, **fields)


def blank(sentence: str) -> str:
    return f"Complétez avec la bonne réponse : « {sentence} »"


# (fault class, check name, faulty question, its sound twin)
ROWS = [
    (
        "determiner before the blank",
        "choices_fit_the_blank",
        question(COR, prompt=blank("... lorsque le CCP a été remplacé par le _____, qui devait ..."),
                 answer="Conseil OTAN-Russie",
                 choices=("Conseil OTAN-Russie", "Force de réaction de l'OTAN", "Comité militaire", "Conseil de l'Europe")),
        question(COR, prompt=blank("... lorsque le CCP a été remplacé par le _____, qui devait ..."),
                 answer="Conseil OTAN-Russie",
                 choices=("Conseil OTAN-Russie", "Comité militaire", "Conseil de l'Europe")),
    ),
    (
        "contraction before the blank",
        "choices_fit_the_blank",
        question(CCNA, prompt=blank("... la Russie est devenue membre du _____ (en 1991)."),
                 answer="Conseil de coopération nord-atlantique",
                 choices=("Conseil de coopération nord-atlantique", "Force pour le Kosovo", "Comité militaire")),
        question(CCNA, prompt=blank("... la Russie est devenue membre du _____ (en 1991)."),
                 answer="Conseil de coopération nord-atlantique",
                 choices=("Conseil de coopération nord-atlantique", "Conseil de l'Europe", "Comité militaire")),
    ),
    (
        "number before the blank",
        "choices_fit_the_blank",
        question(MINSK, prompt=blank("... notamment dans le cadre des _____."), answer="accords de Minsk",
                 choices=("accords de Minsk", "Document de Vienne", "traité « Ciel ouvert »")),
        question(MINSK, prompt=blank("... notamment dans le cadre _____."), answer="des accords de Minsk",
                 choices=("des accords de Minsk", "du Document de Vienne", "du traité « Ciel ouvert »")),
    ),
    (
        "a distractor of another kind",
        "choices_of_one_kind",
        question(GEORGIA, prompt=blank("... menée par la Russie en _____ en août 2008, ..."), answer="Géorgie",
                 choices=("Géorgie", "Ukraine", "Bruxelles", "Moldavie")),
        question(GEORGIA, prompt=blank("... menée par la Russie en _____ en août 2008, ..."), answer="Géorgie",
                 choices=("Géorgie", "Ukraine", "Moldavie")),
    ),
    (
        "a distractor the evidence makes true",
        "wrong_choices_are_wrong",
        question(GEORGIA, prompt="Où la Russie a-t-elle mené une action militaire en août 2008 ?",
                 answer="Géorgie", choices=("Géorgie", "Russie", "Ukraine")),
        question(GEORGIA, prompt="Où la Russie a-t-elle mené une action militaire en août 2008 ?",
                 answer="Géorgie", choices=("Géorgie", "Moldavie", "Ukraine")),
    ),
    (
        "the acronym beside the blank",
        "no_acronym_give_away",
        question(COR, prompt=blank("... le CCP a été remplacé par le _____ (COR), qui devait ..."),
                 answer="Conseil OTAN-Russie", choices=("Conseil OTAN-Russie", "Comité militaire", "Conseil de l'Europe")),
        question(COR, prompt=blank("... le CCP a été remplacé par le _____, qui devait ..."),
                 answer="Conseil OTAN-Russie", choices=("Conseil OTAN-Russie", "Comité militaire", "Conseil de l'Europe")),
    ),
    (
        "the expansion beside an acronym's blank",
        "no_acronym_give_away",
        question(ESA, type="cloze", prompt="Complétez : « L'Agence spatiale européenne (_____) est une organisation intergouvernementale. »",
                 answer="ESA"),
        question(ESA, type="short", prompt="Quel est le sigle de l'Agence spatiale européenne ?", answer="ESA"),
    ),
    (
        "a false statement that contradicts itself",
        "statement_consistent",
        question(GEORGIA, type="true_false", answer="Faux", choices=("Vrai", "Faux"),
                 prompt="Vrai ou faux ? « À la suite de l'action militaire menée par la Russie en Géorgie en mars 2014, les réunions formelles du COR ont été suspendues jusqu'au printemps 2009. »"),
        question(GEORGIA, type="true_false", answer="Faux", choices=("Vrai", "Faux"),
                 prompt="Vrai ou faux ? « À la suite de l'action militaire menée par la Russie en Géorgie en février 2008, les réunions formelles du COR ont été suspendues jusqu'au printemps 2009. »"),
    ),
    (
        "a dateline from the page",
        "no_page_furniture",
        question(NATO, type="cloze", answer="New York",
                 prompt="Complétez : « 29 Sep. 2015Le secrétaire général s'est entretenu à _____ avec plusieurs dirigeants. »"),
        question(NATO, type="cloze", answer="Bruxelles",
                 prompt="Complétez : « La dernière réunion du COR remonte au 12 janvier 2022 à _____. »"),
    ),
    (
        "a stem cut short",
        "whole_text",
        question(COR, type="cloze", answer="2002",
                 prompt="Complétez : « … le dialogue et la coopération ont été renforcés en _____ … »"),
        question(COR, type="cloze", answer="2002",
                 prompt="Complétez par l'année : « En _____, le dialogue et la coopération ont été renforcés. »"),
    ),
    (
        "a sentence that leans on the one before",
        "self_contained",
        question(ESA, type="cloze", answer="Paris", prompt="Complétez : « Son siège se trouve à _____. »"),
        question(ESA, type="cloze", answer="Paris",
                 prompt="Complétez : « L'Agence spatiale européenne (ESA) est une organisation intergouvernementale. Son siège se trouve à _____. »"),
    ),
    (
        "one word blanked several times",
        "one_blank",
        question(GEORGIA, type="cloze", answer="Géorgie",
                 prompt="Complétez : « La Russie a mené une action en _____ ; la _____ a protesté. »"),
        question(GEORGIA, type="cloze", answer="Géorgie",
                 prompt="Complétez : « À la suite de l'action militaire menée par la Russie en _____ en août 2008, les réunions formelles du COR ont été suspendues. »"),
    ),
    (
        "a blank that admits the year alone",
        "blank_says_its_precision",
        question(GEORGIA, type="cloze", answer="août 2008",
                 prompt="Complétez : « ... menée par la Russie en Géorgie en _____, les réunions ... »"),
        question(GEORGIA, type="cloze", answer="août 2008",
                 prompt="Complétez par le mois et l'année : « ... menée par la Russie en Géorgie en _____, les réunions ... »"),
    ),
    (
        "order items whose wording tells their place",
        "events_in_order",
        question(COR, type="order", prompt="Remettez ces événements dans l'ordre.",
                 answer=["Le COR se réunit pour la première fois.", "Le COR se réunit à nouveau."],
                 choices=("Le COR se réunit à nouveau.", "Le COR se réunit pour la première fois."),
                 item_dates=("2002", "2016")),
        question(COR, type="order", prompt="Remettez ces événements dans l'ordre.",
                 answer=["Le Conseil OTAN-Russie est créé.", "Le COR suspend la coopération pratique."],
                 choices=("Le COR suspend la coopération pratique.", "Le Conseil OTAN-Russie est créé."),
                 item_dates=("2002", "2014")),
    ),
    (
        "order items that share a date",
        "events_in_order",
        question(COR, type="order", prompt="Remettez ces événements dans l'ordre.",
                 answer=["Le Conseil OTAN-Russie est créé.", "Le dialogue est renforcé."],
                 choices=("Le dialogue est renforcé.", "Le Conseil OTAN-Russie est créé."),
                 item_dates=("2002", "2002")),
        question(COR, type="order", prompt="Remettez ces événements dans l'ordre.",
                 answer=["Le Conseil OTAN-Russie est créé.", "Le dialogue est renforcé."],
                 choices=("Le dialogue est renforcé.", "Le Conseil OTAN-Russie est créé."),
                 item_dates=("2002", "2008")),
    ),
    (
        "an accepted form that repeats the answer",
        "accepted_forms_distinct",
        question(GEORGIA, type="cloze", answer="Géorgie", accepted=("Georgie",),
                 prompt="Complétez : « ... menée par la Russie en _____ en août 2008 ... »"),
        question(GEORGIA, type="cloze", answer="Géorgie", accepted=("Sakartvelo",),
                 prompt="Complétez : « ... menée par la Russie en _____ en août 2008 ... »"),
    ),
    (
        "a blank cutting a quoted name (H1)",
        "blank_keeps_names_whole",
        question(LOIRE, type="cloze", answer="Plan Loire grandeur",
                 prompt="Complétez : « En 1994, l'État a adopté le “_____ nature”, qui associe prévention des inondations. »"),
        question(LOIRE, type="cloze", answer="Plan Loire grandeur nature",
                 prompt="Complétez : « En 1994, l'État a adopté le “_____”, qui associe prévention des inondations. »"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("fault", "name", "faulty", "sound"), ROWS, ids=[r[0] for r in ROWS])
def test_check_catches_the_fault(fault: str, name: str, faulty: Checked, sound: Checked) -> None:
    """The check of the fault class fails the faulty question and passes its twin."""
    assert name in CHECKS
    assert [f for f in findings(faulty) if f.check == name], f"{fault}: not caught"
    assert not [f for f in findings(sound) if f.check == name], f"{fault}: sound twin failed"


def test_every_fault_class_has_a_row() -> None:
    """Every check beyond the structural ones is exercised by a row above."""
    structural = {"answer_in_evidence", "answer_not_in_prompt", "choices_sound"}
    assert set(CHECKS) - structural == {name for _, name, _, _ in ROWS}


def test_a_malformed_row_fails_checks_without_crashing() -> None:
    """An order row with no events and a blank in its prompt (a corrupted import)."""
    broken = question(COR, type="order", prompt="Complétez : « _____ »", answer=[], choices=())
    assert {f.check for f in findings(broken)} >= {"choices_sound"}
