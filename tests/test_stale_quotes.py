"""Re-pointing a stale question: its prompt's quote must still read so in the new span."""

from __future__ import annotations

import pytest

from quiz.models import Question
from quiz.services.authoring.stale import quotes_hold

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

NEW_SPAN = "Les travaux commencent le 25 avril 1859 à Port-Saïd et mobilisent 40 000 ouvriers."


@pytest.mark.parametrize(
    ("kind", "prompt", "answer", "holds"),
    [
        # A quote the new sentence still says, blank filled with the answer.
        ("cloze", "Complétez : « Les travaux commencent le _____ à Port-Saïd »", "25 avril 1859", True),
        ("mcq", "Complétez avec la bonne réponse : « commencent le 25 avril 1859 à _____ »",
         "Port-Saïd", True),
        # The sheet changed the quoted words: the prompt would misquote it.
        ("cloze", "Complétez : « Les travaux commencent le _____ et mobilisent des milliers »",
         "25 avril 1859", False),
        # Nothing quoted: nothing to misquote.
        ("short", "Quand les travaux commencent-ils ?", "25 avril 1859", True),
        # A true statement still stated, or a statement no longer (or never) in the text.
        ("true_false", "Vrai ou faux ? « Les travaux commencent le 25 avril 1859 à Port-Saïd »",
         "Vrai", True),
        ("true_false", "True or false? « Les travaux commencent le 25 avril 1859 à Port-Saïd »",
         "True", True),
        ("true_false", "Vrai ou faux ? « Les travaux mobilisent 500 ouvriers »", "Vrai", False),
        ("true_false", "Vrai ou faux ? « Les travaux commencent le 25 mai 1859 »", "Faux", False),
        ("true_false", "Vrai ou faux : les travaux ont commencé en 1859.", "Vrai", False),
    ],
)  # fmt: skip
def test_quotes_hold(kind: str, prompt: str, answer: str, holds: bool) -> None:
    question = Question(type=kind, prompt=prompt, answer=answer)
    assert quotes_hold(question, NEW_SPAN) is holds
