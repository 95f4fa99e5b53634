"""Benchmark of question generation on the built-in sheets.

Prints, from one run on this machine:
  cold   – a fresh process: imports, spaCy model load, generation (goal < 5 s)
  warm   – generation again in a process that already has the model
  parse  – spaCy's bare parse of the same paragraphs (the floor the rules add to)
  ratio  – warm / parse (goal <= 2: the budget of the question-quality work)
  web    – whether serving a page in a fresh app process imports spaCy (it must not)

Usage: .venv/bin/python bench/generate_bench.py [--repeat N] [PATH ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COLD = """
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
from quiz.generate import discover, generate
result = generate(discover([Path(p) for p in sys.argv[1:]]))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "questions": len(result.questions), "peak_mb": peak}))
"""

WEB = """
import sys, tempfile
from quiz import create_app
from quiz.services.database import init_db
with tempfile.TemporaryDirectory() as tmp:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"})
    with app.app_context():
        init_db()
    status = app.test_client().get("/").status_code
print(status, "spacy" in sys.modules)
"""


def cold_run(paths: list[str]) -> dict[str, float]:
    """One generation in a fresh interpreter, timed from inside and outside."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", COLD, *paths], capture_output=True, text=True, check=True, cwd=ROOT
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - started
    return figures


def median_seconds(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of ``action()`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["questions"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cold = cold_run(args.paths)

    from quiz.generate import discover, generate
    from quiz.generate.nlp import pipeline_for
    from quiz.generate.normalize import forget, matching_text

    sources = discover([Path(p) for p in args.paths])
    result = generate(sources)  # loads the model: not timed as warm
    by_lang: dict[str, list[str]] = {}
    for sheet in result.sheets:
        for p in sheet.paragraphs:
            if p.quizzable:
                by_lang.setdefault(p.lang, []).append(matching_text(p.text))

    def bare_parse() -> None:
        for lang, texts in by_lang.items():
            list(pipeline_for(lang).pipe(texts, batch_size=64))

    def warm_run() -> None:
        forget()  # no text folded by an earlier run: each run starts as a first one would
        generate(sources)

    warm = median_seconds(warm_run, args.repeat)
    parse = median_seconds(bare_parse, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    web = subprocess.run(
        [sys.executable, "-c", WEB], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()

    words = sum(len(t.split()) for texts in by_lang.values() for t in texts)
    questions = len(result.questions)
    print(f"sheets: {len(result.sheets)} revisions, {words} words, {questions} questions")
    print(
        f"cold:   {cold['seconds']:.2f} s in-process, {cold['process_seconds']:.2f} s "
        f"with interpreter start (goal < 5 s); peak {cold['peak_mb']:.0f} MB"
    )
    print(f"warm:   {warm * 1000:.0f} ms (median of {args.repeat})")
    print(f"parse:  {parse * 1000:.0f} ms spaCy bare parse of the same paragraphs")
    print(f"ratio:  {warm / parse:.2f} warm / parse (goal <= 2)")
    print(f"memory: {peak:.0f} MB peak in this process")
    print(f"web:    GET / -> {web[0]}, spaCy imported by the web process: {web[1]}")


if __name__ == "__main__":
    main()
