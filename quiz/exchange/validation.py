"""Checking question records against the schema of ``docs/question-schema.md``.

``validate_record`` lists every way one record breaks the schema;
``check_records`` and ``checked_records`` turn a whole file's problems into
one ``ImportErrors``, so that nothing of a file with any error is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .common import (
    FREE_ANSWER_TYPES,
    ID_PATTERN,
    LANGS,
    QUESTION_TYPES,
    TAG_PATTERN,
    TRUE_FALSE_CHOICES,
    Parsed,
    Record,
)
from .errors import ImportErrors
from .messages import N_, about

_REQUIRED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "type": str,
    "prompt": str,
    "choices": list,
    "answer": (str, list),
    "accepted": list,
    "lang": str,
    "tags": list,
    "difficulty": (int, float),
    "explanation": str,
    "source": dict,
}
_OPTIONAL_FIELDS: dict[str, type | tuple[type, ...]] = {"item_sources": list}
_SOURCE_FIELDS = ("sheet", "revision", "anchor", "paragraph", "evidence")
# An order question's item source may also say when its event happened, as the sheet writes it.
_ITEM_SOURCE_FIELDS = (*_SOURCE_FIELDS, "date")


def validate_record(record: Any, unplaced: bool = False) -> list[str]:
    """Every way ``record`` breaks the question schema (empty when it is valid).

    An ``unplaced`` record (of an ordinary file, citing no paragraph) may have
    an empty evidence span: the instructor places it with the editor's picker.
    """
    if not isinstance(record, dict):
        return [N_("a question must be an object")]
    problems = _field_problems(record)
    if problems:  # the rules below assume the fields exist with the right types
        return problems
    problems = _value_problems(record) + _answer_problems(record)
    for problem in source_problems(record["source"], unplaced=unplaced):
        problems.append(N_("source: %(problem)s", problem=problem))
    for index, item_source in enumerate(record.get("item_sources", [])):
        for problem in source_problems(item_source, item=True):
            where = N_("item_sources[%(index)d]: %(problem)s", index=index, problem=problem)
            problems.append(where)
    return problems


def check_records(parsed: Sequence[Parsed]) -> None:
    """Raise ``ImportErrors`` unless every record is valid and none appears twice.

    A record whose teacher's citation is not resolved yet is left for later:
    its source is only known once the database has found the paragraph.
    """
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, record, citation in parsed:
        if citation is not None and not citation.resolved:
            continue
        unplaced = citation is not None and not citation.paragraph
        label = record.get("id") if isinstance(record, dict) else None
        label = label if isinstance(label, str) and label else N_("question")
        for problem in validate_record(record, unplaced):
            errors.append((line, about(label, problem)))
        if isinstance(record, dict) and isinstance(record.get("source"), dict):
            source = record["source"]
            key = (record.get("id"), source.get("sheet"), source.get("revision"))
            if key in seen:
                message = N_(
                    "%(id)s: also on line %(line)d for the same revision", id=key[0], line=seen[key]
                )
                errors.append((line, message))
            seen.setdefault(key, line)
    if errors:
        raise ImportErrors(errors)


def checked_records(parsed: list[Parsed], errors: Sequence[tuple[int, str]]) -> list[Parsed]:
    """``parsed``, once the whole file is known to be good.

    Raise ``ImportErrors`` with ``errors`` (what went wrong reading the questions)
    when there are any, else as ``check_records`` does.
    """
    if errors:
        raise ImportErrors(errors)
    check_records(parsed)
    return parsed


def source_problems(source: Any, item: bool = False, unplaced: bool = False) -> list[str]:
    """Every way ``source`` breaks the schema's source object (an ``item`` source of an
    order question may add a ``date``; an ``unplaced`` one may have an empty span)."""
    if not isinstance(source, dict):
        return [N_("must be an object")]
    known = _ITEM_SOURCE_FIELDS if item else _SOURCE_FIELDS
    unknown = [name for name in source if name not in known]
    problems: list[str] = [N_("unknown field %(name)r", name=name) for name in unknown]
    problems += [N_("missing %(name)r", name=name) for name in _SOURCE_FIELDS if name not in source]
    if problems:
        return problems
    for name in ("sheet", "revision", "anchor", *(["date"] if "date" in source else [])):
        if not isinstance(source[name], str) or not source[name].strip():
            problems.append(N_("%(name)s must be a non-empty string", name=name))
    if not isinstance(source["paragraph"], str):
        problems.append(N_("paragraph must be a string"))
    evidence = source["evidence"]
    offsets = (
        [evidence.get(name) for name in ("start", "end")] if isinstance(evidence, dict) else []
    )
    if len(offsets) != 2 or any(type(offset) is not int for offset in offsets):  # bools too
        return [*problems, N_("evidence must be {'start': int, 'end': int}")]
    start, end = evidence["start"], evidence["end"]
    if not 0 <= start < end and not (unplaced and start == end == 0):
        problems.append(
            N_("evidence span [%(start)d, %(end)d) is empty or negative", start=start, end=end)
        )
    paragraph = source["paragraph"]
    if isinstance(paragraph, str) and paragraph and end > len(paragraph):
        problems.append(
            N_(
                "evidence span ends at %(end)d, past the paragraph (%(length)d)",
                end=end,
                length=len(paragraph),
            )
        )
    return problems


def _field_problems(record: Record) -> list[str]:
    """Missing, unknown and mistyped fields."""
    known = _REQUIRED_FIELDS | _OPTIONAL_FIELDS
    unknown = [name for name in record if name not in known]
    problems: list[str] = [N_("unknown field %(name)r", name=name) for name in unknown]
    for name, expected in known.items():
        if name not in record:
            if name in _REQUIRED_FIELDS:
                problems.append(N_("missing %(name)r", name=name))
        elif not isinstance(record[name], expected) or isinstance(record[name], bool):
            kind = type(record[name]).__name__
            problems.append(N_("%(name)r has the wrong type (%(type)s)", name=name, type=kind))
    for name in ("choices", "accepted", "tags"):
        if isinstance(record.get(name), list) and not _all_strings(record[name]):
            problems.append(N_("%(name)r must hold strings only", name=name))
    return problems


def _value_problems(record: Record) -> list[str]:
    """Values outside what the schema allows."""
    problems: list[str] = []
    if not ID_PATTERN.fullmatch(record["id"]):
        problems.append(N_("id must be 'q-' followed by 12 hex digits"))
    if record["type"] not in QUESTION_TYPES:
        problems.append(N_("unknown type %(type)r", type=record["type"]))
    if not record["prompt"].strip():
        problems.append(N_("empty prompt"))
    if record["lang"] not in LANGS:
        problems.append(N_("lang must be one of %(langs)s", langs=", ".join(LANGS)))
    bad_tags = [tag for tag in record["tags"] if not TAG_PATTERN.fullmatch(tag)]
    problems += [N_("bad tag %(tag)r", tag=tag) for tag in bad_tags]
    if not 0 <= record["difficulty"] <= 1:
        problems.append(N_("difficulty must lie between 0 and 1"))
    if "item_sources" in record and record["type"] != "order":
        problems.append(N_("only order questions have item_sources"))
    return problems


def _answer_problems(record: Record) -> list[str]:
    """The answer and choices rules of each question type."""
    kind, answer, choices = record["type"], record["answer"], record["choices"]
    if kind == "order":
        if not isinstance(answer, list) or not _all_strings(answer) or len(set(answer)) < 2:
            return [N_("an order answer must list at least two distinct events")]
        if sorted(choices) != sorted(answer):
            return [N_("an order question's choices must be its answer's events, shuffled")]
        return []
    if answer == "" or (isinstance(answer, str) and not answer.strip()):
        return [N_("missing answer")]
    if not isinstance(answer, str):
        return [N_("the answer must be a string")]
    if kind == "mcq":
        if len(set(choices)) != len(choices) or len(choices) < 2:
            return [N_("an mcq needs at least two distinct choices")]
        if answer not in choices:
            return [N_("the answer of an mcq must be one of its choices")]
    elif kind == "true_false":
        expected = TRUE_FALSE_CHOICES.get(record["lang"])
        if expected and (choices != expected or answer not in expected):
            return [
                N_(
                    "a true_false question's choices are %(choices)s and its answer one of them",
                    choices=str(expected),
                )
            ]
    elif choices and kind in FREE_ANSWER_TYPES:
        return [N_("a %(type)s question has no choices", type=kind)]
    return []


def _all_strings(values: list[Any]) -> bool:
    """Whether every value is a non-blank string."""
    return all(isinstance(value, str) and value.strip() for value in values)
