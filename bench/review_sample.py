"""Draw a blind-review sample of generated questions (see docs/quality.md).

Generates the sheets given (all in one run, as `quiz generate PATH... --json`), draws
``--per-sheet`` questions at random from each sheet revision named by ``--from``
(slug or slug@revision; every revision when omitted) with a recorded seed, and writes
(with ``--as-quiz``, each sheet's questions are drawn as the app draws a quiz, so that
none gives another away, as a learner would meet them):

* ``SAMPLE.md``: what the reviewer sees, and only that: for each question its number,
  prompt, choices, expected answer, accepted forms and the cited paragraph with the
  evidence marked ⟦like this⟧ (order questions: each event's paragraph and date);
* ``SAMPLE.key.json``: number → question id, sheet, revision, type (for the record).

Usage:
  .venv/bin/python bench/review_sample.py --seed 8 --per-sheet 8 -o /tmp/review \\
      questions tests/data/review/a
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

Json = dict[str, Any]


def marked(source: Json) -> str:
    """The cited paragraph with its evidence span between ⟦ ⟧."""
    text, span = source["paragraph"], source["evidence"]
    return f"{text[: span['start']]}⟦{text[span['start'] : span['end']]}⟧{text[span['end'] :]}"


def entry(number: int, question: Json) -> str:
    """One question as the reviewer reads it."""
    lines = [f"## Question {number}", "", f"**Prompt:** {question['prompt']}", ""]
    if question["choices"] and question["type"] != "order":
        lines += ["**Choices:**", *[f"- {c}" for c in question["choices"]], ""]
    if question["type"] == "order":
        lines += ["**Events as shown (shuffled):**", *[f"- {c}" for c in question["choices"]], ""]
        lines += ["**Expected order:**"]
        for i, (item, source) in enumerate(
            zip(question["answer"], question["item_sources"], strict=True), 1
        ):
            lines += [f"{i}. {item} (date: {source.get('date', '?')})",
                      f"   Cited paragraph: {marked(source)}"]  # fmt: skip
        return "\n".join([*lines, ""])
    lines += [f"**Expected answer:** {question['answer']}"]
    accepted = ", ".join(question["accepted"]) or "(none)"
    cited = marked(question["source"])
    lines += [f"**Also accepted:** {accepted}", "", f"**Cited paragraph:** {cited}", ""]
    return "\n".join(lines)


def wanted(question: Json, names: list[str]) -> bool:
    """Whether the question's sheet revision is one of ``names`` (all when empty)."""
    source = question["source"]
    revision = f"{source['sheet']}@{source['revision']}"
    return not names or source["sheet"] in names or revision in names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--per-sheet", type=int, default=8)
    parser.add_argument("--from", dest="names", action="append", default=[])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--as-quiz",
        action="store_true",
        help="draw each sheet's questions as a quiz is drawn (no question gives another away)",
    )
    args = parser.parse_args()

    from quiz.generate import discover, generate
    from quiz.generate.questions.overlap import of_generated, pick

    result = generate(discover([Path(p) for p in args.paths]))
    questions = result.to_json()["questions"]
    fields = {id(q): of_generated(g) for q, g in zip(questions, result.questions, strict=True)}
    by_sheet: dict[str, list[Json]] = {}
    for question in questions:
        if wanted(question, args.names):
            by_sheet.setdefault(question["source"]["sheet"], []).append(question)
    rng = random.Random(args.seed)
    sample = []
    for sheet in sorted(by_sheet):
        if args.as_quiz:  # drawn as the app draws a quiz: none gives another away
            shuffled = rng.sample(by_sheet[sheet], len(by_sheet[sheet]))
            drawn = pick([fields[id(q)] for q in shuffled], args.per_sheet)
            chosen = {id(f) for f in drawn}
            sample += [q for q in shuffled if id(fields[id(q)]) in chosen]
        else:
            sample += rng.sample(by_sheet[sheet], min(args.per_sheet, len(by_sheet[sheet])))
    rng.shuffle(sample)
    args.output.mkdir(parents=True, exist_ok=True)
    body = "\n".join(entry(n, q) for n, q in enumerate(sample, 1))
    (args.output / "SAMPLE.md").write_text(f"# Questions to review\n\n{body}", encoding="utf-8")
    key = {
        n: {k: q["source"][k] for k in ("sheet", "revision")} | {"id": q["id"], "type": q["type"]}
        for n, q in enumerate(sample, 1)
    }
    (args.output / "SAMPLE.key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
    print(f"{len(sample)} questions from {len(by_sheet)} sheets, seed {args.seed} -> {args.output}")


if __name__ == "__main__":
    main()
