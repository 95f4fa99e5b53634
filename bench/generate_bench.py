"""Benchmark of question generation: the built-in sheets, then big sheets.

Prints, from one run on this machine:
  cold   – a fresh process: imports, spaCy model load, generation (goal < 5 s)
  warm   – generation again in a process that already has the model
  parse  – spaCy's bare parse of the same paragraphs (the floor the rules add to)
  ratio  – warm / parse (goal <= 2: the budget of the question-quality work)
  web    – whether serving a page in a fresh app process imports spaCy (it must not)
then one row per size of sheet (about 15 KB, 500 KB and 5 MB of the real sheets
put end to end, see big_sheet.py), each in a fresh process with the models loaded:
generation time, spaCy's bare parse of the same paragraphs, their ratio (goal: the
same at every size, within 10% of the smallest's, and <= 2), the same ratio in CPU
time (what the process itself spent: steadier than wall time when other work shares the
cores) and the process's peak memory (goal for 5 MB: under 3 minutes and 700 MB).

Usage: .venv/bin/python bench/generate_bench.py [--repeat N] [--sizes 15000,...] [PATH ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from big_sheet import big_sheet_text

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


SIZES = [15_000, 500_000, 5_000_000]

# One big sheet in a fresh process: generation, then the bare parse of its paragraphs,
# alternately ``repeat`` times (medians); the peak memory is taken before any bare parse.
SIZE_ROW = """
import json, resource, statistics, sys, time
from pathlib import Path
from quiz.generate import discover, generate
from quiz.generate.nlp import BATCH_SIZE, pipeline_for
from quiz.generate.normalize import forget, matching_text
pipeline_for("fr"), pipeline_for("en")  # loading the models is not generation
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sources = discover([Path(sys.argv[1])])
repeat = int(sys.argv[2])
generation, parse, peak = [], [], 0.0
generation_cpu, parse_cpu = [], []
for run in range(repeat):
    forget()
    start, cpu = time.perf_counter(), time.process_time()
    result = generate(sources)
    generation.append(time.perf_counter() - start)
    generation_cpu.append(time.process_time() - cpu)
    if run == 0:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        texts = {}
        for sheet in result.sheets:
            for p in sheet.paragraphs:
                if p.quizzable:
                    texts.setdefault(p.lang, []).append(matching_text(p.text))
        questions = len(result.questions)
    del result
    start, cpu = time.perf_counter(), time.process_time()
    for lang, batch in texts.items():
        for _ in pipeline_for(lang).pipe(batch, batch_size=BATCH_SIZE):
            pass
    parse.append(time.perf_counter() - start)
    parse_cpu.append(time.process_time() - cpu)
print(json.dumps({"generation": statistics.median(generation),
                  "parse": statistics.median(parse), "peak_mb": peak, "loaded_mb": loaded,
                  "cpu_ratio": statistics.median(generation_cpu) / statistics.median(parse_cpu),
                  "questions": questions, "paragraphs": sum(map(len, texts.values()))}))
"""


def size_row(size: int, repeat: int) -> dict[str, float]:
    """Generation against the bare parse on a big sheet of about ``size`` bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"big-{size}.txt"
        path.write_text(big_sheet_text(size), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", SIZE_ROW, str(path), str(repeat)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
        figures["bytes"] = path.stat().st_size
    return figures


def print_size_rows(sizes: list[int], repeat: int) -> None:
    """One row per size; the ratio of each against the smallest sheet's."""
    print(f"{'size':>8} {'paras':>6} {'questions':>9} {'generate':>9} {'parse':>8} "
          f"{'ratio':>6} {'vs first':>8} {'cpu':>5} {'peak':>8} {'models':>7}")
    first = None
    for size in sizes:
        row = size_row(size, repeat if size < 1_000_000 else 1)
        ratio = row["generation"] / row["parse"]
        first = first or ratio
        print(
            f"{row['bytes'] / 1000:>6.0f}KB {row['paragraphs']:>6.0f} {row['questions']:>9.0f} "
            f"{row['generation']:>8.1f}s {row['parse']:>7.1f}s {ratio:>6.2f} "
            f"{ratio / first - 1:>+8.0%} {row['cpu_ratio']:>5.2f} {row['peak_mb']:>6.0f}MB "
            f"{row['loaded_mb']:>5.0f}MB",
            flush=True,
        )


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
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="big sheets' sizes in bytes"
    )
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
    sizes = [int(size) for size in args.sizes.split(",") if size]
    if sizes:
        print_size_rows(sizes, max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
