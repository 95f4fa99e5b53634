"""Answer checkers: what counts as right, per question type, as tables of given → verdict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import QUESTIONS_DIR

from quiz.models import Question
from quiz.services.errors import Invalid
from quiz.services.study.checking import CHECKERS, check, parse_number

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

NBSP, NNBSP = "\u00a0", "\u202f"
ORDER = ["Guerre froide", "Partenariat pour la paix", "Acte fondateur", "Conseil OTAN-Russie"]


def question(kind: str, answer: Any, accepted: list[str] | None = None, **columns: Any) -> Question:
    """A transient question: the checkers never touch the database."""
    return Question(
        type=kind,
        answer=answer,
        accepted=accepted or [],
        choices=columns.pop("choices", []),
        lang=columns.pop("lang", "fr"),
        **columns,
    )


MCQ = question("mcq", "Russie", choices=["France", "Russie", "Ukraine", "Géorgie"])
TRUE_FALSE = question("true_false", "Faux", choices=["Vrai", "Faux"])


@pytest.mark.parametrize(
    ("subject", "given", "correct"),
    [
        (MCQ, "Russie", True),
        (MCQ, "  Russie \n", True),  # trimmed
        (MCQ, "Rus\u200bsie", True),  # a zero-width space pasted inside
        (MCQ, "France", False),
        (MCQ, "Géorgie", False),
        (TRUE_FALSE, "Faux", True),
        (TRUE_FALSE, "Vrai", False),
    ],
)
def test_choice_checker(subject: Question, given: str, correct: bool) -> None:
    assert check(subject, given) is correct


@pytest.mark.parametrize(
    "given",
    [None, 3, "", "   ", "russie", "Allemagne", ["Russie"]],
)
def test_choice_checker_refuses_what_is_no_choice(given: Any) -> None:
    with pytest.raises(Invalid):
        check(MCQ, given)


SOVIET = question("cloze", "Union soviétique", ["Union soviétique"])
RUSSIA = question("cloze", "Russie", ["Russie"])
OTAN = question("cloze", "OTAN", ["OTAN"])
CCP = question("short", "CCP", ["CCP", "Conseil conjoint permanent"])
PUTIN = question("short", "Vladimir Poutine", ["Vladimir Poutine", "Poutine"])
YEAR = question("cloze", "1994", ["1994"])
DATE = question("cloze", "12 janvier 2022", ["12 janvier 2022", "12/01/2022"])
EU = question("short", "European Union", ["European Union"], lang="en")


@pytest.mark.parametrize(
    ("subject", "given", "correct"),
    [
        # case, accents, punctuation, typographic apostrophes
        (SOVIET, "Union soviétique", True),
        (SOVIET, "union sovietique", True),
        (SOVIET, "UNION SOVIÉTIQUE", True),
        (SOVIET, "Union  soviétique !", True),
        # invisible format characters pasted inside a word: zero-width space, soft hyphen
        (SOVIET, "Union sovi\u200bétique", True),
        (SOVIET, "Union sovié\u00adtique", True),
        (question("short", "OTAN"), "OT\u200bAN", True),  # no typo forgiven below 5 letters
        # leading articles, elided or not
        (SOVIET, "l'Union soviétique", True),
        (SOVIET, "L’Union soviétique", True),
        (RUSSIA, "la Russie", True),
        (OTAN, "l'OTAN", True),
        (EU, "the European Union", True),
        (EU, "an European Union", True),
        # acronym or full name, through accepted
        (CCP, "ccp", True),
        (CCP, "Conseil conjoint permanent", True),
        (CCP, "le conseil conjoint permanent", True),
        (CCP, "COR", False),
        # surname alone, through accepted
        (PUTIN, "Poutine", True),
        (PUTIN, "poutine", True),
        (PUTIN, "Vladimir", False),
        # typos: 1 edit from 5 letters, 2 from 10, none below 5
        (RUSSIA, "Rusie", True),
        (RUSSIA, "Rusia", False),  # 2 edits on 6 letters
        (PUTIN, "Poutin", True),
        (SOVIET, "Union sovietiqe", True),  # 1 edit on 15 letters
        (SOVIET, "Unoin sovietique", True),  # 2 edits
        (SOVIET, "Unoin sovietiqe", False),  # 3 edits
        (CCP, "conseil conjoint permanant", True),
        (CCP, "CPP", False),  # 3 letters: exact only
        (OTAN, "OTAM", False),  # 4 letters: exact only
        (SOVIET, "Russie", False),
        # digits: never a typo
        (YEAR, "1994", True),
        (YEAR, "1995", False),
        (YEAR, "1949", False),
        (YEAR, "en 1994", False),
        (DATE, "12 janvier 2022", True),
        (DATE, "12 janvir 2022", True),  # a typo in the letters only
        (DATE, "12 janvier 2021", False),  # 1 edit, but on a digit
        (DATE, "12/01/2022", True),
        (DATE, "12-01-2022", True),
    ],
)
def test_text_checker(subject: Question, given: str, correct: bool) -> None:
    assert check(subject, given) is correct


@pytest.mark.parametrize("given", [None, "", "  ", ["1994"], 1994, "x" * 501])
def test_text_checker_refuses_malformed_answers(given: Any) -> None:
    with pytest.raises(Invalid):
        check(YEAR, given)


ELEVEN = question("numeric", "onze", ["onze", "11"])
THIRTY = question("numeric", "30", ["30"])
HUNDRED_THOUSAND = question("numeric", f"100{NBSP}000", [f"100{NBSP}000", "100000"])
BILLIONS = question("numeric", "3 milliards", ["3 milliards"])
NINETY = question("numeric", "quatre-vingt-dix", ["quatre-vingt-dix", "90"])


@pytest.mark.parametrize(
    ("subject", "given", "correct"),
    [
        (ELEVEN, "onze", True),
        (ELEVEN, "Onze", True),
        (ELEVEN, "11", True),
        (ELEVEN, " 11 ", True),
        (ELEVEN, "11,0", True),
        (ELEVEN, "12", False),
        (ELEVEN, "10", False),
        (ELEVEN, "douze", False),
        (THIRTY, "trente", True),
        (THIRTY, "31", False),  # under 100: exact
        (HUNDRED_THOUSAND, "100000", True),
        (HUNDRED_THOUSAND, "100 000", True),
        (HUNDRED_THOUSAND, f"100{NNBSP}000", True),
        (HUNDRED_THOUSAND, "cent mille", True),
        (HUNDRED_THOUSAND, "100 900", True),  # within 1 %
        (HUNDRED_THOUSAND, "101 500", False),  # 1.5 % off
        (HUNDRED_THOUSAND, "100", False),
        (BILLIONS, "3 milliards", True),
        (BILLIONS, "trois milliards", True),
        (BILLIONS, "3 000 000 000", True),
        (BILLIONS, "3,01 milliards", True),
        (BILLIONS, "3,1 milliards", False),
        (NINETY, "90", True),
        (NINETY, "quatre vingt dix", True),
        (NINETY, "80", False),
    ],
)
def test_numeric_checker(subject: Question, given: str, correct: bool) -> None:
    assert check(subject, given) is correct


@pytest.mark.parametrize("given", [None, 11, "", "beaucoup", "11 personnes", "onze ou douze"])
def test_numeric_checker_refuses_what_is_no_number(given: Any) -> None:
    with pytest.raises(Invalid):
        check(ELEVEN, given)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("onze", "fr", 11),
        ("soixante et onze", "fr", 71),
        ("quatre-vingts", "fr", 80),
        ("deux mille vingt-deux", "fr", 2022),
        ("1,5 million", "fr", 1_500_000),
        ("1.000.000", "fr", 1_000_000),
        ("100,000", "en", 100_000),
        ("1.5", "en", 1.5),
        ("one hundred and twenty", "en", 120),
        ("zéro", "fr", 0),
        ("beaucoup", "fr", None),
        ("", "fr", None),
    ],
)
def test_parse_number(text: str, lang: str, value: float | None) -> None:
    assert parse_number(text, lang) == value


ORDERED = question("order", list(ORDER), choices=[ORDER[i] for i in (2, 0, 3, 1)])


@pytest.mark.parametrize(
    ("given", "correct"),
    [
        (list(ORDER), True),
        ([f" {item} " for item in ORDER], True),
        ([f"{item}\u200b" for item in ORDER], True),
        ([ORDER[1], ORDER[0], ORDER[2], ORDER[3]], False),
        (list(reversed(ORDER)), False),
    ],
)
def test_order_checker(given: list[str], correct: bool) -> None:
    assert check(ORDERED, given) is correct


@pytest.mark.parametrize(
    "given",
    [
        None,
        " ; ".join(ORDER),
        ORDER[:3],  # an item missing
        [*ORDER[:3], ORDER[2]],  # an item twice
        [*ORDER[:3], "Autre chose"],
        [1, 2, 3, 4],
    ],
)
def test_order_checker_refuses_what_is_no_arrangement(given: Any) -> None:
    with pytest.raises(Invalid):
        check(ORDERED, given)


def test_every_question_type_has_a_checker_and_unknown_types_are_invalid() -> None:
    assert set(CHECKERS) == {"mcq", "true_false", "cloze", "short", "numeric", "order"}
    with pytest.raises(Invalid):
        check(question("essay", "Tout"), "Tout")


@pytest.fixture(scope="module")
def builtin_questions() -> Iterator[list[Any]]:
    """The pipeline's questions for the built-in sheets (loads spaCy once for the module)."""
    from quiz.generate import discover, generate

    yield generate(discover([QUESTIONS_DIR])).questions


def test_the_pipeline_answers_pass_their_own_checker(builtin_questions: list[Any]) -> None:
    assert {q.type for q in builtin_questions} == set(CHECKERS)
    for item in builtin_questions:
        assert check(item, item.answer), (item.id, item.answer)
        if item.type in ("cloze", "short", "numeric"):
            for form in item.accepted:
                assert check(item, form), (item.id, form)
        for choice in item.choices:
            if item.type in ("mcq", "true_false") and choice != item.answer:
                assert not check(item, choice), (item.id, choice)
        if item.type == "order":
            assert not check(item, list(reversed(item.answer))), item.id
