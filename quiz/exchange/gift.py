"""GIFT, Moodle's plain-text question format.

Each question is written as::

    // quiz: {"type": "mcq", "lang": "fr", "tags": [...], "source": {...}, ...}
    ::q-4d833bda7029::[plain]Prompt{
    =right choice
    ~wrong choice
    ####Explanation\\nSource : fiche « Title », version 2022-01, paragraphe p-… — /sheets/…
    }

The title is the stable id (Moodle keeps it as the question's name). The
general feedback (``####``) holds the explanation and the citation line, with
its link. The ``// quiz:`` comment keeps, as one line of JSON, what GIFT cannot
say: type, language, tags, difficulty, accepted forms, the full source and,
for ``order``, the item sources. Moodle drops comments, so a file that went
through Moodle is read back from the title and the citation link alone.

Per type: ``mcq`` ``{=right ~wrong …}`` in the choices' order; ``true_false``
``{T}``/``{F}``; ``short`` and ``cloze`` ``{=answer =other form …}``;
``numeric`` ``{#value}`` with the first numeric form of the answer (``huit``
→ ``8``; the quiz form stays in the comment), or ``{=…}`` when there is none;
``order`` as a matching question ``{=event -> 1 =event -> 2 …}`` (each event,
in the shuffled order, matched with its rank, oldest first), skipped when
Moodle could not take it (fewer than three events, or ``->`` inside one).

Import reads the same shapes, plus Moodle's missing-word form (``text {=a}
more text`` becomes a cloze with ``_____``) and ``[html]`` text. What the
answer block says wins over the comment: an answer or accepted form added in
Moodle is kept.

An ordinary GIFT file, written by hand or by another tool, has neither the
``// quiz:`` line nor our citation: its questions cite their source with a
``// source: SLUG, first words of the paragraph`` (or ``SLUG, #anchor``, or
``SLUG`` alone) comment above them. Such a line alone in its block (say at the
top of the file) is the default of the questions after it that have none.
Their language is the sheet's, their id a hash of the question unless the
title is one (``docs/exchange.md``).

The answer block and the escapes are read by ``gift_answers``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .common import (
    BLANK,
    DEFAULT_DIFFICULTY,
    FREE_ANSWER_TYPES,
    ID_PATTERN,
    MIN_MATCHING_ITEMS,
    TRUE_FALSE_CHOICES,
    Citation,
    Export,
    Parsed,
    Record,
    Skipped,
    content_id,
    decode_text,
    feedback_text,
    load_json,
    make_record,
    make_source,
    numeric_value,
    read_citation,
    sheet_titles,
    split_feedback,
)
from .gift_answers import (
    SPECIAL,
    TRUE_FALSE,
    Answers,
    GiftError,
    Reader,
    mask,
    reader,
    split_question,
)
from .messages import N_
from .validation import checked_records

METADATA_PREFIX = "// quiz:"
HEADER = (
    "// Questions exported by quiz. Each '// quiz:' line keeps the question's type, language,\n"
    "// tags, accepted answers and source for quiz; Moodle ignores it."
)
# A teacher's citation: "// source: SLUG, first words" (also "// Source :" as French writes it).
_MOODLE_COMMENT = re.compile(r"^//\s*\[(?P<key>id|tag):(?P<value>[^\]]*)\]\s*$")
_SOURCE_LINE = re.compile(r"^//\s*source\s*:(?P<citation>.*)$", re.IGNORECASE)


@dataclass
class _Block:
    """The lines of one question (comments apart) and its ``// quiz:`` metadata."""

    line: int = 0
    lines: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    metadata_line: int = 0
    metadata_error: str = ""
    citation: Citation | None = None
    # What Moodle's "// [id:…]" and "// [tag:…]" comments say.
    moodle_id: str = ""
    moodle_tags: list[str] = field(default_factory=list)



def export(
    records: Sequence[Record], *, sheets: Iterable[Mapping[str, Any]] = (), base_url: str = ""
) -> Export:
    """The records as GIFT text; ``order`` questions Moodle could not take are skipped."""
    titles = sheet_titles(sheets)
    blocks, skipped = [HEADER], []
    for record in records:
        reason = unsupported_reason(record)
        if reason:
            skipped.append(Skipped(record["id"], reason))
        else:
            blocks.append(_question_text(record, titles, base_url))
    text = "\n\n".join(blocks) + "\n"
    return Export(text.encode("utf-8"), len(blocks) - 1, skipped)


def unsupported_reason(record: Record) -> str | None:
    """Why Moodle's matching question cannot hold ``record`` (None when it can)."""
    if record["type"] != "order":
        return None
    if len(record["answer"]) < MIN_MATCHING_ITEMS:
        return f"Moodle's matching question needs at least {MIN_MATCHING_ITEMS} events"
    if any("->" in event for event in record["answer"]):
        return "an event contains '->', which GIFT matching cannot escape"
    return None


def escape(text: str) -> str:
    """``text`` with GIFT's special characters backslashed and newlines as ``\\n``."""
    return "".join(
        "\\" + char if char in SPECIAL else "\\n" if char == "\n" else char for char in text
    )


def parse(data: bytes) -> list[Parsed]:
    """The questions of a GIFT file, each with its first line; nothing if any is wrong."""
    parsed, errors = [], []
    for block in _blocks(decode_text(data)):
        try:
            parsed.append(Parsed(block.line, *_record(block)))
        except GiftError as error:
            errors.append((error.line or block.line, error.message))
    return checked_records(parsed, errors)


def _question_text(record: Record, titles: Mapping[str, str], base_url: str) -> str:
    """The ``// quiz:`` line and the question, for one record."""
    metadata = json.dumps(_metadata(record), ensure_ascii=False)
    feedback = "####" + escape(feedback_text(record, titles, base_url))
    answers = _answer_lines(record)
    if len(answers) == 1:  # T, F and #value read best (and parse surest) inline
        block = "{" + answers[0] + feedback + "}"
    else:
        block = "{\n" + "\n".join([*answers, feedback]) + "\n}"
    question = f"::{record['id']}::[plain]{escape(record['prompt'])}{block}"
    # Moodle (4.0 on) reads these comments as the question's idnumber and tags.
    moodle_lines = [f"// [id:{record['id']}]", *(f"// [tag:{tag}]" for tag in record["tags"])]
    return "\n".join([f"{METADATA_PREFIX} {metadata}", *moodle_lines, question])


def _metadata(record: Record) -> dict[str, Any]:
    """What the answer block cannot say, for the ``// quiz:`` comment."""
    keys = ["type", "lang", "tags", "difficulty", "accepted", "source", "item_sources"]
    metadata = {key: record[key] for key in keys if key in record}
    if record["type"] == "numeric":
        metadata["answer"] = record["answer"]  # "huit", when the block says #8
    return metadata


def _answer_lines(record: Record) -> list[str]:
    """The entries of the answer block, by question type."""
    kind, answer = record["type"], record["answer"]
    if kind == "mcq":
        return [("=" if c == answer else "~") + escape(c) for c in record["choices"]]
    if kind == "true_false":
        return ["T" if answer == record["choices"][0] else "F"]
    if kind == "order":
        return [f"={escape(e)} -> {answer.index(e) + 1}" for e in record["choices"]]
    value = numeric_value(record) if kind == "numeric" else None
    if value is not None:
        return ["#" + value]
    forms = dict.fromkeys([answer, *record["accepted"]])  # the answer first, no repeats
    return ["=" + escape(form) for form in forms]


def _blocks(text: str) -> Iterator[_Block]:
    """The questions of the file: runs of lines between blank lines, comments set apart.

    A ``// source:`` line alone in its block is not yielded: it becomes the
    citation of the following blocks that give none.
    """
    block, default = _Block(), None
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        stripped = line.strip()
        source_line = _SOURCE_LINE.match(stripped)
        moodle_comment = _MOODLE_COMMENT.match(stripped)
        if not stripped:
            if block.lines or block.metadata_line:
                yield block
            elif block.citation is not None:
                default = block.citation
            block = _Block(citation=default)
        elif source_line:
            block.citation = read_citation(source_line["citation"])
        elif moodle_comment:
            _read_moodle_comment(block, moodle_comment)
        elif stripped.startswith(METADATA_PREFIX):
            block.metadata_line = number
            try:
                block.metadata = _read_metadata(stripped[len(METADATA_PREFIX) :])
            except GiftError as error:
                block.metadata_error = error.message
        elif stripped.startswith("//") or (stripped.startswith("$CATEGORY:") and not block.lines):
            continue  # comments, and Moodle's category lines
        else:
            block.line = block.line or number
            block.lines.append(line)


def _read_moodle_comment(block: _Block, comment: re.Match[str]) -> None:
    """Keep what a ``// [id:…]`` or ``// [tag:…]`` comment says about the block's question."""
    if comment["key"] == "id":
        block.moodle_id = comment["value"].strip()
    else:
        block.moodle_tags.append(comment["value"].strip())


def _read_metadata(text: str) -> dict[str, Any]:
    """The JSON object of a ``// quiz:`` line."""
    try:
        metadata = load_json(text)
    except json.JSONDecodeError as error:
        message = N_("the '// quiz:' line is not JSON: %(reason)s", reason=error.msg)
        raise GiftError(message) from None
    if not isinstance(metadata, dict):
        raise GiftError(N_("the '// quiz:' line must hold a JSON object"))
    return metadata


def _record(block: _Block) -> tuple[Record, Citation | None]:
    """The record of one question block, and the teacher's citation it waits for, if any."""
    if block.metadata_error:
        raise GiftError(block.metadata_error, block.metadata_line)
    if not block.lines:
        raise GiftError(N_("a '// quiz:' line with no question after it"), block.metadata_line)
    title, text_format, prompt, answers = split_question(mask("\n".join(block.lines)))
    read = reader(text_format)
    meta = block.metadata
    explanation, cited_lang, cited_source = split_feedback(read(answers.feedback))
    source, lang = meta.get("source") or cited_source, meta.get("lang") or cited_lang or ""
    # Ours (a '// quiz:' line or our citation) keeps its source; any other cites as teachers do.
    citation = None if source else block.citation or Citation()
    if citation is None and lang not in TRUE_FALSE_CHOICES:
        raise GiftError(N_("the '// quiz:' line gives no language ('lang': 'fr' or 'en')"))
    fields = _typed_fields(answers, read, meta, lang, prompt=read(prompt))
    record = make_record(
        "",
        source=source or make_source(citation.sheet if citation else "", "", "", 0, 0),
        lang=lang,
        tags=meta.get("tags", block.moodle_tags),
        difficulty=meta.get("difficulty", DEFAULT_DIFFICULTY),
        explanation=explanation,
        item_sources=meta.get("item_sources", []),
        **fields,
    )
    found_id = ID_PATTERN.search(read(title)) or ID_PATTERN.fullmatch(block.moodle_id)
    if citation is None and found_id is None:
        raise GiftError(N_("no question id: give it a title ::q-…:: ('q-' and 12 hex digits)"))
    record["id"] = found_id[0] if found_id else content_id(record)
    return record, citation



def _typed_fields(
    answers: Answers, read: Reader, meta: dict[str, Any], lang: str, prompt: str
) -> dict[str, Any]:
    """``type``, ``prompt``, ``choices``, ``answer`` and ``accepted`` from the block's shape."""
    choices, found = [read(c) for c in answers.choices], [read(a) for a in answers.answers]
    accepted = list(meta.get("accepted", []))
    kind, answer = answers.shape, found[0]
    order: list[str] = []
    if kind == "true_false":
        # Without a language yet (an ordinary file), French; the sheet's language comes later.
        choices = TRUE_FALSE_CHOICES.get(lang, TRUE_FALSE_CHOICES["fr"])
        answer = choices[0] if TRUE_FALSE[answer] else choices[1]
    elif kind == "order":
        order = found
    elif kind == "numeric":
        kept = meta.get("answer")
        in_lang = {"answer": kept, "accepted": accepted, "lang": lang}
        kept_value = numeric_value(in_lang) if kept else None
        if isinstance(kept, str) and kept_value == answer:
            answer = kept  # the quiz form ("huit") of the value Moodle grades (8)
    elif kind == "free":
        meta_type = meta.get("type")  # "numeric" for a number with no digits ({=huit})
        default = "cloze" if BLANK in prompt else "short"
        kind = meta_type if meta_type in FREE_ANSWER_TYPES else default
        accepted += [form for form in found[1:] if form not in accepted]
    return dict(
        type=kind, prompt=prompt, choices=choices, answer=order or answer, accepted=accepted
    )

