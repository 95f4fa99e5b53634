"""Mechanical faults and broken agreement in the questions generated from every sheet.

Every sheet of the repository is generated (``fault_counts.sheet_runs``: ``questions/``
as one run, each file of tests/data/{sheets,uploads,flow} alone, each sheet of
tests/data/heldout when it exists), and the independent detectors of
tests/fault_counts.py and tests/grammar_oracle.py judge the result:

* none of the mechanical faults (``fault_counts.KINDS``) on any run: acronym
  give-aways, cut text, datelines, repeated blanks, answers readable in the stem,
  accepted forms that repeat the answer;
* at most 3 % of the French mcq questions with a blank have a choice that breaks the
  sentence's gender, number, elision, contraction or subject agreement (Grammalecte;
  skipped without it, failed on CI).

These tests measure the generator against the faults reported on it: they fail until
the generator stops making them. Only the public API is used.
"""

from __future__ import annotations

from typing import Any

import pytest
from fault_counts import BLANK, KINDS, Finding, find_faults, quoted_sentence, sheet_runs
from grammar_oracle import agreement_report, is_checkable, require_grammalecte

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

MAX_SHOWN = 15  # faulty questions listed in one failure message
AGREEMENT_MAX = 0.03  # share of French mcq with a blank allowed a breaking choice

RUNS = sheet_runs()

Json = dict[str, Any]


@pytest.fixture(scope="module")
def results() -> dict[str, Json]:
    """Every run generated once for the module (spaCy loads once)."""
    from quiz.generate import discover, generate

    return {run: generate(discover(paths)).to_json() for run, paths in RUNS.items()}


@pytest.fixture(scope="module")
def faults(results: dict[str, Json]) -> dict[str, dict[str, list[Finding]]]:
    """Each run's faulty questions, by kind."""
    return {run: find_faults(result) for run, result in results.items()}


def fail_if(faults: list[str], what: str) -> None:
    """Assert no faults, listing the first few so a failure is actionable."""
    if faults:
        shown = "\n  ".join(faults[:MAX_SHOWN])
        more = f"\n  ... and {len(faults) - MAX_SHOWN} more" if len(faults) > MAX_SHOWN else ""
        pytest.fail(f"{len(faults)} {what}:\n  {shown}{more}", pytrace=False)


@pytest.mark.parametrize("run", list(RUNS))
def test_every_run_has_questions(run: str, results: dict[str, Json]) -> None:
    """Without questions every check below would pass for nothing."""
    assert results[run]["questions"], f"{run}: no questions generated"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("run", list(RUNS))
def test_no_mechanical_faults(
    run: str, kind: str, faults: dict[str, dict[str, list[Finding]]]
) -> None:
    found = faults[run][kind]
    fail_if([finding.label() for finding in found], f"questions with {kind} in {run}")


def around_blank(prompt: str) -> str:
    """The words around the first blank of a prompt's quoted sentence."""
    sentence = quoted_sentence(prompt) or prompt
    blank = BLANK.search(sentence)
    start = blank.start() if blank else 0
    return "…" + sentence[max(0, start - 50) : start + 30] + "…"


def test_choices_keep_french_agreement(results: dict[str, Json]) -> None:
    """At most 3 % of French mcq with a blank offer a choice that breaks the sentence."""
    require_grammalecte()
    checked, broken, rates = 0, [], []
    for run, result in results.items():
        questions = [q for q in result["questions"] if is_checkable(q)]
        bad = [(q, report) for q in questions if (report := agreement_report(q))]
        checked += len(questions)
        broken += bad
        if questions:
            rates.append(f"{run}: {len(bad)}/{len(questions)}")
    assert checked, "no French mcq with a blank anywhere: nothing was checked"
    rate = len(broken) / checked
    if rate > AGREEMENT_MAX:
        labels = [
            f"{q['id']} {around_blank(q['prompt'])!r}: {'; '.join(f.describe() for f in report)}"
            for q, report in broken
        ]
        fail_if(
            labels,
            f"French mcq with a choice breaking agreement ({rate:.1%} > {AGREEMENT_MAX:.0%} "
            f"of {checked}; {', '.join(rates)})",
        )
