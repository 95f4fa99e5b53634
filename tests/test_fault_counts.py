"""The fault detectors of tests/fault_counts.py on hand-written questions, good and bad.

Each table row is a question (only the fields a detector reads) and the start of the
reason the detector must give, or ``None`` when the question is sound.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fault_counts import (
    KINDS,
    AcronymPair,
    accepted_repeats_answer,
    acronym_giveaway,
    acronym_pairs,
    answer_in_stem,
    contains,
    cut_text,
    dateline,
    find_faults,
    quoted_sentence,
    repeated_blank,
    sheet_runs,
)

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

Json = dict[str, Any]

FR_MCQ = "Complétez avec la bonne réponse : « {} »"
FR_CLOZE = "Complétez : « {} »"
FR_TF = "Vrai ou faux ? « {} »"
EN_CLOZE = 'Fill in the blank: "{}"'


def question(prompt: str, answer: Any = "x", type: str = "cloze", **fields: Any) -> Json:
    """A question with the schema's fields; ``fields`` override the defaults."""
    return {
        "id": "q-000000000000",
        "type": type,
        "lang": "fr",
        "prompt": prompt,
        "choices": [],
        "answer": answer,
        "accepted": [],
        **fields,
    }


def check(reason: str | None, expected: str | None) -> None:
    """The detector's reason starts with ``expected`` (or both are None)."""
    if expected is None:
        assert reason is None, f"unexpected fault: {reason}"
    else:
        assert reason is not None and reason.startswith(expected), f"got {reason!r}"


# ----------------------------------------------------------------- text helpers


# fmt: off
@pytest.mark.parametrize(
    ("haystack", "needle", "found"),
    [
        ("réuni en 2002.", "2002", True),
        ("(2002)", "2002", True),
        ("ramené de 30 à 20", "30", True),
        ("30 000 soldats", "30", False),
        ("100 000 soldats", "000", False),
        ("il a encore été réuni", "COR", False),
        ("le COR s'est réuni", "cor", True),
        ("en Georgie", "Géorgie", True),
        ("l’Union", "l'Union", True),
        ("", "x", False),
        ("x", "", False),
    ],
)
# fmt: on
def test_contains_whole_words_after_folding(haystack: str, needle: str, found: bool) -> None:
    assert contains(haystack, needle) is found


# fmt: off
@pytest.mark.parametrize(
    ("prompt", "sentence"),
    [
        (FR_CLOZE.format("Le _____ a été créé."), "Le _____ a été créé."),
        (FR_TF.format("Le traité « Ciel ouvert » a été dénoncé."), "Le traité « Ciel ouvert » a été dénoncé."),
        (EN_CLOZE.format("It was signed in _____."), "It was signed in _____."),
        ("Que désigne le sigle « SCA » ?", None),
        ("Quel est le sigle du Conseil OTAN-Russie ?", None),
    ],
)
# fmt: on
def test_quoted_sentence_is_the_closing_quotation(prompt: str, sentence: str | None) -> None:
    assert quoted_sentence(prompt) == sentence


# ------------------------------------------------------------ acronym give-away

PARAGRAPHS = [
    "En 2002, le CCP a été remplacé par le Conseil OTAN-Russie (COR), qui devait permettre à ses membres de se consulter.",
    "La Russie a participé à la Force pour le Kosovo (KFOR), dirigée par l'OTAN.",
    "Elle viole le traité sur les forces nucléaires à portée intermédiaire (FNI).",
    "Scientific cooperation during the International Geophysical Year (IGY) paved the way.",
    "L’Agence spatiale européenne (ESA) est une organisation intergouvernementale.",
    "L'OTAN (Organisation du traité de l'Atlantique Nord) a été fondée en 1949 (en avril).",
    "La Société du Grand Paris (SGP) construit le Grand Paris Express.",
    "Le mécanisme européen de stabilité (MES) prête aux États.",
    "La BCE supervise aussi les grandes banques de la zone euro dans le cadre du mécanisme de surveillance unique (MSU).",
]
PAIRS = acronym_pairs(PARAGRAPHS)


def test_acronym_pairs_are_learned_from_the_paragraphs() -> None:
    assert {(p.acronym, p.name) for p in PAIRS} == {
        ("COR", "Conseil OTAN-Russie"),
        ("KFOR", "Force pour le Kosovo"),
        ("FNI", "forces nucléaires à portée intermédiaire"),
        ("IGY", "International Geophysical Year"),
        ("ESA", "Agence spatiale européenne"),
        ("OTAN", "Organisation du traité de l'Atlantique Nord"),
        ("SGP", "Société du Grand Paris"),
        ("MES", "mécanisme européen de stabilité"),
        ("MSU", "mécanisme de surveillance unique"),
    }


# fmt: off
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (question(FR_MCQ.format("Le _____ (COR) a été créé en 2002."), "Conseil OTAN-Russie", "mcq"), "acronym (COR) next to the blank"),
        (question(FR_MCQ.format("Le _____, ou COR, a été créé en 2002."), "Conseil OTAN-Russie", "mcq"), "answer 'Conseil OTAN-Russie' but the prompt shows its acronym 'COR'"),
        (question(FR_CLOZE.format("En 1999, la Force pour le Kosovo (_____) a été déployée."), "KFOR"), "blank in parentheses"),
        (question(FR_CLOZE.format("La Force pour le Kosovo, ou _____, a été déployée en 1999."), "KFOR"), "answer 'KFOR' but the prompt names 'Force pour le Kosovo'"),
        (question(FR_MCQ.format("Elle viole le _____, signé en 1987 (FNI)."), "traité sur les forces nucléaires à portée intermédiaire", "mcq"), "answer 'traité"),
        (question('Choose the word or phrase that completes: "The _____ (IGY) paved the way."', "International Geophysical Year", "mcq", lang="en"), "acronym (IGY)"),
        (question('Choose the word or phrase that completes: "The IGY, held in 1957, paved the way for the _____."', "International Geophysical Year", "mcq", lang="en"), "answer 'International Geophysical Year' but the prompt shows its acronym 'IGY'"),
        # questions about the sigle itself
        (question("Quel est le sigle du Conseil OTAN-Russie ?", "COR", "short"), None),
        (question("Que désigne le sigle « COR » ?", "Conseil OTAN-Russie", "short"), None),
        (question("What is the acronym of the International Geophysical Year?", "IGY", "short", lang="en"), None),
        # an acronym that is not the answer's, and no acronym at all
        (question(FR_CLOZE.format("La dernière réunion du COR remonte au _____."), "12 janvier 2022"), None),
        (question(FR_MCQ.format("Le _____ a été créé en 2002."), "Conseil OTAN-Russie", "mcq"), None),
        (question(FR_CLOZE.format("L’ESA a été créée en _____."), "1975"), None),
        (question(FR_MCQ.format("La SGP construit le _____ Express."), "Grand Paris", "mcq"), None),
    ],
)
# fmt: on
def test_acronym_giveaway(q: Json, expected: str | None) -> None:
    check(acronym_giveaway(q, PAIRS), expected)


def test_acronym_pairs_ignore_years_and_words_in_parentheses() -> None:
    assert acronym_pairs(["La Crimée (Ukraine) est annexée (en 2014) par la Russie (R)."]) == []


def test_acronym_giveaway_needs_the_pair_for_a_distant_acronym() -> None:
    """Without the pair, "COR" far from the blank says nothing about the answer."""
    q = question(FR_MCQ.format("Le _____, ou COR, a été créé en 2002."), "Conseil OTAN-Russie", "mcq")
    assert acronym_giveaway(q, [AcronymPair("KFOR", "Force pour le Kosovo")]) is None


# ---------------------------------------------------------------------- cut text


# fmt: off
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (question(FR_CLOZE.format("… en Russie, d'informations sur l'OTAN, et, en _____, une mission.")), "quoted sentence starts with an ellipsis"),
        (question(FR_CLOZE.format("Les Alliés ont accru leur présence en _____ …")), "quoted sentence ends with an ellipsis"),
        (question(EN_CLOZE.format("The treaty was signed in _____..."), lang="en"), "quoted sentence ends with an ellipsis"),
        (question(FR_CLOZE.format("La dernière réunion du COR remonte au _____")), "quoted sentence ends without"),
        (question(FR_TF.format("Les Alliés ont condamné l'annexion ;"), "Vrai", "true_false"), "quoted sentence ends without"),
        (question(FR_CLOZE.format("en Russie, la mission a ouvert en _____.")), "quoted sentence starts in lowercase"),
        (question(FR_TF.format("mars 1956 : la ligne 11 roule sur pneus."), "Faux", "true_false", source={"paragraph": "Novembre 1956 : la ligne 11 roule sur pneus."}), "quoted sentence starts in lowercase"),
        (question(FR_CLOZE.format("mars _____ : la ligne 11 roule sur pneus."), source={"paragraph": "mars 1956 : la ligne 11 roule sur pneus."}), None),
        (question("Complétez par la période (par exemple « début 1950 », « fin des années 1960 ») : « À la _____, elle s'est engagée. »"), None),
        (question(FR_MCQ.format("Le _____ a été créé."), "Conseil OTAN-Russie", "mcq", choices=["Conseil OTAN-Russie", "Force de réaction de…", "CCP"]), "choice or item ends with an ellipsis"),
        (question("Remettez ces événements dans l'ordre chronologique.", ["Les relations ont débuté après la dissolution de l'Union…", "La Russie a gelé ses relations"], "order"), "choice or item ends with an ellipsis"),
        (question(FR_CLOZE.format("Les Alliés ont accru leur présence en _____.")), None),
        (question(FR_TF.format("Les Alliés ont appelé la Russie à revenir au traité « Ciel ouvert »."), "Vrai", "true_false"), None),
        (question(EN_CLOZE.format("Did the treaty enter into force in _____?"), lang="en"), None),
        (question(FR_CLOZE.format("_____, l’ESA a suspendu sa coopération.")), None),
        (question("Que désigne le sigle « SCA » ?", "Autorité du canal de Suez", "short"), None),
        (question("Remettez ces événements dans l'ordre chronologique.", ["Le canal est inauguré", "La Russie a gelé ses relations"], "order"), None),
    ],
)
# fmt: on
def test_cut_text(q: Json, expected: str | None) -> None:
    check(cut_text(q), expected)


# ---------------------------------------------------------------------- dateline


# fmt: off
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (question(FR_TF.format("29 Sep. 2015Le secrétaire général s'est entretenu à New York."), "Vrai", "true_false"), "year glued to a word"),
        (question(FR_CLOZE.format("29 septembre 2015 Le secrétaire général s'est entretenu à _____.")), "opens on a bare date"),
        (question(FR_CLOZE.format("2015 Le secrétaire général s'est entretenu à _____.")), "opens on a bare date"),
        (question("Remettez ces événements dans l'ordre chronologique.", ["19 mai 2015 Le secrétaire général a rencontré M. Lavrov", "La Russie a gelé ses relations"], "order"), "opens on a bare date"),
        (question(FR_MCQ.format("Il a rencontré M. Lavrov le _____."), "19 mai 2015", "mcq", choices=["19 mai 2015", "19 May. 2015", "29 septembre 2015"]), "English month abbreviation"),
        (question(FR_CLOZE.format("Le 29 Sep. 2015, le secrétaire général s'est entretenu à _____.")), "English month abbreviation"),
        (question(FR_CLOZE.format("Le 29 septembre 2015, le secrétaire général s'est entretenu à _____.")), None),
        (question(FR_CLOZE.format("En 2002, le Conseil OTAN-Russie a remplacé le _____.")), None),
        (question(FR_CLOZE.format("Le secrétaire général a rencontré Theresa May. Elle a parlé de _____.")), None),
        (question(EN_CLOZE.format("In May 1985, scientists reported _____."), lang="en"), None),
        (question(EN_CLOZE.format("In 1959 Australia signed the _____."), lang="en"), None),
        (question(FR_CLOZE.format("Le vol MH17 a été abattu le _____.")), None),
    ],
)
# fmt: on
def test_dateline(q: Json, expected: str | None) -> None:
    check(dateline(q), expected)


# -------------------------------------------------------------- repeated blanks


# fmt: off
@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (FR_MCQ.format("La crise au _____ en 1999, puis la campagne au _____, et la Force pour le _____ (KFOR)."), "3 blanks"),
        ('Choose the word or phrase that completes: "The _____ Protocol was signed in _____ in 1991."', "2 blanks"),
        (FR_MCQ.format("La crise au _____ en 1999."), None),
        ("Quel est le sigle du Conseil OTAN-Russie ?", None),
    ],
)
# fmt: on
def test_repeated_blank(prompt: str, expected: str | None) -> None:
    check(repeated_blank(question(prompt)), expected)


# ------------------------------------------------------------- answer in stem


# fmt: off
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (question(FR_CLOZE.format("En 1997, l'Acte fondateur, de _____, a été signé."), "1997"), "'1997' visible"),
        (question(FR_CLOZE.format("La crise au _____ a conduit à la Force pour le Kosovo.") , "Kosovo"), "'Kosovo' visible"),
        (question(FR_MCQ.format("La guerre en Georgie a duré cinq jours ; la _____ a perdu."), "Géorgie", "mcq"), "'Géorgie' visible"),
        (question("En quelle année, 1994, la Russie a-t-elle rejoint le Partenariat ?", "1994", "mcq"), "'1994' visible"),
        (question(FR_CLOZE.format("Elle a retiré leur accréditation à _____ membres ; 8 diplomates sont partis."), "huit", "numeric", accepted=["huit", "8"]), "'8' visible"),
        (question(FR_CLOZE.format("Il a été ramené de _____ à 20 personnes, face à 30 000 soldats."), "30", "numeric"), None),
        (question("Quel est le sigle du Conseil OTAN-Russie, réuni encore en 2022 ?", "COR", "short"), None),
        (question(FR_TF.format("Il est vrai que le traité a été signé."), "Vrai", "true_false"), None),
        (question("Remettez ces événements dans l'ordre.", ["Le canal est inauguré", "La crise"], "order"), None),
    ],
)
# fmt: on
def test_answer_in_stem(q: Json, expected: str | None) -> None:
    check(answer_in_stem(q), expected)


# ---------------------------------------------------- accepted repeats the answer


# fmt: off
@pytest.mark.parametrize(
    ("answer", "accepted", "expected"),
    [
        ("Géorgie", ["Géorgie", "Georgie"], "accepted 'Géorgie' repeats"),
        ("Géorgie", ["Georgie"], "accepted 'Georgie' repeats"),
        ("Début 2022", ["début 2022"], "accepted 'début 2022' repeats"),
        ("Conseil OTAN-Russie", ["Conseil  OTAN-Russie"], "accepted"),
        ("Saïd Pacha", ["Pacha"], None),
        ("huit", ["8"], None),
        ("12 janvier 2022", ["12/01/2022"], None),
        (["Le canal est inauguré", "La crise"], [], None),
    ],
)
# fmt: on
def test_accepted_repeats_answer(answer: Any, accepted: list[str], expected: str | None) -> None:
    check(accepted_repeats_answer(question("Complétez : « _____. »", answer, accepted=accepted)), expected)


# --------------------------------------------------------------------- together


def test_find_faults_learns_acronyms_from_the_result_and_counts_every_kind() -> None:
    result = {
        "sheets": [{"paragraphs": [{"text": PARAGRAPHS[0]}]}],
        "questions": [
            question(FR_MCQ.format("Le _____, ou COR, a été créé en 2002."), "Conseil OTAN-Russie", "mcq", accepted=["Conseil OTAN-Russie"]),
            question(FR_CLOZE.format("Le Conseil OTAN-Russie a été créé en _____."), "2002", accepted=["2003"]),
        ],
    }
    found = find_faults(result)
    assert list(found) == list(KINDS)
    counts = {kind: len(findings) for kind, findings in found.items()}
    assert counts == {kind: 0 for kind in KINDS} | {"acronym give-away": 1, "accepted repeats answer": 1}
    assert found["acronym give-away"][0].label().startswith("q-000000000000 (mcq) ")


def make_repo(root: Path, reviewed: bool) -> None:
    """A repository skeleton with one sheet in each folder the runs cover, and a sheet
    kept for a review to come (tests/data/heldout), which the runs leave out."""
    (root / "questions").mkdir()
    for folder, name in [("sheets", "a.md"), ("uploads", "b.txt"), ("flow", "c.html")]:
        (root / "tests" / "data" / folder).mkdir(parents=True)
        (root / "tests" / "data" / folder / name).write_text("x", encoding="utf-8")
    (root / "tests" / "data" / "flow" / "notes.toml").write_text("x", encoding="utf-8")
    (root / "tests" / "data" / "heldout").mkdir()
    (root / "tests" / "data" / "heldout" / "e.md").write_text("x", encoding="utf-8")
    if reviewed:
        folder = root / "tests" / "data" / "review" / "revised"
        folder.mkdir(parents=True)
        (folder / "sheet.toml").write_text("x", encoding="utf-8")
        (folder / "v1.md").write_text("x", encoding="utf-8")
        (folder.parent / "more").mkdir()
        (folder.parent / "more" / "d.pdf").write_text("x", encoding="utf-8")


@pytest.mark.parametrize("reviewed", [False, True])
def test_sheet_runs_cover_every_sheet_once(tmp_path: Path, reviewed: bool) -> None:
    make_repo(tmp_path, reviewed)
    data = tmp_path / "tests" / "data"
    expected = {
        "builtin": [tmp_path / "questions"],
        "sheets/a": [data / "sheets" / "a.md"],
        "uploads/b": [data / "uploads" / "b.txt"],
        "flow/c": [data / "flow" / "c.html"],
    }
    if reviewed:
        expected["review/revised"] = [data / "review" / "revised"]
        expected["review/more/d"] = [data / "review" / "more" / "d.pdf"]
    assert sheet_runs(tmp_path) == expected
