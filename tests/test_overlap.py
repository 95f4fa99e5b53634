"""``quiz.generate.questions.overlap``: which questions may sit in the same quiz.

Hand-written question pairs, each on a paragraph of its own unless the case is
about sharing one: an answer (or an accepted form of it) printed in another
question, loosely compared, and two questions resting on one evidence sentence.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from typing import Any

import pytest
from conftest import REPO_ROOT

from quiz.generate.model import Question, Source, Span
from quiz.generate.questions.overlap import (
    Evidence,
    QuestionFields,
    compatible,
    evidence_of_sources,
    of_generated,
    pick,
)

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

ROME = "Le Conseil OTAN-Russie (COR) a été créé en 2002 à Rome. Il compte trente membres."
PFP = "La Russie a rejoint le Partenariat pour la paix en 1994."
FIRST, SECOND = (0, ROME.index(" Il")), (ROME.index("Il"), len(ROME))
_anchors = iter(f"p-{n:010x}" for n in range(1, 1000))


def question(kind: str, prompt: str, answer: Any = "réponse", **fields: Any) -> QuestionFields:
    """A question on a paragraph of its own (a new anchor and text) unless ``fields`` say."""
    anchor = next(_anchors)
    values: dict[str, Any] = {
        "type": kind,
        "prompt": prompt,
        "answer": answer,
        "accepted": [],
        "choices": [],
        "anchor": anchor,
        "paragraph": f"Paragraphe {anchor} : rien à voir.",
        "evidence_start": 0,
        "evidence_end": 10,
    }
    return QuestionFields(**(values | fields))


def on_rome(kind: str, prompt: str, answer: Any, span: tuple[int, int], **fields: Any) -> QuestionFields:
    """A question citing ``span`` of the ROME paragraph."""
    start, end = span
    values = {"anchor": "p-00000000aa", "paragraph": ROME, "evidence_start": start, "evidence_end": end}
    return question(kind, prompt, answer, **(values | fields))


def order(items: list[str], **fields: Any) -> QuestionFields:
    """An order question on ``items`` (shown shuffled: here reversed)."""
    return question("order", "Remettez ces événements dans l'ordre.", items, choices=items[::-1], **fields)


TRUE_FALSE = {"choices": ["Vrai", "Faux"]}
JUNCTION = "Les deux moitiés se sont rejointes le 28 mai 2004."

CASES = [
    # (what, one, other, compatible)
    ("an answer in the other's prompt",
     question("mcq", "En quelle année le COR a-t-il été créé ?", "2002"),
     question("cloze", "En 2002, le _____ a été créé à Rome.", "COR"), False),
    ("an answer in the other's prompt, both ways round",
     question("cloze", "En 2002, le _____ a été créé à Rome.", "COR"),
     question("mcq", "En quelle année le COR a-t-il été créé ?", "2002"), False),
    ("an accepted form in the other's prompt",
     question("short", "Que désigne le sigle COR ?", "Conseil OTAN-Russie", accepted=["COR"]),
     question("mcq", "Quand le Conseil OTAN-Russie a-t-il été créé ?", "2002"), False),
    ("an accepted form only, the answer itself absent",
     question("numeric", "Combien de membres le COR compte-t-il ?", "trente", accepted=["30"]),
     question("mcq", "Quelle alliance compte 30 membres ?", "OTAN"), False),
    ("case and accents differ",
     question("mcq", "Quel pays a demandé à adhérer ?", "Géorgie"),
     question("cloze", "La GEORGIE a signé en _____.", "2008"), False),
    ("typographic apostrophe against a straight one",
     question("short", "Quel texte a été signé à Paris ?", "l’Acte fondateur"),
     question("mcq", "Quand l'acte fondateur a-t-il été signé ?", "1997"), False),
    ("a part of a word is no whole word",
     question("short", "Quel est le sigle du Conseil ?", "COR"),
     question("mcq", "Quel pays a encore protesté ?", "Russie"), True),
    ("a number inside a longer number is no answer",
     question("numeric", "Combien de pays ?", "20"),
     question("mcq", "Que s'est-il passé en 2022 ?", "invasion"), True),
    ("an answer in a true_false question's true statement",
     question("cloze", "Le COR a été créé en _____.", "2002"),
     on_rome("true_false", "Vrai ou faux ? Le COR a été créé en 1997 à Rome.", "Faux", FIRST, **TRUE_FALSE), False),
    ("an answer elsewhere in a true_false question's paragraph is not shown as its truth",
     question("numeric", "Combien de membres ?", "trente"),
     on_rome("true_false", "Vrai ou faux ? Le COR a été créé en 2002 à Rome.", "Vrai", FIRST, **TRUE_FALSE), True),
    ("Vrai and Faux are no answers to leak",
     question("true_false", "Vrai ou faux ? La Russie a rejoint le PPP en 1994.", "Vrai", **TRUE_FALSE),
     question("true_false", "Vrai ou faux ? L'OTAN compte trente membres.", "Faux", **TRUE_FALSE), True),
    ("an answer among the other's order items",
     question("mcq", "Quel programme la Russie a-t-elle rejoint en 1994 ?", "Partenariat pour la paix"),
     order(["La Russie rejoint le Partenariat pour la paix", "Création du COR", "Suspension", "Crimée"]), False),
    ("an order list is no answer to leak",
     order(["Création du COR", "Signature de l'Acte fondateur", "Suspension", "Crimée"]),
     question("mcq", "Quand la création du COR a-t-elle eu lieu ?", "2002"), True),
    ("an mcq's other choices are not printed as answers",
     question("cloze", "Le COR a été créé en _____.", "2002"),
     question("mcq", "Quand l'Acte fondateur a-t-il été signé ?", "1997", choices=["1997", "2002", "1994"]), True),
    ("one evidence sentence",
     on_rome("mcq", "Où le COR a-t-il été créé ?", "Rome", FIRST),
     on_rome("short", "Quel est le sigle du Conseil OTAN-Russie ?", "COR", FIRST), False),
    ("spans of one paragraph that overlap",
     on_rome("mcq", "Où ?", "Rome", FIRST),
     on_rome("numeric", "Combien ?", "trente", (FIRST[1] - 5, SECOND[1])), False),
    ("different sentences of one paragraph",
     on_rome("mcq", "Où le Conseil a-t-il été créé ?", "Rome", FIRST),
     on_rome("numeric", "Combien de membres le Conseil compte-t-il ?", "trente", SECOND), True),
    ("spans that touch but do not overlap",
     on_rome("mcq", "Où ?", "Rome", (0, 20)),
     on_rome("cloze", "Quoi ?", "COR", (20, 40)), True),
    ("a copy carried into a later revision: same anchor, text respaced",
     on_rome("mcq", "Où le COR a-t-il été créé ?", "Rome", FIRST),
     on_rome("cloze", "Le COR a été créé en _____.", "2002", FIRST, paragraph=ROME.replace(". Il", ".  Il")), False),
    ("the same text under another anchor (a repeated paragraph)",
     on_rome("mcq", "Où le COR a-t-il été créé ?", "Rome", FIRST),
     on_rome("cloze", "Le COR a été créé en _____.", "2002", FIRST, anchor="p-00000000aa-2"), False),
    ("the same span of different paragraphs",
     on_rome("mcq", "Où le COR a-t-il été créé ?", "Rome", FIRST),
     question("cloze", "La Russie a rejoint le PPP en _____.", "1994", paragraph=PFP, evidence_start=FIRST[0], evidence_end=FIRST[1]), True),
    ("an order question's event stated in the other's evidence sentence",
     order(["Création du COR", "Signature de l'Acte fondateur", "Suspension", "Crimée"],
           item_evidence=[Evidence("p-00000000aa", ROME, *FIRST)]),
     on_rome("cloze", "Le COR a été créé à _____.", "Rome", FIRST), False),
    ("a false statement's truth in the other's prompt (I1)",
     question("true_false", "Vrai ou faux ? « Les deux moitiés se sont rejointes le 28 juin 2004. »", "Faux",
              paragraph=JUNCTION, evidence_start=0, evidence_end=len(JUNCTION), **TRUE_FALSE),
     question("cloze", "Complétez : « Après la jonction du 28 mai 2004, le viaduc est inauguré en _____. »",
              "décembre 2004"), False),
    ("a false statement's truth absent from the other's prompt",
     question("true_false", "Vrai ou faux ? « Les deux moitiés se sont rejointes le 28 juin 2004. »", "Faux",
              paragraph=JUNCTION, evidence_start=0, evidence_end=len(JUNCTION), **TRUE_FALSE),
     question("cloze", "Complétez : « Le viaduc est inauguré le 14 décembre 2004 par le président _____. »",
              "Jacques Chirac"), True),
    ("a month asked with its year, the month in the other's prompt (I1)",
     question("cloze", "Fill in the month and year: \"In late _____ it was the scene of an eruption.\"", "August 1883"),
     question("cloze", "Fill in the time: \"On the morning of 27 August, four explosions came at _____.\"", "10.02"), False),
    ("an order question's events stated elsewhere",
     order(["Création du COR", "Signature de l'Acte fondateur", "Suspension", "Crimée"],
           item_evidence=[Evidence("p-00000000aa", ROME, *FIRST)]),
     on_rome("numeric", "Combien de membres ?", "trente", SECOND), True),
]  # fmt: skip


@pytest.mark.parametrize(("what", "one", "other", "expected"), CASES, ids=[c[0] for c in CASES])
def test_compatible(what: str, one: QuestionFields, other: QuestionFields, expected: bool) -> None:
    assert compatible(one, other) is expected
    assert compatible(other, one) is expected  # the rules are symmetric


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["mcq", "cloze", "short", "numeric"], False),  # text answers leak
        (["true_false", "order"], True),  # their answers never do
    ],
)
def test_only_text_answers_count(kinds: list[str], expected: bool) -> None:
    reader = question("mcq", "Le sommet de Rome a eu lieu en 2002 : dans quel pays ?", "Italie")
    for kind in kinds:
        answer = ["Rome", "Paris"] if kind == "order" else "Rome"
        asked = question(kind, "Question sans rapport ?", answer)
        assert compatible(asked, reader) is expected, kind


A = question("cloze", "Le _____ a été créé en 2002.", "COR")
B = question("mcq", "Que désigne le sigle COR ?", "Conseil OTAN-Russie")  # A's answer in its prompt
C = question("numeric", "Combien de membres ?", "trente")
D = question("short", "Quel pays a rejoint le PPP ?", "Russie")


@pytest.mark.parametrize(
    ("candidates", "count", "kept"),
    [
        ([A, B, C, D], 10, [A, C, D]),  # B conflicts with A, kept first
        ([B, A, C, D], 10, [B, C, D]),  # the order decides which of the two stays
        ([A, B, C, D], 2, [A, C]),  # stops at the count
        ([A, C, D], 3, [A, C, D]),
        ([A, B], 1, [A]),
        ([], 5, []),
        ([A, C], 0, []),
    ],
)
def test_pick_keeps_each_candidate_compatible_with_those_before(
    candidates: list[QuestionFields], count: int, kept: list[QuestionFields]
) -> None:
    assert pick(candidates, count) == kept


def test_pick_takes_any_iterable_and_reads_it_only_as_far_as_needed() -> None:
    seen = []

    def stream() -> Any:
        for candidate in (A, C, D, B):
            seen.append(candidate)
            yield candidate

    assert pick(stream(), 2) == [A, C]
    assert seen == [A, C]


def generated(kind: str, prompt: str, answer: Any, span: tuple[int, int], **fields: Any) -> Question:
    """A question as the pipeline makes it, citing ``span`` of ROME."""
    source = Source("otan-russie", "2022-01", "p-00000000aa", ROME, Span(*span))
    return Question(f"q-{kind}", kind, prompt, answer, source, "fr", **fields)


def test_generated_questions_give_their_fields() -> None:
    item = Source("otan-russie", "2022-01", "p-00000000bb", PFP, Span(0, len(PFP)))
    chronology = generated("order", "Dans l'ordre ?", ["a", "b"], FIRST, choices=["b", "a"],
                           item_sources=[item, replace(item, anchor="p-00000000cc")])  # fmt: skip
    fields = of_generated(chronology)
    assert (fields.type, fields.prompt, fields.answer, fields.choices) == (
        "order", "Dans l'ordre ?", ["a", "b"], ["b", "a"]
    )  # fmt: skip
    assert (fields.anchor, fields.paragraph) == ("p-00000000aa", ROME)
    assert (fields.evidence_start, fields.evidence_end) == FIRST
    assert [(e.anchor, e.text) for e in fields.item_evidence] == [
        ("p-00000000bb", PFP),
        ("p-00000000cc", PFP),
    ]


def test_generated_questions_on_one_sentence_conflict() -> None:
    where = generated("mcq", "Où le COR a-t-il été créé ?", "Rome", FIRST)
    when = generated("cloze", "Le COR a été créé en _____ à Rome.", "2002", FIRST)
    count = generated("numeric", "Combien de membres ?", "trente", SECOND)
    assert not compatible(of_generated(where), of_generated(when))
    assert compatible(of_generated(where), of_generated(count))


@pytest.mark.parametrize(
    ("sources", "kept"),
    [
        ([{"anchor": "p-1", "paragraph": PFP, "evidence": {"start": 0, "end": 9}}], 1),
        ([{"anchor": "p-1", "paragraph": PFP, "evidence": {"start": 0, "end": 9}, "date": "1994"}], 1),
        ([{"anchor": "p-1", "paragraph": PFP}], 0),
        ([{"anchor": 1, "paragraph": PFP, "evidence": {"start": 0, "end": 9}}], 0),
        ([{"anchor": "p-1", "paragraph": PFP, "evidence": {"start": "0", "end": 9}}], 0),
        (["p-1", None, 3], 0),
    ],
)
def test_item_sources_as_stored_become_evidence(sources: list[Any], kept: int) -> None:
    assert len(evidence_of_sources(sources)) == kept


def test_the_module_loads_no_flask_database_or_spacy() -> None:
    code = (
        "import sys, quiz.generate.questions.overlap\n"
        "heavy = {'flask', 'sqlalchemy', 'spacy', 'flask_sqlalchemy'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
