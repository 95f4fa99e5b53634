"""The faults a blind review found in the built-in sheet's questions (issue 8), one row
per fault class with its built-in example: each row looks at the questions of the
paragraph the example came from and fails if the fault is back.

The checks here are the test's own (plain string rules and, for grammar, Debian's
Grammalecte through tests/grammar_oracle.py), never the generator's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fault_counts import contains, quoted_sentence
from grammar_oracle import agreement_faults, require_grammalecte

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

REPO = Path(__file__).resolve().parents[1]
Json = dict[str, Any]
BLANK = re.compile(r"_{3,}")
EARLY, LATER = "2022-01", "2022-later"


@pytest.fixture(scope="module")
def questions() -> list[Json]:
    """The built-in sheet's questions, generated once."""
    from quiz.generate import discover, generate

    return list(generate(discover([REPO / "questions"])).to_json()["questions"])


def from_paragraph(questions: list[Json], revision: str, words: str) -> list[Json]:
    """The questions citing the paragraph of ``revision`` that holds ``words`` (any
    paragraph of it when ``words`` is empty)."""
    found = [
        q
        for q in questions
        if q["source"]["revision"] == revision and words in q["source"]["paragraph"]
    ]
    assert found, f"no question from the paragraph holding {words!r}"
    return found


def label(q: Json) -> str:
    return f"{q['type']} {q['prompt'][:110]!r} {q['choices']}"


# --- the faults, each a function of the questions of one paragraph -> what is wrong


def grammar(qs: list[Json]) -> list[str]:
    """Choices that make the French sentence ungrammatical (Grammalecte)."""
    require_grammalecte()
    return [f"{label(q)}: {fault}" for q in qs for fault in agreement_faults(q)]


def council_offered_something_else(qs: list[Json]) -> list[str]:
    """Where a council is asked, every choice is a council, committee or assembly."""
    council = re.compile(r"^(?:(?:du|le|de l'|l')\s*)?(?:Conseil|Comité|Commission|Assemblée)\b")
    return [
        label(q)
        for q in qs
        if q["type"] == "mcq"
        and council.match(str(q["answer"]))
        and not all(council.match(c) for c in q["choices"])
    ]


def building_offered(qs: list[Json]) -> list[str]:
    """A building ("Palais d'Egmont") offered where something else is asked."""
    return [
        label(q)
        for q in qs
        if q["type"] == "mcq"
        and any("Palais" in c for c in q["choices"])
        and "Palais" not in str(q["answer"])
    ]


def choice_true_by_the_paragraph(qs: list[Json]) -> list[str]:
    """A wrong choice the cited paragraph names too: "ces trois pays" are the Ukraine of
    the sentence before, Georgia and Moldova, so none of them is a wrong answer."""
    faults = []
    for q in qs:
        evidence = q["source"]["paragraph"]
        bare = [re.sub(r"^(?:du|de la|de l'|des|au|aux|le|la|les|l')\s*", "", c) for c in q["choices"]]
        if q["type"] == "mcq" and any(
            contains(evidence, c) for c, full in zip(bare, q["choices"], strict=True) if full != q["answer"]
        ):
            faults.append(label(q))
    return faults


def acronym_beside_blank(qs: list[Json]) -> list[str]:
    """"_____ (COR)": the acronym left beside the blank names the answer."""
    return [label(q) for q in qs if re.search(r"_{3,}\s*\(\s*[A-Z]{2,6}\s*\)", q["prompt"])]


def statement_after_its_end(qs: list[Json]) -> list[str]:
    """A false statement dating the cause after what it caused ended (spring 2009)."""
    faults = []
    for q in qs:
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", q["prompt"])]
        if q["type"] == "true_false" and "jusqu'au printemps 2009" in q["prompt"]:
            faults += [label(q)] if any(y > 2009 for y in years) else []
    return faults


def dateline_or_teaser(qs: list[Json]) -> list[str]:
    """A news teaser (after "Nouvelles") or a glued dateline ("2015Le") asked about."""
    return [
        label(q)
        for q in qs
        if re.search(r"\d{4}[A-Z]", q["prompt"]) or "Nouvelles" in q["source"]["paragraph"]
        or "Je viens de rencontrer" in q["source"]["paragraph"]
        or re.match(r"\d{1,2} \w+\.? \d{4}", q["source"]["paragraph"])
    ]


def cut_short(qs: list[Json]) -> list[str]:
    """A prompt, choice or event cut with "…"."""
    return [
        label(q)
        for q in qs
        if any("…" in t or "..." in t for t in [q["prompt"], *q["choices"], *q["answer"]])
    ]


def leaning_stem(qs: list[Json]) -> list[str]:
    """A quoted sentence that leans on one it does not show ("De son côté", "ce chiffre")."""
    faults = []
    for q in qs:
        stem = quoted_sentence(q["prompt"]) or ""
        if re.match(r"(?:De son côté|Elle|Il|Son|Sa|Ses)\b", stem):
            faults.append(label(q))
        if "ce chiffre" in stem and "effectif maximum" not in stem:
            faults.append(label(q))
    return faults


def blanked_twice_or_shown(qs: list[Json]) -> list[str]:
    """"Kosovo" blanked three times, or blanked once and shown twice."""
    return [
        label(q)
        for q in qs
        if len(BLANK.findall(q["prompt"])) > 1
        or (BLANK.search(q["prompt"]) and isinstance(q["answer"], str)
            and contains(q["prompt"], q["answer"]))
    ]


def year_would_do(qs: list[Json]) -> list[str]:
    """A free month-and-year blank whose prompt does not ask for the month."""
    return [
        label(q)
        for q in qs
        if q["type"] == "cloze"
        and re.fullmatch(r"[a-zéû]+ \d{4}", str(q["answer"]))
        and "mois" not in q["prompt"]
        and not any(re.fullmatch(r"\d{4}", a) for a in q["accepted"])
    ]


def meetings_counted(qs: list[Json]) -> list[str]:
    """"s'est réuni à onze reprises": a count of meetings is trivia."""
    return [label(q) for q in qs if str(q["answer"]).lower() in ("onze", "11")]


def order_badly_dated(qs: list[Json]) -> list[str]:
    """Order events: whole sentences, each with its own dated source (the date in its
    evidence), no item cut at "l'implication de la Russie dans la…"."""
    faults = []
    for q in (q for q in qs if q["type"] == "order"):
        sources = q.get("item_sources", [])
        for item, source in zip(q["answer"], sources, strict=True):
            evidence = source["paragraph"][source["evidence"]["start"] : source["evidence"]["end"]]
            if not (item[:1].isupper() and item.endswith(".")):
                faults.append(f"{item!r} is no whole sentence")
            if not source.get("date") or source["date"] not in evidence:
                faults.append(f"{item!r} is not dated by its own evidence")
        if len(sources) != len(q["answer"]):
            faults.append(f"{label(q)}: {len(sources)} sources for {len(q['answer'])} events")
    return faults


def city_for_its_state(qs: list[Json]) -> list[str]:
    """"coopération ... avec _____", "ont appelé _____ à" answered "Moscou" on a sheet
    about Russia: "la Russie" fits too. ("à _____", where the city is a place, is fair.)"""
    return [
        label(q)
        for q in qs
        if q["answer"] == "Moscou" and re.search(r"(?<!\bà )_{3,}", q["prompt"])
    ]


def singular_after_two_subjects(qs: list[Json]) -> list[str]:
    """"L'intervention … et la présence … a suscité": two subjects, a singular verb."""
    two = re.compile(r"^L'\w+[^;]*? et la [^;]*? a particulièrement suscité")
    return [label(q) for q in qs if two.search(quoted_sentence(q["prompt"]) or "")]


def capital_beside_its_country(qs: list[Json]) -> list[str]:
    """"un bureau à _____ … la diffusion, en Russie": Moscou, surely (review C1)."""
    return [label(q) for q in qs if q["answer"] == "Moscou" and "Russie" in q["prompt"] and BLANK.search(q["prompt"])]  # fmt: skip


# (fault class, revision, words of the paragraph of the built-in example, the check)
ROWS: list[tuple[str, str, str, Callable[[list[Json]], list[str]]]] = [
    ("ambiguous: a city standing for its state (review A7)", EARLY, "Après l'annexion, illégale et illégitime", city_for_its_state),
    ("ambiguous: Moscou called on for Russia (review A8)", EARLY, "Néanmoins, l'OTAN maintient ouverts", city_for_its_state),
    ("worth: a capital beside its country (review C1)", EARLY, "un bureau d'information à Moscou", capital_beside_its_country),
    ("grammar: two subjects, one singular verb (review B1)", EARLY, "présence militaire russe en Syrie", singular_after_two_subjects),
    ("grammar: « Le _____ (COR) » / « Force de réaction »", EARLY, "remplacé par le Conseil OTAN-Russie (COR)", grammar),
    ("grammar: « membre du _____ » / « Force pour le Kosovo »", EARLY, "membre du Conseil de coopération nord-atlantique", grammar),
    ("grammar: « dans le cadre des _____ »", EARLY, "dans le cadre des accords de Minsk", grammar),
    ("kind: a council offered a force, a programme, a summit", EARLY, "remplacé par le Conseil OTAN-Russie (COR)", council_offered_something_else),
    ("kind: a council offered a force (CCNA)", EARLY, "membre du Conseil de coopération nord-atlantique", council_offered_something_else),
    ("kind: a building where a country is asked", LATER, "", building_offered),
    ("also true: a third country the sentence covers", EARLY, "ces trois pays", choice_true_by_the_paragraph),
    ("give-away: the acronym beside the blank (COR)", EARLY, "remplacé par le Conseil OTAN-Russie (COR)", acronym_beside_blank),
    ("give-away: the acronym beside the blank (KFOR)", EARLY, "Force pour le Kosovo (KFOR)", acronym_beside_blank),
    ("give-away: the acronym beside the blank (FNI)", EARLY, "portée intermédiaire (FNI)", acronym_beside_blank),
    ("give-away: a false statement against its own chronology", EARLY, "jusqu'au printemps 2009", statement_after_its_end),
    ("chrome: datelines and news teasers", LATER, "", dateline_or_teaser),
    ("cut: stems and options cut with « … »", EARLY, "De son côté", cut_short),
    ("cut: the list of facts cut with « … »", EARLY, "Les faits suivants", cut_short),
    ("self-contained: « De son côté »", EARLY, "De son côté", leaning_stem),
    ("self-contained: « ce chiffre »", EARLY, "ce chiffre", leaning_stem),
    ("one blank: « Kosovo » blanked three times", EARLY, "crise au Kosovo", blanked_twice_or_shown),
    ("one answer: « en _____ » for « avril 2014 »", EARLY, "suspendue depuis avril 2014", year_would_do),
    ("worth asking: 11 vs 12 meetings", EARLY, "onze reprises", meetings_counted),
    ("order: events whole and dated by their own evidence", EARLY, "Les relations entre l'OTAN", order_badly_dated),
]  # fmt: skip


@pytest.mark.parametrize(("fault", "revision", "words", "find"), ROWS, ids=[r[0] for r in ROWS])
def test_fault_class_is_gone(
    questions: list[Json],
    fault: str,
    revision: str,
    words: str,
    find: Callable[[list[Json]], list[str]],
) -> None:
    """The questions of the example's paragraph (all of the sheet's, for order
    questions) show the fault no more."""
    scope = questions if find is order_badly_dated else from_paragraph(questions, revision, words)
    faults = find(scope)
    assert not faults, f"{fault}:\n  " + "\n  ".join(faults[:10])
