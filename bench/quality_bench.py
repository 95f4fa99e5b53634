"""Quality bench: mechanical faults and French agreement of the generated questions.

Prints one row per generation run, then the total:
  q        questions generated
  acro     acronym give-aways             cut      cut text (ellipses, cut sentences)
  date     datelines ("2015Le", "Sep.")   blanks   prompts with more than one blank
  stem     answers readable in the prompt acc=ans  accepted forms repeating the answer
  fr-mcq   French mcq with a blank, checked by the grammar oracle (Grammalecte)
  agree    of those, questions with a choice breaking gender, number, elision,
           contraction or subject agreement, and their rate (the tests allow 3 %)
  prompt   mean and max prompt length, in characters
and the oracle's time per filled sentence. The detectors are tests/fault_counts.py and
tests/grammar_oracle.py, independent of the generator's own rules.

Usage: .venv/bin/python bench/quality_bench.py [PATH ...]
  Without PATH: every sheet of the repository, run as tests/test_question_faults.py
  runs them (questions/ as one run, each file of tests/data/{sheets,uploads,flow} and
  each sheet of tests/data/review alone). Each PATH given is one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The detectors live with the tests that assert on them.
sys.path.insert(0, str(ROOT / "tests"))

SHORT = {
    "acronym give-away": "acro",
    "cut text": "cut",
    "dateline": "date",
    "repeated blank": "blanks",
    "answer in stem": "stem",
    "accepted repeats answer": "acc=ans",
}

Json = dict[str, Any]


@dataclass
class Row:
    """The figures of one run (or of the total)."""

    run: str
    questions: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    checked: int = 0
    broken: int = 0
    fills: int = 0
    oracle_seconds: float = 0.0
    prompt_lengths: list[int] = field(default_factory=list)

    def add(self, other: Row) -> None:
        """Accumulate another run's figures into this one."""
        self.questions += other.questions
        for kind, count in other.faults.items():
            self.faults[kind] = self.faults.get(kind, 0) + count
        self.checked += other.checked
        self.broken += other.broken
        self.fills += other.fills
        self.oracle_seconds += other.oracle_seconds
        self.prompt_lengths += other.prompt_lengths


def measure(run: str, result: Json, oracle: bool) -> Row:
    """Count a run's faults; with ``oracle``, check its French mcq with the grammar oracle."""
    from fault_counts import find_faults
    from grammar_oracle import agreement_report, is_checkable

    questions = result["questions"]
    row = Row(run, len(questions), {k: len(v) for k, v in find_faults(result).items()})
    row.prompt_lengths = [len(q["prompt"]) for q in questions]
    if oracle:
        checkable = [q for q in questions if is_checkable(q)]
        started = time.perf_counter()
        row.broken = sum(1 for q in checkable if agreement_report(q))
        row.oracle_seconds = time.perf_counter() - started
        row.checked = len(checkable)
        # The answer's filling plus one per other choice.
        row.fills = sum(len(q["choices"]) for q in checkable)
    return row


def format_row(row: Row, oracle: bool) -> str:
    """One line of the table."""
    counts = " ".join(f"{row.faults.get(kind, 0):>{len(short)}}" for kind, short in SHORT.items())
    if oracle and row.checked:
        agree = f"{row.checked:>6} {row.broken:>5} {row.broken / row.checked:>6.1%}"
    else:
        agree = f"{'-':>6} {'-':>5} {'-':>6}"
    lengths = row.prompt_lengths or [0]
    prompt = f"{statistics.fmean(lengths):>5.0f} {max(lengths):>5}"
    return f"{row.run[:34]:<34} {row.questions:>4} {counts}  {agree}  {prompt}"


def print_table(rows: list[Row], oracle: bool) -> None:
    """The header, one line per run, and the total."""
    total = Row("total")
    for row in rows:
        total.add(row)
    kinds = " ".join(SHORT.values())
    agree = f"{'fr-mcq':>6} {'agree':>5} {'rate':>6}"
    header = f"{'run':<34} {'q':>4} {kinds}  {agree}  {'mean':>5} {'max':>5}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(format_row(row, oracle))
    print("-" * len(header))
    print(format_row(total, oracle))
    if oracle and total.fills:
        per = total.oracle_seconds / total.fills * 1000
        print(f"oracle: {per:.1f} ms per filled sentence ({total.fills} sentences)")
    elif not oracle:
        print("oracle: grammalecte is missing (apt-get install python3-grammalecte)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args()

    from fault_counts import sheet_runs
    from grammar_oracle import available

    from quiz.generate import discover, generate

    runs = {str(p): [p] for p in args.paths} if args.paths else sheet_runs(ROOT)
    started = time.perf_counter()
    results = {run: generate(discover(paths)).to_json() for run, paths in runs.items()}
    generation = time.perf_counter() - started

    started = time.perf_counter()
    oracle = available()
    load = time.perf_counter() - started
    rows = [measure(run, result, oracle) for run, result in results.items()]
    print_table(rows, oracle)
    print(f"generation: {generation:.1f} s for {len(runs)} runs; oracle load {load:.2f} s")


if __name__ == "__main__":
    main()
