"""Generation of a big sheet costs in proportion to its text, in bounded memory.

The same real sheets are put end to end once and then eight times over (distinct
headings, see bench/big_sheet.py); generation is timed against spaCy's bare parse
of the same paragraphs, in the same process, so that the machine's load weighs on
both. Scans of the whole sheet for every question (like sentences, distractor
pools, a paragraph's facts) made the eight-fold sheet cost several times the ratio
of the single one.
"""

from __future__ import annotations

import importlib.util
import time
import tracemalloc
from pathlib import Path

import pytest

from quiz.generate import discover, generate, pipeline
from quiz.generate.nlp import pipeline_for
from quiz.generate.normalize import forget, matching_text
from quiz.generate.questions import build_questions

ROOT = Path(__file__).resolve().parents[1]
SHEETS = ["questions", "tests/data/sheets"]  # 26 KB of French and English text

pytestmark = pytest.mark.slow


def _big_sheet_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("big_sheet", ROOT / "bench" / "big_sheet.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_sheet(tmp_path: Path, rounds: int) -> Path:
    """The sheets of SHEETS end to end ``rounds`` times, as one plain-text sheet."""
    text = _big_sheet_module().big_sheet_text(1 << 40, SHEETS, rounds=rounds)
    path = tmp_path / f"rounds-{rounds}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def generation_over_parse(path: Path) -> float:
    """Generation time of the sheet at ``path`` over the bare parse of its paragraphs."""
    sources = discover([path])
    forget()
    start = time.perf_counter()
    result = generate(sources)
    generation = time.perf_counter() - start
    start = time.perf_counter()
    for sheet in result.sheets:
        for lang in sorted({p.lang for p in sheet.paragraphs}):
            texts = [matching_text(p.text) for p in sheet.paragraphs if p.quizzable and p.lang == lang]
            for _ in pipeline_for(lang).pipe(texts, batch_size=64):
                pass
    return generation / (time.perf_counter() - start)


def test_eight_times_the_text_keeps_the_ratio_to_the_parse(tmp_path: Path) -> None:
    generation_over_parse(write_sheet(tmp_path, 1))  # models loaded, caches warm
    single = generation_over_parse(write_sheet(tmp_path, 1))
    eightfold = generation_over_parse(write_sheet(tmp_path, 8))
    assert eightfold < single * 1.4, (single, eightfold)


# What the parses of a sheet may keep, per byte of its text, while its questions are
# built: 60 bytes puts a 5 MB sheet's at 300 MB beside the 200 MB of the models (the
# goal is 700 MB). Whole spaCy Docs, tok2vec tensor included, kept over 100.
RETAINED_PER_BYTE = 60


def test_parses_are_not_kept_whole_while_questions_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_sheet(tmp_path, 8)
    generate(discover([write_sheet(tmp_path, 1)]))  # models loaded outside the trace
    retained: list[int] = []

    def measured_build_questions(*args: object) -> object:
        retained.append(tracemalloc.get_traced_memory()[0])
        return build_questions(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build_questions", measured_build_questions)
    forget()
    tracemalloc.start()
    try:
        result = generate(discover([path]))
    finally:
        tracemalloc.stop()
    assert result.questions
    assert retained[0] < RETAINED_PER_BYTE * path.stat().st_size, retained
