"""A French grammar oracle for multiple-choice questions, on Grammalecte.

A sentence to complete is only fair when every choice fits the blank grammatically:
« membre du _____ » with « Force pour le Kosovo » reads "du Force", and the reader
can rule the choice out without knowing anything. ``agreement_faults`` fills the blank
of a French ``mcq`` prompt with each choice, has Grammalecte check each filled
sentence, and reports the choices that introduce an error the sentence filled with the
right answer does not have.

What counts (``AGREEMENT_FAMILIES``), by Grammalecte's option group (the ``sType`` of an
error, which names the family of the rule that fired):

* ``gn``: gender and number agreement of determiners, adjectives and nouns ("le
  Force", "les Russie", "des Document", "dans les Géorgie occidentaux");
* ``eleu``: elision and euphony ("la Ukraine", "du Union" for "de l'Union");
* ``ppas``: past participles and adjectives agreeing with their subject ("la France
  est devenu");
* ``conj``: the verb agreeing with its subject ("les États-Unis a signé").

Two checks of this module complete Grammalecte where it is silent (it reads "le" and
"les" after "de" / "à" as possible pronouns, and never flags a superfluous elision):

* ``contraction``: "de le", "de les", "à le", "à les" before a capitalised name (for
  "du", "des", "au", "aux");
* ``elision``: "l'" or "d'" before a consonant ("de l'Comité", "d'Crimée"); "h" and
  "y" are left alone (aspirated or not, the oracle cannot tell).

Everything else is ignored: typography (apostrophe_typographique, spaces, non-breaking
spaces, quotation marks), capitals, confusions, style, spelling.

How errors are compared: each error is keyed by its family and by where it starts and
ends *relative to the blank* (an offset in the fixed text before or after the blank,
or "inside the blank"). A choice is faulty when a key of its filled sentence is
missing from the answer's filled sentence. So errors the sheet's own sentence already
has, which sit at the same place whatever fills the blank, never count.

Only French ``mcq`` questions whose prompt ends with a quoted sentence holding a blank
are checked (``is_checkable``); direct questions have nothing to fill. Every blank of
the sentence is filled with the same choice, as the reader would.

Grammalecte is Debian's ``python3-grammalecte``, pure Python outside the virtualenv. It
is imported from its folder as the single package ``grammalecte`` (nothing is added to
``sys.path``, so no other system package can shadow the virtualenv's). The folder is
``$QUIZ_GRAMMALECTE_PATH`` when set, else an importable ``grammalecte``, else
``/usr/lib/python3/dist-packages``. It loads once, on first use.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from fault_counts import BLANK, quoted_sentence

ENV_VAR = "QUIZ_GRAMMALECTE_PATH"
DEBIAN_FOLDER = Path("/usr/lib/python3/dist-packages")
AGREEMENT_FAMILIES = frozenset({"gn", "eleu", "ppas", "conj"})

Json = dict[str, Any]

# -------------------------------------------------------------------- loading


def grammalecte_folder() -> Path | None:
    """The folder holding the ``grammalecte`` package, or ``None`` when there is none."""
    override = os.environ.get(ENV_VAR)
    if override:
        folder = Path(override)
    elif (spec := importlib.util.find_spec("grammalecte")) and spec.origin:
        folder = Path(spec.origin).parent.parent
    else:
        folder = DEBIAN_FOLDER
    return folder if (folder / "grammalecte" / "__init__.py").is_file() else None


def _import_from(folder: Path) -> ModuleType:
    """Import ``folder/grammalecte`` as the package ``grammalecte`` (its own modules import
    each other relatively, so registering the package is enough)."""
    if "grammalecte" in sys.modules:
        return sys.modules["grammalecte"]
    init = folder / "grammalecte" / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        "grammalecte", init, submodule_search_locations=[str(init.parent)]
    )
    assert spec is not None and spec.loader is not None, f"cannot import {init}"
    module = importlib.util.module_from_spec(spec)
    sys.modules["grammalecte"] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules["grammalecte"]
        raise
    return module


@functools.cache
def _checker() -> Any | None:
    """The French GrammarChecker, loaded once; ``None`` when Grammalecte is missing."""
    folder = grammalecte_folder()
    if folder is None:
        return None
    return _import_from(folder).GrammarChecker("fr")


def available() -> bool:
    """Whether Grammalecte can be loaded here."""
    return _checker() is not None


def require_grammalecte() -> None:
    """Skip the calling test when Grammalecte is missing (fail it on CI, which installs it)."""
    import pytest

    if not available():
        if os.environ.get("CI"):
            pytest.fail("grammalecte is missing: .ci/run installs Debian's python3-grammalecte")
        pytest.skip(
            f"grammalecte is missing (apt-get install python3-grammalecte, or set {ENV_VAR})"
        )


# --------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Error:
    """One agreement error of a filled sentence: family, character span, message."""

    family: str
    start: int
    end: int
    message: str


_APOSTROPHE = "['’]"
_CONTRACTION = re.compile(r"\b(?:[dD]e|[àÀ]) (?:le|les) (?=[A-ZÀ-Þ])")
# l' or d' glued to a word opening on a consonant (h and y excepted).
_NEEDLESS_ELISION = re.compile(
    r"\b[lLdD]" + _APOSTROPHE + r"(?=[b-df-gj-np-tv-xzB-DF-GJ-NP-TV-XZçÇ])"
)


def _own_errors(text: str) -> list[Error]:
    """The contraction and elision faults Grammalecte does not report."""
    found = [
        Error("contraction", m.start(), m.end(), f"{m.group().strip()!r} should contract")
        for m in _CONTRACTION.finditer(text)
    ]
    found += [
        Error("elision", m.start(), m.end(), f"{m.group()!r} before a consonant")
        for m in _NEEDLESS_ELISION.finditer(text)
    ]
    return found


def sentence_errors(text: str) -> list[Error]:
    """The agreement errors of one French sentence (Grammalecte's and this module's)."""
    checker = _checker()
    assert checker is not None, "grammalecte is not available"
    grammar, _spelling = checker.getParagraphErrors(text)
    found = [
        Error(e["sType"], e["nStart"], e["nEnd"], e["sMessage"])
        for e in grammar
        if e["sType"] in AGREEMENT_FAMILIES
    ]
    return found + _own_errors(text)


# ---------------------------------------------------------------- the blanks


def is_checkable(question: Json) -> bool:
    """Whether the question is a French mcq whose quoted sentence has a blank to fill."""
    if question["type"] != "mcq" or question["lang"] != "fr":
        return False
    sentence = quoted_sentence(question["prompt"])
    return sentence is not None and BLANK.search(sentence) is not None


def fill(sentence: str, choice: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentence with every blank replaced by ``choice``, and where each fill sits."""
    parts = BLANK.split(sentence)
    text, spans = parts[0], []
    for part in parts[1:]:
        spans.append((len(text), len(text) + len(choice)))
        text += choice + part
    return text, spans


def _place(position: int, spans: list[tuple[int, int]]) -> tuple[str, int, int]:
    """A position relative to the fills: ("text", k, offset) in the k-th fixed part, or
    ("blank", k, 0) inside the k-th fill, so that it does not depend on the choice."""
    segment_start = 0
    for k, (start, end) in enumerate(spans):
        if position < start:
            return ("text", k, position - segment_start)
        if position < end or (position == end and start == end):
            return ("blank", k, 0)
        segment_start = end
    return ("text", len(spans), position - segment_start)


def _keyed(sentence: str, choice: str) -> dict[tuple[Any, ...], Error]:
    """The filled sentence's errors, keyed by family and place relative to the blanks."""
    text, spans = fill(sentence, choice)
    return {
        (e.family, _place(e.start, spans), _place(max(e.end - 1, e.start), spans)): e
        for e in sentence_errors(text)
    }


# ------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class ChoiceFault:
    """A choice that breaks the sentence, with the errors it brings."""

    choice: str
    errors: tuple[Error, ...]

    def describe(self) -> str:
        """« choice »: family: message; ..."""
        said = "; ".join(f"{e.family}: {e.message}" for e in self.errors)
        return f"« {self.choice} »: {said}"


def agreement_report(question: Json) -> list[ChoiceFault]:
    """The choices of a checkable question that bring agreement errors the answer does not
    (empty for a question that is not checkable)."""
    if not is_checkable(question):
        return []
    sentence = quoted_sentence(question["prompt"])
    assert sentence is not None
    reference = _keyed(sentence, question["answer"])
    faults = []
    for choice in question["choices"]:
        if choice == question["answer"]:
            continue
        new = [e for key, e in _keyed(sentence, choice).items() if key not in reference]
        if new:
            faults.append(ChoiceFault(choice, tuple(new)))
    return faults


def agreement_faults(question: Json) -> list[str]:
    """The choices of a French mcq that break gender, number, elision, contraction or
    subject agreement once put in the blank (see the module docstring for what counts)."""
    return [fault.choice for fault in agreement_report(question)]
