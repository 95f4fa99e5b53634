"""The shared question record and its citation text (``validation`` checks records).

A record is a plain dict in the schema of ``docs/question-schema.md``: one
object of the ``questions`` list that ``quiz generate --json`` prints. The JSON
format is therefore the record itself, and every other format maps onto it.

A file that lost part of the record (Moodle XML or GIFT after a trip through
Moodle) still has the stable id and the citation, whose link names the sheet,
revision, anchor and evidence span. Read back from the link alone, a record has
an empty ``source.paragraph``: "the sheet's own text".
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from .errors import ImportErrors
from .messages import N_

Record = dict[str, Any]

QUESTION_TYPES = ("mcq", "cloze", "true_false", "short", "numeric", "order")
# The fields that are the question itself, in the schema's order: a record's
# fields between ``id`` and ``source`` (question rows have columns of the same names).
CONTENT_FIELDS = (
    "type",
    "prompt",
    "choices",
    "answer",
    "accepted",
    "lang",
    "tags",
    "difficulty",
    "explanation",
)
# Types whose answer is typed by the learner rather than picked.
FREE_ANSWER_TYPES = ("cloze", "short", "numeric")
LANGS = ("fr", "en")
TRUE_FALSE_CHOICES = {"fr": ["Vrai", "Faux"], "en": ["True", "False"]}
DEFAULT_DIFFICULTY = 0.5
# Moodle's matching question (quiz's ``order`` in GIFT and Moodle XML) needs three answers.
MIN_MATCHING_ITEMS = 3
# The pipeline's blank in cloze and numeric prompts.
BLANK = "_____"
ID_PATTERN = re.compile(r"q-[0-9a-f]{12}")
# Tags travel in space-separated lists (Anki notes, CSV cells): no spaces in a tag.
TAG_PATTERN = re.compile(r"[\w-]+")

# Written in the question's language, so that the feedback reads naturally and
# the language can be read back from a file that kept nothing but the feedback.
CITATION_TEMPLATES = {
    "fr": "Source : fiche « {title} », version {revision}, paragraphe {anchor} — {link}",
    "en": "Source: sheet “{title}”, revision {revision}, paragraph {anchor} — {link}",
}
_CITATION = re.compile(r"^Source ?: (?P<word>fiche|sheet) .*? — (?P<link>\S+)$")
_CITATION_LANG = {"fiche": "fr", "sheet": "en"}
_LINK = re.compile(
    r"/sheets/(?P<sheet>[^/?#\s]+)/revisions/(?P<revision>[^/?#\s]+)"
    r"\?hl=(?P<anchor>[^:#&\s]+):(?P<start>\d+)-(?P<end>\d+)"
)
# Where HTML breaks a line: the text keeps a newline there.
_HTML_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h\d)\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# Around the first words of a cited paragraph: quotes (straight, curly, French) and spaces.
_QUOTES = "\"'«»“”‘’ \u00a0\u202f"
# Spaces that group digits in French numbers ("100 000").
_DIGIT_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class Citation:
    """A source as a teacher writes it in an ordinary GIFT or CSV file.

    ``sheet`` is a sheet's slug (empty: the one chosen for the whole import);
    ``paragraph`` is an anchor (``#p-…``) or the paragraph's first words, or
    empty: the question is stored as a draft whose evidence the instructor
    places with the editor's picker. The database side (``services.exchange.citations``)
    finds what it names in the sheet's newest revision and sets ``resolved``.
    """

    sheet: str = ""
    paragraph: str = ""
    resolved: bool = False

    @property
    def anchor(self) -> str | None:
        """The anchor the citation names, or None when it gives first words (or nothing)."""
        return self.paragraph[1:].strip() if self.paragraph.startswith("#") else None

    def as_resolved(self) -> Citation:
        """The same citation, marked as found in the database."""
        return replace(self, resolved=True)


class Parsed(NamedTuple):
    """A record read from a file, with the line where it starts (for error messages).

    ``citation`` is set for a question of an ordinary file (no stable id or
    source of quiz's): its record's ``source`` (and ``lang``, when empty) wait
    for the citation to be found in the database.
    """

    line: int
    record: Record
    citation: Citation | None = None


@dataclass(frozen=True)
class Skipped:
    """A question an export left out, and why."""

    id: str
    reason: str


@dataclass
class Export:
    """What an export produced: the file's bytes and the questions it could not hold."""

    content: bytes
    count: int
    skipped: list[Skipped] = field(default_factory=list)


def make_source(
    sheet: str, revision: str, anchor: str, start: int, end: int, paragraph: str = ""
) -> Record:
    """A ``source`` object of the schema."""
    return {
        "sheet": sheet,
        "revision": revision,
        "anchor": anchor,
        "paragraph": paragraph,
        "evidence": {"start": start, "end": end},
    }


def make_record(
    id: str,
    type: str,
    prompt: str,
    answer: str | list[str],
    source: Record,
    *,
    lang: str,
    choices: Iterable[str] = (),
    accepted: Iterable[str] = (),
    tags: Iterable[str] = (),
    difficulty: float = DEFAULT_DIFFICULTY,
    explanation: str = "",
    item_sources: Iterable[Record] = (),
) -> Record:
    """A record with the schema's fields in the schema's order (as ``quiz generate`` prints)."""
    record: Record = {
        "id": id,
        "type": type,
        "prompt": prompt,
        "choices": list(choices),
        "answer": list(answer) if isinstance(answer, list) else answer,
        "accepted": list(accepted),
        "lang": lang,
        "tags": list(tags),
        "difficulty": difficulty,
        "explanation": explanation,
        "source": source,
    }
    item_sources = list(item_sources)
    if item_sources:
        record["item_sources"] = item_sources
    return record


def read_citation(text: str) -> Citation:
    """The citation of a ``// source:`` line or a CSV row, as a teacher writes it.

    ``SLUG`` alone, ``SLUG, #anchor`` or ``SLUG, first words of the paragraph``
    (quotes and a closing ellipsis are dropped from the words).
    """
    sheet, _, paragraph = text.partition(",")
    words = paragraph.strip().strip(_QUOTES).rstrip(".…").strip(_QUOTES)
    return Citation(sheet.strip(), words)


def content_id(record: Record) -> str:
    """A stable id for a question that came without one: a hash of what the learner is asked.

    The same question imported again gets the same id (and is left unchanged).
    """
    content = [record["type"], record["prompt"], record["choices"], record["answer"]]
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8"))
    return "q-" + digest.hexdigest()[:12]


def in_language(record: Record, lang: str) -> Record:
    """``record`` in ``lang`` (a true-false question's choices follow, its answer kept)."""
    record = {**record, "lang": lang}
    if record["type"] == "true_false" and lang in TRUE_FALSE_CHOICES:
        is_true = record["choices"].index(record["answer"]) == 0
        record["choices"] = list(TRUE_FALSE_CHOICES[lang])
        record["answer"] = record["choices"][0 if is_true else 1]
    return record


def citation_link(source: Mapping[str, Any], base_url: str = "") -> str:
    """The sheet page with the evidence highlighted, as ``sheet_pages.evidence_url`` builds it.

    ``/sheets/<slug>/revisions/<label>?hl=<anchor>:<start>-<end>#<anchor>``,
    after ``base_url`` (the site's address) when given, so the link works outside quiz.
    """
    evidence = source["evidence"]
    path = (
        f"/sheets/{quote(source['sheet'], safe='')}/revisions/{quote(source['revision'], safe='')}"
    )
    anchor = quote(source["anchor"])
    span = f"{evidence['start']}-{evidence['end']}"
    return f"{base_url.rstrip('/')}{path}?hl={anchor}:{span}#{anchor}"


def citation_text(record: Record, titles: Mapping[str, str], base_url: str = "") -> str:
    """One line naming the sheet, revision and paragraph that prove the answer, with the link."""
    source = record["source"]
    template = CITATION_TEMPLATES.get(record["lang"], CITATION_TEMPLATES["en"])
    return template.format(
        title=titles.get(source["sheet"], source["sheet"]),
        revision=source["revision"],
        anchor=source["anchor"],
        link=citation_link(source, base_url),
    )


def feedback_text(record: Record, titles: Mapping[str, str], base_url: str = "") -> str:
    """The explanation, then the citation on a line of its own."""
    citation = citation_text(record, titles, base_url)
    return f"{record['explanation']}\n{citation}" if record["explanation"] else citation


def split_feedback(feedback: str) -> tuple[str, str | None, Record | None]:
    """``(explanation, lang, source)`` from a feedback ending with a citation line.

    ``lang`` and ``source`` are None when the last line is no citation; the
    source then has an empty paragraph (the link does not carry its text).
    """
    head, _, last = feedback.strip().rpartition("\n")
    match = _CITATION.match(last.strip())
    link = _LINK.search(match["link"]) if match else None
    if match is None or link is None:
        return feedback.strip(), None, None
    source = make_source(
        unquote(link["sheet"]),
        unquote(link["revision"]),
        unquote(link["anchor"]),
        int(link["start"]),
        int(link["end"]),
    )
    return head.strip(), _CITATION_LANG[match["word"]], source


def as_number(text: str, lang: str | None = None) -> str | None:
    """``text`` as a plain decimal number (``"100 000"`` → ``"100000"``), or None.

    In a language, numbers are read as its readers write them (as quiz's
    answer checking reads them): English ``"100,000"`` is 100000 and ``"1.5"``
    one and a half, French ``"1,5"`` one and a half. Without one (a number
    field of GIFT or Moodle XML), a comma is a decimal mark.
    """
    compact = _DIGIT_SPACES.sub("", text)
    if lang is not None:
        thousands = "," if lang == "en" else "."
        if re.fullmatch(rf"-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+", compact):
            compact = compact.replace(thousands, "")
    compact = compact.replace(",", ".")
    return compact if _NUMBER.fullmatch(compact) else None


def numeric_value(record: Record) -> str | None:
    """The first of the answer and accepted forms that is a plain number (``huit`` → ``8``),
    read in the record's language."""
    lang = record.get("lang") or None
    for form in [record["answer"], *record["accepted"]]:
        number = as_number(form, lang) if isinstance(form, str) else None
        if number is not None:
            return number
    return None


def learner_view(record: Record) -> tuple[Any, ...]:
    """What the learner is asked and what counts as right: equal views, same question.

    Used to tell an unchanged question from an edited one on import. It leaves
    out what some formats cannot keep (tags, difficulty, the paragraph text)
    and compares answers the way they are checked: a numeric answer by its
    value, a free answer by the set of forms accepted.
    """
    answer = record["answer"]
    expected: Any = tuple(answer) if isinstance(answer, list) else answer
    if record["type"] == "numeric":
        expected = numeric_value(record) or answer
    elif record["type"] in FREE_ANSWER_TYPES:
        expected = (answer, frozenset([answer, *record["accepted"]]))
    source = record["source"]
    return (
        record["type"],
        record["prompt"],
        tuple(record["choices"]),
        expected,
        record["explanation"],
        (source["sheet"], source["revision"], source["anchor"]),
        (source["evidence"]["start"], source["evidence"]["end"]),
    )


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment (Moodle's editor wraps everything in ``<p>``)."""
    text = _HTML_TAG.sub("", _HTML_BREAK.sub("\n", markup))
    return _BLANK_LINES.sub("\n", html.unescape(text)).strip()


def order_from_ranks(pairs: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """``(events as listed, events oldest first)`` from ``(event, rank)`` matching pairs.

    GIFT and Moodle XML write an ``order`` question as a matching one, each
    event matched with its rank; ``ValueError`` unless the ranks are 1 to n.
    """
    pairs = [(event.strip(), rank.strip()) for event, rank in pairs]
    ranks = [rank for _, rank in pairs]
    if sorted(ranks) != sorted(str(rank) for rank in range(1, len(pairs) + 1)):
        raise ValueError(
            N_("a matching question is read as an order: match each event with 1, 2, …")
        )
    oldest_first = [event for _, event in sorted((int(rank), event) for event, rank in pairs)]
    return [event for event, _ in pairs], oldest_first


def sheet_titles(sheets: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``{slug: title}`` from sheet objects of the schema."""
    return {sheet["slug"]: sheet["title"] for sheet in sheets}


# A \u escape of a surrogate: a pair (one character), or a lone half (none).
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]\w{2}\\u[dD][c-fC-F]\w{2}|\\u[dD][89a-fA-F]\w{2}")


def load_json(text: str) -> Any:
    """``json.loads``, with the inputs it cannot take reported as ``JSONDecodeError`` too.

    Python's parser recurses, so a few thousand nested brackets raise
    ``RecursionError``; a lone surrogate escape (``"\\ud800"``) parses but no
    database can store it.
    """
    try:
        value = json.loads(text)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise json.JSONDecodeError(N_("nested too deeply"), text, 0) from None
    except UnicodeEncodeError:
        lone = [m for m in SURROGATE_ESCAPE.finditer(text) if len(m.group()) == 6]
        position = lone[0].start() if lone else 0
        message = N_("a \\u escape names half a character")
        raise json.JSONDecodeError(message, text, position) from None
    return value


def decode_text(data: bytes) -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped), or ``ImportErrors``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportErrors.single(line, N_("not UTF-8 text")) from None
