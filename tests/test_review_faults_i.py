"""The faults blind review I1 found in batch I (tests/data/review/i: le viaduc de Millau, le
lac Baïkal, the 1883 eruption of Krakatoa, Halley's Comet), one row per fault class: each
row looks at the questions of the sheet its example came from and fails if the fault is
back. (I1's faults between the questions of one quiz are pinned in tests/test_overlap.py.)

The checks are the test's own plain string rules, never the generator's; the batch is
generated once, with the other reviewed batches, by test_review_faults' fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_review_faults import (  # noqa: F401 (generated: a fixture)
    assert_fault_gone,
    generated,
    label,
)
from test_review_faults_d import first_sentence
from test_review_faults_h import with_blank

BUILTIN = Path(__file__).resolve().parents[1] / "questions"

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

Json = dict[str, Any]


def subtitle_inserted(qs: list[Json], _: str) -> list[str]:
    """« c'est le lac Baïkal, le plus profond le plus profond de la planète »: the title's
    subtitle put in for "le lac"."""
    return [label(q) for q in qs if "Baïkal, le plus profond" in q["prompt"]]


def long_description_typed(qs: list[Json], _: str) -> list[str]:
    """« le _____ » for « ministère de la Défense de la Fédération de Russie », to type
    word for word ("ministère russe de la Défense" is refused)."""
    return [
        label(q)
        for q in qs
        if q["type"] == "cloze"
        and not q["choices"]
        and len(str(q["answer"]).split()) >= 6
        and str(q["answer"])[:1].islower()
    ]


def our_planet(qs: list[Json], _: str) -> list[str]:
    """"visible to the naked eye from _____": Earth."""
    return [label(q) for q in qs if str(q["answer"]) in ("Earth", "Terre", "la Terre")]


def year_of_a_state_of_things(qs: list[Json], _: str) -> list[str]:
    """"In _____ the Sunda Strait lay within the Dutch East Indies": decades fit."""
    return with_blank(qs, r"In BLANK the Sunda Strait lay")


def latin_name_its_gloss_spells(qs: list[Json], _: str) -> list[str]:
    """« L'omoul (_____), un corégone fumé »: Coregonus migratorius."""
    return with_blank(qs, r"omoul \(BLANK")


def object_pronoun_without_antecedent(qs: list[Json], _: str) -> list[str]:
    """« C'est une filiale créée pour l'occasion, la _____, qui l'exploite »: exploits what?"""
    return [label(q) for q in qs if "qui l'exploite" in first_sentence(q)]


def city_of_a_famous_body(qs: list[Json], _: str) -> list[str]:
    """"the Royal Society in _____": London."""
    return with_blank(qs, r"Royal Society in BLANK")


ROWS: list[tuple[str, str, Callable[[list[Json], str], list[str]]]] = [
    ("well-formed: the title's subtitle named for « le lac » (I1)", "fr-lac-baikal", subtitle_inserted),
    ("worth: 'visible … from _____' (Earth) (I1)", "en-halleys-comet", our_planet),
    ("unambiguous: 'In _____ the Sunda Strait lay…' (I1)", "en-krakatoa-1883", year_of_a_state_of_things),
    ("worth: « L'omoul (_____), un corégone » (I1)", "fr-lac-baikal", latin_name_its_gloss_spells),
    ("well-formed: « qui l'exploite » (I1)", "fr-viaduc-de-millau", object_pronoun_without_antecedent),
    ("worth: 'the Royal Society in _____' (I1)", "en-krakatoa-1883", city_of_a_famous_body),
]  # fmt: skip


@pytest.mark.parametrize(("fault", "slug", "check"), ROWS, ids=[row[0] for row in ROWS])
def test_the_fault_is_gone(
    generated: dict[str, list[Json]],  # noqa: F811 (the imported fixture)
    fault: str,
    slug: str,
    check: Callable[[list[Json], str], list[str]],
) -> None:
    assert_fault_gone(generated, fault, slug, check)


def test_no_long_description_to_type_on_the_built_in_sheet() -> None:
    """I1's « … et le _____ » for « ministère de la Défense de la Fédération de Russie »."""
    from quiz.generate import discover, generate

    questions = generate(discover([BUILTIN])).to_json()["questions"]
    assert questions
    faults = long_description_typed(questions, "")
    assert not faults, "\n".join(faults[:5])

