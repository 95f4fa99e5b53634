"""The faults blind review I1 found in batch I (tests/data/review/i: le viaduc de Millau, le
lac Baïkal, the 1883 eruption of Krakatoa, Halley's Comet), one row per fault class: each
row looks at the questions of the sheet its example came from and fails if the fault is
back, and those a second sample of the batch showed once I1's were fixed ("I, 2nd sample").
(I1's faults between the questions of one quiz are pinned in tests/test_overlap.py.)

The checks are the test's own plain string rules, never the generator's; the batch is
generated once, with the other reviewed batches, by test_review_faults' fixture.
"""

from __future__ import annotations

import re
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


def timeline_entry(qs: list[Json], _: str) -> list[str]:
    """"120 BC — the earliest sighting generally accepted as Halley…" as a statement."""
    return [label(q) for q in qs if re.match(r"^(?:\d+|_{3,}) BC\b", first_sentence(q))]


def title_named_twice(qs: list[Json], _: str) -> list[str]:
    """"Today the The 1883 Eruption of Krakatoa islands form a nature reserve"."""
    return [label(q) for q in qs if re.search(r"\b[Tt]he The\b|Eruption of Krakatoa islands", q["prompt"])]


def species_among_people(qs: list[Json], _: str) -> list[str]:
    """"Epischura baikalensis" with Valentin Raspoutine and Anton Tchekhov as choices."""
    latin = re.compile(r"^[A-Z][a-z]+ [a-z]{4,}$")
    return [
        label(q)
        for q in qs
        if q["type"] == "mcq" and any(latin.match(c) for c in q["choices"])
        and any(c in ("Anton Tchekhov", "Valentin Raspoutine") for c in q["choices"])
    ]


def end_of_a_day_span(qs: list[Json], _: str) -> list[str]:
    """"on the night of 13–_____" (14 March 1986)."""
    return with_blank(qs, r"\b\d{1,2}[–-]BLANK")


def short_decade_of_another_century(qs: list[Json], _: str) -> list[str]:
    """"the 1680s" accepting "80s"."""
    return [
        label(q)
        for q in qs
        if re.match(r"(?:the )?1[0-8]\d0s$", str(q["answer"])) and "80s" in q["accepted"]
    ]


ROWS: list[tuple[str, str, Callable[[list[Json], str], list[str]]]] = [
    ("well-formed: the title's subtitle named for « le lac » (I1)", "fr-lac-baikal", subtitle_inserted),
    ("worth: 'visible … from _____' (Earth) (I1)", "en-halleys-comet", our_planet),
    ("unambiguous: 'In _____ the Sunda Strait lay…' (I1)", "en-krakatoa-1883", year_of_a_state_of_things),
    ("worth: « L'omoul (_____), un corégone » (I1)", "fr-lac-baikal", latin_name_its_gloss_spells),
    ("well-formed: « qui l'exploite » (I1)", "fr-viaduc-de-millau", object_pronoun_without_antecedent),
    ("worth: 'the Royal Society in _____' (I1)", "en-krakatoa-1883", city_of_a_famous_body),
    ("well-formed: a timeline entry as a statement (I, 2nd sample)", "en-halleys-comet", timeline_entry),
    ("well-formed: 'the The 1883 Eruption of Krakatoa islands' (I, 2nd sample)", "en-krakatoa-1883", title_named_twice),
    ("distractor: writers for a species (I, 2nd sample)", "fr-lac-baikal", species_among_people),
    ("well-formed: 'the night of 13–_____' (I, 2nd sample)", "en-halleys-comet", end_of_a_day_span),
    ("unambiguous: '80s' for the 1680s (I, 2nd sample)", "en-krakatoa-1883", short_decade_of_another_century),
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

