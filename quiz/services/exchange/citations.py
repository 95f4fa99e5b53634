"""A teacher's citation found in the database: the source of a question of an ordinary file.

An ordinary GIFT or CSV file (``docs/exchange.md``) cites a sheet by its slug
and a paragraph by its anchor or its first words, or cites the sheet alone.
``resolve_citations`` looks each citation up in the sheet's newest revision
and gives the record the source (and, when the file said none, the language)
it names:

- a paragraph found: the evidence is where the answer stands in it, or the
  whole paragraph when it does not (the checks then say so, and the
  instructor narrows it with the picker);
- no paragraph cited: the question cites the revision's first paragraph with
  an empty evidence span, which no check passes, so it stays a draft until
  the instructor places its evidence with the editor's picker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select

from ...exchange.common import Citation, Parsed, Record, in_language, make_source
from ...exchange.errors import ImportErrors
from ...exchange.messages import N_, about
from ...exchange.validation import check_records
from ...extensions import db
from ...models import Paragraph, Revision, Sheet
from ..errors import Invalid

# Typographic apostrophes and quotes read as the plain ones, when comparing first words.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u202f": " "})
_SPACES = re.compile(r"\s+")


def resolve_citations(parsed: Sequence[Parsed], default_sheet: str | None = None) -> list[Parsed]:
    """``parsed`` with every teacher's citation resolved, or ``ImportErrors`` for all that
    name nothing (and for records that break the schema once their source is known).

    ``default_sheet`` is the sheet of the questions that name none (the import
    form's choice, or ``quiz import --sheet``).
    """
    resolved: list[Parsed] = []
    errors: list[tuple[int, str]] = []
    for item in parsed:
        if item.citation is None or item.citation.resolved:
            resolved.append(item)
            continue
        try:
            record = _cited_record(item.record, item.citation, default_sheet)
        except Invalid as error:
            errors.append((item.line, about(_label(item.record), error.message)))
            continue
        resolved.append(Parsed(item.line, record, item.citation.as_resolved()))
    if errors:
        raise ImportErrors(errors)
    check_records(resolved)
    return resolved


def _cited_record(record: Record, citation: Citation, default_sheet: str | None) -> Record:
    """``record`` with the source its citation names, in its sheet's language if it had none."""
    slug = citation.sheet or default_sheet
    if not slug:
        raise Invalid(
            N_(
                "no sheet cited: add a line '// source: SLUG' (a 'sheet' cell in CSV),"
                " or choose the sheet of such questions when importing"
            )
        )
    sheet = db.session.scalar(select(Sheet).filter_by(slug=slug))
    if sheet is None or not sheet.revisions:
        raise Invalid(N_("unknown sheet %(slug)r: import the sheet first", slug=slug))
    revision = sheet.revisions[-1]
    if citation.paragraph:
        paragraph = _cited_paragraph(revision, citation)
        start, end = _evidence(paragraph.text, record)
    else:
        paragraph, start, end = _first_paragraph(revision), 0, 0
    source = make_source(slug, revision.label, paragraph.anchor, start, end, paragraph.text)
    record = {**record, "source": source}
    return record if record["lang"] else in_language(record, sheet.lang)


def _cited_paragraph(revision: Revision, citation: Citation) -> Paragraph:
    """The paragraph of ``revision`` with the cited anchor, or the only one starting with
    the cited words; ``Invalid`` otherwise."""
    shown = [paragraph for paragraph in revision.paragraphs if not paragraph.retired]
    anchor = citation.anchor
    if anchor is not None:
        found = [paragraph for paragraph in shown if paragraph.anchor == anchor]
        if not found:
            raise Invalid(
                N_(
                    "sheet %(sheet)s has no paragraph #%(anchor)s",
                    sheet=citation.sheet,
                    anchor=anchor,
                )
            )
        return found[0]
    words = _folded(citation.paragraph)
    found = [paragraph for paragraph in shown if _folded(paragraph.text).startswith(words)]
    if not found:
        raise Invalid(
            N_(
                "no paragraph of sheet %(sheet)s starts with “%(words)s”",
                sheet=citation.sheet,
                words=citation.paragraph,
            )
        )
    if len(found) > 1:
        raise Invalid(
            N_(
                "%(count)d paragraphs of sheet %(sheet)s start with “%(words)s”:"
                " give more words, or the anchor (#p-…)",
                count=len(found),
                sheet=citation.sheet,
                words=citation.paragraph,
            )
        )
    return found[0]


def _first_paragraph(revision: Revision) -> Paragraph:
    """Where an unplaced question waits: the revision's first quizzable paragraph shown."""
    shown = [paragraph for paragraph in revision.paragraphs if not paragraph.retired]
    quizzable = [paragraph for paragraph in shown if paragraph.quizzable]
    if not (quizzable or shown):
        raise Invalid(
            N_(
                "revision %(revision)s of sheet %(sheet)s has no text",
                revision=revision.label,
                sheet=revision.sheet.slug,
            )
        )
    return (quizzable or shown)[0]


def _evidence(text: str, record: Record) -> tuple[int, int]:
    """Where the answer (or an accepted form) stands in ``text``; the whole text if nowhere."""
    answer = record["answer"]
    forms = [answer, *record["accepted"]] if isinstance(answer, str) else []
    if record["type"] == "true_false":
        forms = []  # "Vrai" proves nothing: the statement does
    for form in forms:
        found = re.search(re.escape(form.strip()), text, re.IGNORECASE) if form.strip() else None
        if found:
            return found.start(), found.end()
    return 0, len(text)


def _folded(text: str) -> str:
    """``text`` for comparing first words: case, quotes and runs of spaces ignored."""
    return _SPACES.sub(" ", text.translate(_PLAIN).casefold()).strip()


def _label(record: Record) -> str:
    """How an error names the question: its prompt's start (its id is only a hash)."""
    prompt = " ".join(str(record.get("prompt", "")).split())
    return f"“{prompt[:40]}…”" if len(prompt) > 40 else f"“{prompt}”"
