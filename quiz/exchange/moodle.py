"""Moodle XML, the question bank format Moodle imports and exports losslessly.

The stable id is the question's ``<idnumber>`` (and starts its ``<name>``);
the explanation and the citation, with its link, are the
``<generalfeedback>``; tags are ``<tags>``. One category pseudo-question
(``$course$/top/quiz/<sheet title>``) opens each sheet's questions.

Per type: ``mcq`` → ``multichoice`` (single answer, the right choice at
fraction 100, the others at 0); ``true_false`` → ``truefalse``; ``short`` and
``cloze`` → ``shortanswer``, the answer and each other accepted form at 100;
``numeric`` → ``numerical`` with the first numeric form of the answer and
tolerance 0, or ``shortanswer`` when it has none (``huit`` alone); ``order`` →
``matching``, each event (in the shuffled order) matched with its rank,
skipped below three events, which Moodle refuses.

Moodle keeps no difficulty, language or paragraph text: on import, the
language comes from the citation's wording, the source from its link, and the
paragraph from the sheet in the database. Text is written escaped rather than
in CDATA sections; XML readers see no difference.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.parsers import expat

from .common import (
    BLANK,
    ID_PATTERN,
    MIN_MATCHING_ITEMS,
    TRUE_FALSE_CHOICES,
    Export,
    Parsed,
    Record,
    Skipped,
    as_number,
    citation_link,
    citation_text,
    html_to_text,
    make_record,
    numeric_value,
    order_from_ranks,
    sheet_titles,
    split_feedback,
)
from .errors import ImportErrors
from .messages import N_, message_of
from .validation import checked_records

# Written by hand: ElementTree's own declaration uses single quotes.
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Moodle's default: a wrong try costs a third of the mark.
PENALTY = "0.3333333"
NAME_PROMPT_LENGTH = 60
_RIGHT, _WRONG = "100", "0"
_MOODLE_TYPES = {
    "multichoice": "mcq",
    "truefalse": "true_false",
    "shortanswer": "short",
    "numerical": "numeric",
    "matching": "order",
}


def export(
    records: Sequence[Record], *, sheets: Iterable[Mapping[str, Any]] = (), base_url: str = ""
) -> Export:
    """The records as a Moodle XML ``<quiz>``; ``order`` questions below three events skipped."""
    titles = sheet_titles(sheets)
    root = ET.Element("quiz")
    skipped, count, current_sheet = [], 0, None
    for record in records:
        if record["type"] == "order" and len(record["answer"]) < MIN_MATCHING_ITEMS:
            reason = f"Moodle's matching question needs at least {MIN_MATCHING_ITEMS} events"
            skipped.append(Skipped(record["id"], reason))
            continue
        sheet = record["source"]["sheet"]
        if sheet != current_sheet:
            root.append(_category(titles.get(sheet, sheet)))
            current_sheet = sheet
        root.append(_question(record, titles, base_url))
        count += 1
    ET.indent(root)
    content = XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
    return Export(content.encode("utf-8"), count, skipped)


def parse(data: bytes) -> list[Parsed]:
    """The questions of a Moodle XML file, each with its line; nothing if any is wrong."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        message = N_("not well-formed XML: %(reason)s", reason=str(error))
        raise ImportErrors.single(error.position[0], message) from None
    if root.tag != "quiz":
        message = N_("the root element is <%(tag)s>, not <quiz>", tag=root.tag)
        raise ImportErrors.single(1, message)
    parsed, errors = [], []
    for line, element in zip(_question_lines(data), root, strict=True):
        if element.tag != "question" or element.get("type") == "category":
            continue
        try:
            parsed.append(Parsed(line, _record(element)))
        except ValueError as error:
            errors.append((line, message_of(error)))
    return checked_records(parsed, errors)


def _category(title: str) -> ET.Element:
    """The pseudo-question that files the following questions under the sheet's title."""
    question = ET.Element("question", type="category")
    category = ET.SubElement(question, "category")
    # Moodle reads "/" as a level separator and "//" as a slash.
    ET.SubElement(category, "text").text = "$course$/top/quiz/" + title.replace("/", "//")
    return question


def _question(record: Record, titles: Mapping[str, str], base_url: str) -> ET.Element:
    """One ``<question>`` with the fields every type shares, then its answers."""
    moodle_type = _moodle_type(record)
    question = ET.Element("question", type=moodle_type)
    _text(question, "name", _name(record), text_format=None)
    _text(question, "questiontext", _html(record["prompt"]))
    _text(question, "generalfeedback", _feedback_html(record, titles, base_url))
    for tag, value in (("defaultgrade", "1"), ("penalty", PENALTY), ("hidden", "0")):
        ET.SubElement(question, tag).text = value
    ET.SubElement(question, "idnumber").text = record["id"]
    _ANSWER_WRITERS[moodle_type](question, record)
    tags = ET.SubElement(question, "tags")
    for tag in record["tags"]:
        _text(tags, "tag", tag, text_format=None)
    return question


def _moodle_type(record: Record) -> str:
    """The Moodle question type that holds ``record``."""
    if record["type"] == "numeric" and numeric_value(record) is None:
        return "shortanswer"
    moodle_types = {quiz_type: moodle for moodle, quiz_type in _MOODLE_TYPES.items()}
    return moodle_types.get(record["type"], "shortanswer")  # cloze too


def _name(record: Record) -> str:
    """The id, then the start of the prompt: what the question bank lists."""
    prompt = " ".join(record["prompt"].split())
    if len(prompt) > NAME_PROMPT_LENGTH:
        prompt = prompt[:NAME_PROMPT_LENGTH].rstrip() + "…"
    return f"{record['id']} {prompt}"


def _feedback_html(record: Record, titles: Mapping[str, str], base_url: str) -> str:
    """The explanation, then the citation whose link is a real link."""
    link = citation_link(record["source"], base_url)
    citation = citation_text(record, titles, base_url)
    anchor = f'<a href="{html.escape(link)}">{html.escape(link)}</a>'
    cited = f"<p>{html.escape(citation[: -len(link)])}{anchor}</p>"
    return f"{_html(record['explanation'])}{cited}" if record["explanation"] else cited


def _multichoice(question: ET.Element, record: Record) -> None:
    """One right choice at 100, the others at 0, in the record's order."""
    for tag, value in (("single", "true"), ("shuffleanswers", "true")):
        ET.SubElement(question, tag).text = value
    ET.SubElement(question, "answernumbering").text = "abc"
    for choice in record["choices"]:
        _answer(question, _RIGHT if choice == record["answer"] else _WRONG, _html(choice))


def _truefalse(question: ET.Element, record: Record) -> None:
    """``true`` and ``false``, the right one at 100."""
    is_true = record["answer"] == record["choices"][0]
    _answer(question, _RIGHT if is_true else _WRONG, "true", text_format="moodle_auto_format")
    _answer(question, _WRONG if is_true else _RIGHT, "false", text_format="moodle_auto_format")


def _shortanswer(question: ET.Element, record: Record) -> None:
    """The answer and every other accepted form, each at 100, case ignored."""
    ET.SubElement(question, "usecase").text = "0"
    for form in dict.fromkeys([record["answer"], *record["accepted"]]):
        _answer(question, _RIGHT, form, text_format="moodle_auto_format")


def _numerical(question: ET.Element, record: Record) -> None:
    """The numeric value of the answer, exactly (tolerance 0)."""
    answer = _answer(question, _RIGHT, str(numeric_value(record)), text_format="moodle_auto_format")
    ET.SubElement(answer, "tolerance").text = "0"


def _matching(question: ET.Element, record: Record) -> None:
    """Each event, in the shuffled order, matched with its rank (1 = oldest)."""
    ET.SubElement(question, "shuffleanswers").text = "true"
    for event in record["choices"]:
        subquestion = _text(question, "subquestion", _html(event))
        _text(subquestion, "answer", str(record["answer"].index(event) + 1), text_format=None)


_ANSWER_WRITERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
}


def _answer(
    question: ET.Element, fraction: str, text: str, text_format: str = "html"
) -> ET.Element:
    """An ``<answer>`` with its (empty) per-answer feedback."""
    answer = _text(question, "answer", text, text_format=text_format)
    answer.set("fraction", fraction)
    _text(answer, "feedback", "")
    return answer


def _text(parent: ET.Element, tag: str, text: str, text_format: str | None = "html") -> ET.Element:
    """``<tag format="…"><text>text</text></tag>`` under ``parent``."""
    element = ET.SubElement(parent, tag)
    if text_format:
        element.set("format", text_format)
    ET.SubElement(element, "text").text = text
    return element


def _html(text: str) -> str:
    """Plain text as an HTML paragraph (line breaks kept)."""
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"


def _question_lines(data: bytes) -> list[int]:
    """The line of each child of the root element, in order (ElementTree keeps none)."""
    parser = expat.ParserCreate()
    lines: list[int] = []
    depth = 0

    def start(_name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth
        if depth == 1:
            lines.append(parser.CurrentLineNumber)
        depth += 1

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(data, True)
    return lines


def _record(question: ET.Element) -> Record:
    """The record of one ``<question>``; ``ValueError`` for what quiz cannot take."""
    moodle_type = question.get("type", "")
    if moodle_type not in _MOODLE_TYPES:
        raise ValueError(N_("Moodle question type %(type)r is not supported", type=moodle_type))
    explanation, lang, source = split_feedback(_read(question.find("generalfeedback")))
    if source is None or lang is None:
        raise ValueError(N_("no source: the general feedback ends with no citation line"))
    prompt = _read(question.find("questiontext"))
    fields = _ANSWER_READERS[moodle_type](question, lang)
    if fields["type"] == "short" and BLANK in prompt:
        fields["type"] = "cloze"
    tags = [(tag.findtext("text") or "").strip() for tag in question.iterfind("tags/tag")]
    return make_record(
        _question_id(question),
        prompt=prompt,
        source=source,
        lang=lang,
        tags=tags,
        explanation=explanation,
        **fields,
    )


def _question_id(question: ET.Element) -> str:
    """The ``<idnumber>``, else an id at the start of the name."""
    for text in (question.findtext("idnumber"), question.findtext("name/text")):
        match = ID_PATTERN.search(text or "")
        if match:
            return match[0]
    raise ValueError(N_("no question id: <idnumber> should be 'q-' and 12 hex digits"))


def _read_multichoice(question: ET.Element, lang: str) -> dict[str, Any]:
    """The choices in order; exactly one of them right."""
    answers = _answers(question)
    rights = [text for fraction, text in answers if fraction == 100]
    if len(rights) != 1 or question.findtext("single", "true").strip() not in ("true", "1"):
        raise ValueError(N_("a multichoice question needs exactly one right answer (at 100%)"))
    return {"type": "mcq", "choices": [text for _, text in answers], "answer": rights[0]}


def _read_truefalse(question: ET.Element, lang: str) -> dict[str, Any]:
    """``Vrai``/``Faux`` (or ``True``/``False``) after the answer at 100."""
    rights = [text.lower() for fraction, text in _answers(question) if fraction == 100]
    if rights not in (["true"], ["false"]):
        raise ValueError(N_("a truefalse question needs 'true' or 'false' at 100%"))
    choices = TRUE_FALSE_CHOICES[lang]
    answer = choices[0] if rights == ["true"] else choices[1]
    return {"type": "true_false", "choices": choices, "answer": answer}


def _read_shortanswer(question: ET.Element, lang: str) -> dict[str, Any]:
    """The first answer at 100; the others at 100 are accepted forms."""
    rights = [text for fraction, text in _answers(question) if fraction == 100]
    if not rights:
        raise ValueError(N_("a shortanswer question needs an answer at 100%"))
    return {"type": "short", "answer": rights[0], "accepted": rights[1:]}


def _read_numerical(question: ET.Element, lang: str) -> dict[str, Any]:
    """The first answer at 100, as a plain number."""
    rights = [as_number(text) for fraction, text in _answers(question) if fraction == 100]
    if not rights or rights[0] is None:
        raise ValueError(N_("a numerical question needs a number at 100%"))
    return {"type": "numeric", "answer": rights[0]}


def _read_matching(question: ET.Element, lang: str) -> dict[str, Any]:
    """Events matched with their ranks, read as an ``order`` question."""
    pairs = [
        (_read(sub), (sub.findtext("answer/text") or ""))
        for sub in question.iterfind("subquestion")
    ]
    choices, oldest_first = order_from_ranks(pairs)
    return {"type": "order", "choices": choices, "answer": oldest_first}


_ANSWER_READERS = {
    "multichoice": _read_multichoice,
    "truefalse": _read_truefalse,
    "shortanswer": _read_shortanswer,
    "numerical": _read_numerical,
    "matching": _read_matching,
}


def _answers(question: ET.Element) -> list[tuple[float, str]]:
    """``(fraction, text)`` of each ``<answer>``."""
    answers = []
    for answer in question.iterfind("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            message = N_("bad answer fraction %(fraction)r", fraction=answer.get("fraction"))
            raise ValueError(message) from None
        answers.append((fraction, _read(answer)))
    return answers


def _read(element: ET.Element | None) -> str:
    """The text of an element's ``<text>``, as plain text whatever its format."""
    if element is None:
        return ""
    text = element.findtext("text") or ""
    return html_to_text(text) if element.get("format", "html") == "html" else text.strip()
