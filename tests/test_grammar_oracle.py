"""The grammar oracle (tests/grammar_oracle.py) on hand-written questions.

Each row fills a sentence's blank with the right answer and with one other choice, and
says whether that choice must be reported as breaking the sentence's agreement. The
rows that need Grammalecte skip when it is missing (fail on CI, which installs it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from grammar_oracle import (
    ENV_VAR,
    agreement_faults,
    agreement_report,
    fill,
    grammalecte_folder,
    is_checkable,
    require_grammalecte,
    sentence_errors,
)

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

Json = dict[str, Any]


def mcq(sentence: str, answer: str, *others: str, lang: str = "fr") -> Json:
    """A French sentence-completion mcq as the generator writes it."""
    return {
        "id": "q-000000000000",
        "type": "mcq",
        "lang": lang,
        "prompt": f"Complétez avec la bonne réponse : « {sentence} »",
        "choices": [answer, *others],
        "answer": answer,
        "accepted": [],
    }


@pytest.fixture
def grammalecte() -> None:
    """Skip the test without Grammalecte (fail it on CI)."""
    require_grammalecte()


needs_grammalecte = pytest.mark.usefixtures("grammalecte")

# sentence, right answer, other choice, whether that choice breaks the sentence
# fmt: off
CASES = [
    # gender of the determiner before the blank
    ("Le _____ (COR) a été créé en 2002.", "Conseil OTAN-Russie", "Force de réaction de l'OTAN", True),
    ("Le _____ (COR) a été créé en 2002.", "Conseil OTAN-Russie", "Conseil de partenariat euro-atlantique", False),
    ("La Russie est devenue membre du _____ en 1991.", "Conseil de coopération nord-atlantique", "Force pour le Kosovo", True),
    ("La Russie est devenue membre du _____ en 1991.", "Conseil de coopération nord-atlantique", "sommet de Bruxelles", False),
    # number of the determiner before the blank
    ("Le traité a été signé par les _____ et l'Union soviétique.", "Pays-Bas", "Russie", True),
    ("Le traité a été signé par les _____ et l'Union soviétique.", "Pays-Bas", "États-Unis", False),
    ("La Russie agit dans le cadre des _____.", "accords de Minsk", "Document de Vienne", True),
    ("La Russie agit dans le cadre des _____.", "accords de Minsk", "accords d'Oslo", False),
    ("La menace la plus importante est la _____.", "Fédération de Russie", "États-Unis", True),
    # elision: missing before a vowel, needless before a consonant
    ("La menace la plus importante est la _____.", "Fédération de Russie", "Ukraine", True),
    ("La menace la plus importante est la _____.", "Fédération de Russie", "Géorgie", False),
    ("Les régions géorgiennes d'_____ et d'Ossétie du Sud.", "Abkhazie", "Crimée", True),
    ("Les régions géorgiennes d'_____ et d'Ossétie du Sud.", "Abkhazie", "Ossétie du Sud", False),
    ("L’_____ (ESA) est une organisation intergouvernementale.", "Agence spatiale européenne", "Station spatiale internationale", True),
    ("L’_____ (ESA) est une organisation intergouvernementale.", "Agence spatiale européenne", "Union européenne", False),
    # contraction of "de le", "à les"
    ("Le soutien de _____ est constant.", "Moscou", "les États-Unis", True),
    ("Le programme a été proposé à _____ en 1994.", "Moscou", "le Conseil OTAN-Russie", True),
    ("Le programme a été proposé à _____ en 1994.", "Moscou", "Washington", False),
    # the verb and the participle agreeing with the subject in the blank
    ("_____ a signé le traité en 1987.", "La Russie", "Les États-Unis", True),
    ("_____ a signé le traité en 1987.", "La Russie", "La France", False),
    ("_____ a été créé en 2002.", "Le Conseil OTAN-Russie", "La Force pour le Kosovo", True),
    # the sheet's own error ("Les traité") is there whatever fills the blank
    ("Les traité a été signé à _____ en 1987.", "Washington", "Moscou", False),
    # a straight apostrophe in the choice is typography, not agreement
    ("La _____ a été créée en 1999.", "Force pour le Kosovo", "Force de réaction de l'OTAN", False),
    # every blank is filled: the second one breaks ("du Force")
    ("Les liens avec le _____ ont gelé, puis la Russie est devenue membre du _____.", "Conseil OTAN-Russie", "Force pour le Kosovo", True),
]
# fmt: on


@needs_grammalecte
@pytest.mark.parametrize(("sentence", "answer", "choice", "breaks"), CASES)
def test_agreement_faults(sentence: str, answer: str, choice: str, breaks: bool) -> None:
    question = mcq(sentence, answer, choice)
    assert agreement_faults(question) == ([choice] if breaks else [])


@needs_grammalecte
def test_report_names_the_family_and_message() -> None:
    (fault,) = agreement_report(
        mcq("Le _____ a été créé.", "Conseil OTAN-Russie", "Force pour le Kosovo")
    )
    assert fault.choice == "Force pour le Kosovo"
    assert {e.family for e in fault.errors} == {"gn"}
    assert "Force" in fault.describe() and "gn:" in fault.describe()


@needs_grammalecte
def test_sheet_errors_are_seen_but_not_blamed_on_the_choice() -> None:
    """The "no fault" row on « Les traité » holds because the comparison cancels an error
    the oracle does see, not because it sees nothing."""
    assert [e.family for e in sentence_errors("Les traité a été signé à Moscou en 1987.")] == ["gn"]


@needs_grammalecte
def test_typography_is_not_agreement() -> None:
    assert sentence_errors("La Force de réaction de l'OTAN a été créée en 1999.") == []


# fmt: off
@pytest.mark.parametrize(
    "question",
    [
        {**mcq("ignored", "1999", "1998"), "prompt": "En quelle année la Russie a-t-elle gelé ses relations avec l'OTAN ?"},
        mcq("The _____ was signed in 1959.", "Antarctic Treaty", "Madrid Protocol", lang="en"),
        {**mcq("Le _____ a été créé en 2002.", "COR", "CCP"), "type": "cloze", "choices": []},
        mcq("Le Conseil OTAN-Russie a été créé en 2002.", "Conseil OTAN-Russie", "Force pour le Kosovo"),
    ],
    ids=["direct question", "english", "cloze", "no blank"],
)
# fmt: on
def test_only_french_mcq_with_a_blank_is_checked(question: Json) -> None:
    assert not is_checkable(question)
    assert agreement_faults(question) == []


def test_fill_replaces_every_blank_and_says_where() -> None:
    assert fill("du _____ et du _____.", "Kosovo") == (
        "du Kosovo et du Kosovo.",
        [(3, 9), (16, 22)],
    )


def test_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert grammalecte_folder() is None, "an empty folder holds no grammalecte"
    (tmp_path / "grammalecte").mkdir()
    (tmp_path / "grammalecte" / "__init__.py").write_text("", encoding="utf-8")
    assert grammalecte_folder() == tmp_path
