"""The exchange formats on their own: records to files and back, no app, no database."""

from __future__ import annotations

import copy
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import genanki
import pytest

from quiz import exchange
from quiz.exchange import anki, gift
from quiz.exchange.common import (
    BLANK,
    Record,
    citation_link,
    learner_view,
    make_record,
    make_source,
)
from quiz.exchange.errors import ImportErrors
from quiz.exchange.validation import validate_record
from quiz.services.library.sheet_pages import evidence_url

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

SHEET_FR = "otan-russie"
SHEET_EN = "nato-russia"
TITLES = {SHEET_FR: "Les relations OTAN-Russie", SHEET_EN: "NATO-Russia relations"}
SHEETS = [{"slug": slug, "title": title} for slug, title in TITLES.items()]
# Every character GIFT treats specially, and a backslash, in the text itself.
TRICKY = "a~b = c#d {e} f:g \\h"
PARAGRAPH_FR = (
    "Le Conseil OTAN-Russie (COR) a été créé en 2002 à Rome : il compte 30 membres. "
    "Huit ambassadeurs ~ au moins = un tiers #quorum {selon} les statuts \\ annexes. "
    "L'Acte fondateur date de 1997."
)
PARAGRAPH_EN = "The NATO-Russia Council (NRC) was set up in 2002: it has thirty members."


def span(paragraph: str, sentence: str) -> tuple[int, int]:
    """The half-open span of ``sentence`` in ``paragraph``."""
    start = paragraph.index(sentence)
    return start, start + len(sentence)


def source(sheet: str, paragraph: str, sentence: str, anchor: str = "p-0123456789") -> Record:
    """A source citing ``sentence`` of ``paragraph``."""
    return make_source(sheet, "2022-01", anchor, *span(paragraph, sentence), paragraph)


FR = source(SHEET_FR, PARAGRAPH_FR, "Le Conseil OTAN-Russie (COR) a été créé en 2002 à Rome")
FR_TRICKY = source(SHEET_FR, PARAGRAPH_FR, "Huit ambassadeurs ~ au moins", "p-abcdefabcd")
EN = source(SHEET_EN, PARAGRAPH_EN, PARAGRAPH_EN, "p-9876543210")
EVENTS = ["Acte fondateur", "Création du COR", "Sommet de Rome", "Suspension"]


def sample_records() -> list[Record]:
    """One question or more of every type, in French and English, with tricky text."""
    return [
        make_record("q-000000000001", "mcq", f"Quel sigle ? {TRICKY}", "COR", FR, lang="fr",
                    choices=["CCP", "COR", f"x{TRICKY}", "FNI"], accepted=["COR"],
                    tags=["acronym", "institution"], difficulty=0.44,
                    explanation=f"Réponse : COR. {TRICKY}"),
        make_record("q-000000000002", "cloze", f"Le COR a été créé en {BLANK} à Rome.", "2002",
                    FR, lang="fr", accepted=["2002"], tags=["date"], difficulty=0.56,
                    explanation="Réponse : 2002."),
        make_record("q-000000000003", "true_false", "Vrai ou faux ? Le COR a été créé en 1997.",
                    "Faux", FR, lang="fr", choices=["Vrai", "Faux"], tags=["date"],
                    difficulty=0.21, explanation="Réponse : Faux."),
        make_record("q-000000000004", "true_false", "True or false? The NRC dates from 2002.",
                    "True", EN, lang="en", choices=["True", "False"], tags=["date"],
                    explanation=""),
        make_record("q-000000000005", "short", "What is the NRC's acronym in French?", "COR",
                    EN, lang="en", accepted=["COR", "C.O.R."], tags=["acronym"],
                    explanation="Answer: COR.\nSecond line."),
        make_record("q-000000000006", "numeric", f"Combien d'ambassadeurs ? {BLANK} {TRICKY}",
                    "huit", FR_TRICKY, lang="fr", accepted=["huit", "8"], tags=["number"],
                    difficulty=0.7, explanation="Réponse : huit."),
        make_record("q-000000000007", "numeric", f"How many members? {BLANK}", "30", EN,
                    lang="en", accepted=["30"], tags=["number"], explanation="Answer: 30."),
        make_record("q-000000000008", "order", "Remettez ces événements dans l'ordre.", EVENTS,
                    FR, lang="fr", choices=[EVENTS[2], EVENTS[0], EVENTS[3], EVENTS[1]],
                    tags=["date"], difficulty=0.65, explanation="Réponse : …",
                    item_sources=[{**FR, "date": "2002"}, {**FR_TRICKY, "date": "avril 2014"},
                                  FR, {**FR, "date": "18 décembre 2021"}]),
        make_record("q-000000000009", "order", "Put these in order.", ["First", "Second"], EN,
                    lang="en", choices=["Second", "First"], tags=["date"]),
        make_record("q-00000000000a", "short", "Un nombre {#} : 100 000 ?", "100 000", FR,
                    lang="fr", accepted=["100000"], tags=[], explanation=TRICKY),
    ]  # fmt: skip


RECORDS = sample_records()
SHORT_ORDER_ID = "q-000000000009"
PARSABLE_FORMATS = ("gift", "moodle", "csv", "json")


def exported(format_name: str, records: list[Record] | None = None) -> exchange.Export:
    """``records`` (default: the samples) in ``format_name``."""
    return exchange.export(format_name, records or RECORDS, sheets=SHEETS)


def parsed(format_name: str, data: bytes) -> list[Record]:
    """The records read back from ``data``."""
    return [item.record for item in exchange.parse(format_name, data)]


def without(record_id: str) -> list[Record]:
    """The sample records but one."""
    return [record for record in RECORDS if record["id"] != record_id]


def import_error_lines(format_name: str, data: bytes) -> list[tuple[int, str]]:
    """The ``(line, message)`` errors reading ``data`` raises."""
    with pytest.raises(ImportErrors) as raised:
        exchange.parse(format_name, data)
    return raised.value.errors


# --- the records themselves ---------------------------------------------------------------


def test_sample_records_are_valid() -> None:
    for record in RECORDS:
        assert validate_record(record) == [], record["id"]
    assert {record["type"] for record in RECORDS} == set(exchange.common.QUESTION_TYPES)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.update(id="Q-1"), "id must be 'q-' followed by 12 hex digits"),
        (lambda r: r.update(type="essay"), "unknown type 'essay'"),
        (lambda r: r.update(answer="OTAN"), "the answer of an mcq must be one of its choices"),
        (lambda r: r.update(answer=""), "missing answer"),
        (lambda r: r.pop("prompt"), "missing 'prompt'"),
        (lambda r: r.update(colour="red"), "unknown field 'colour'"),
        (lambda r: r.update(difficulty="hard"), "'difficulty' has the wrong type (str)"),
        (lambda r: r["source"]["evidence"].update(end=10_000), "past the paragraph"),
        (lambda r: r["source"].update(anchor=""), "anchor must be a non-empty string"),
        (lambda r: r.update(tags=["two words"]), "bad tag 'two words'"),
    ],
)
def test_validation_names_the_problem(change: Any, problem: str) -> None:
    record = copy.deepcopy(RECORDS[0])
    change(record)
    assert any(problem in message for message in validate_record(record))


ORDER = 7  # the index of the four-event order question in RECORDS


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["item_sources"][2].update(date=""), "item_sources[2]: date must be a non-empty string"),
        (lambda r: r["item_sources"][2].update(date="   "), "item_sources[2]: date must be a non-empty string"),
        (lambda r: r["item_sources"][0].update(date=1994), "item_sources[0]: date must be a non-empty string"),
        (lambda r: r["item_sources"][0].update(date=None), "item_sources[0]: date must be a non-empty string"),
        (lambda r: r["item_sources"][1].update(when="2014"), "item_sources[1]: unknown field 'when'"),
        (lambda r: r["source"].update(date="2002"), "source: unknown field 'date'"),  # events only
    ],
)
def test_item_sources_may_date_their_event_with_a_string(change: Any, problem: str) -> None:
    record = copy.deepcopy(RECORDS[ORDER])
    assert validate_record(record) == []
    change(record)
    assert problem in validate_record(record)


def test_true_false_choices_follow_the_language() -> None:
    record = copy.deepcopy(RECORDS[2])
    record["choices"] = ["True", "False"]
    assert validate_record(record) != []


def test_citation_link_is_the_sheet_page_link_of_the_app() -> None:
    evidence = FR["evidence"]
    expected = evidence_url(SHEET_FR, "2022-01", FR["anchor"], evidence["start"], evidence["end"])
    assert citation_link(FR) == expected
    assert citation_link(FR, "https://quiz.example/") == "https://quiz.example" + expected


def test_format_follows_the_extension() -> None:
    assert [exchange.format_for_path(f"x{ext}") for ext in (".gift", ".TXT", ".xml")] == [
        "gift",
        "gift",
        "moodle",
    ]
    assert exchange.format_for_path(Path("deck.apkg")) == "apkg"
    assert exchange.format_for_path("notes.docx") is None


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["gift", "csv", "json"])
def test_round_trip_gives_the_same_questions(format_name: str) -> None:
    result = exported(format_name)
    kept = [record for record in RECORDS if record["id"] not in {s.id for s in result.skipped}]
    back = parsed(format_name, result.content)
    assert back == kept
    assert result.count == len(kept)
    order = next(record for record in back if record["id"] == RECORDS[ORDER]["id"])
    assert [source.get("date") for source in order["item_sources"]] == [
        "2002", "avril 2014", None, "18 décembre 2021"
    ]  # fmt: skip


def test_csv_and_json_keep_every_question() -> None:
    for format_name in ("csv", "json"):
        assert exported(format_name).skipped == []


def test_gift_skips_only_what_moodle_matching_cannot_hold() -> None:
    short = exported("gift").skipped
    assert [(s.id, s.reason) for s in short] == [
        (SHORT_ORDER_ID, "Moodle's matching question needs at least 3 events")
    ]
    arrow = copy.deepcopy(RECORDS[7])
    arrow["answer"][0] = arrow["choices"][1] = "Acte -> fondateur"
    assert gift.unsupported_reason(arrow) == (
        "an event contains '->', which GIFT matching cannot escape"
    )


def test_moodle_round_trip_keeps_what_learners_see() -> None:
    result = exported("moodle")
    assert [s.id for s in result.skipped] == [SHORT_ORDER_ID]
    back = parsed("moodle", result.content)
    originals = without(SHORT_ORDER_ID)
    assert [learner_view(record) for record in back] == [learner_view(r) for r in originals]
    assert [record["tags"] for record in back] == [record["tags"] for record in originals]
    assert [record["lang"] for record in back] == [record["lang"] for record in originals]


def test_gift_that_lost_its_comments_in_moodle_keeps_id_and_source() -> None:
    text = exported("gift").content.decode()
    stripped = "\n".join(line for line in text.splitlines() if not line.startswith("// quiz:"))
    back = parsed("gift", stripped.encode())
    originals = without(SHORT_ORDER_ID)
    assert [learner_view(record) for record in back] == [learner_view(r) for r in originals]
    assert [record["lang"] for record in back] == [record["lang"] for record in originals]
    for record, original in zip(back, originals, strict=True):
        assert record["source"] == {**original["source"], "paragraph": ""}


def test_json_export_is_the_generate_document() -> None:
    document = json.loads(exported("json").content)
    assert list(document) == ["sheets", "questions"]
    assert document["sheets"] == SHEETS
    assert [list(question) for question in document["questions"]] == [
        list(record) for record in RECORDS
    ]
    empty = json.loads(exchange.export("json", RECORDS).content)
    assert empty["sheets"] == []


# --- GIFT -----------------------------------------------------------------------------------


def test_gift_escapes_its_special_characters() -> None:
    assert gift.escape(TRICKY) == "a\\~b \\= c\\#d \\{e\\} f\\:g \\\\h"
    assert gift.escape("two\nlines") == "two\\nlines"
    question = gift_question(RECORDS[0])
    assert "::q-000000000001::[plain]Quel sigle ? a\\~b \\= c\\#d \\{e\\} f\\:g \\\\h{" in question


def gift_question(record: Record) -> str:
    """The GIFT text of one record: its ``// quiz:`` line and its question."""
    blocks = exported("gift", [record]).content.decode().split("\n\n")
    return blocks[1].strip()


@pytest.mark.parametrize(
    ("index", "answer_block"),
    [
        (0, "{\n~CCP\n=COR\n~xa\\~b \\= c\\#d \\{e\\} f\\:g \\\\h\n~FNI\n####"),
        (1, "{=2002####"),
        (2, "{F####"),
        (3, "{T####"),
        (4, "{\n=COR\n=C.O.R.\n####"),
        (5, "{#8####"),
        (6, "{#30####"),
        (
            7,
            "{\n=Sommet de Rome -> 3\n=Acte fondateur -> 1\n=Suspension -> 4\n=Création du COR -> 2\n####",
        ),
        (9, "{\n=100 000\n=100000\n####"),
    ],
)
def test_gift_answer_block_per_type(index: int, answer_block: str) -> None:
    assert answer_block in gift_question(RECORDS[index])


def test_gift_carries_id_metadata_and_citation() -> None:
    text = gift_question(RECORDS[1])
    metadata_line, question = text.split("\n", 1)[0], text[text.index("::q-") :]
    metadata = json.loads(metadata_line.removeprefix("// quiz: "))
    assert metadata["source"] == FR and metadata["type"] == "cloze"
    assert question.startswith("::q-000000000002::")
    assert "\\nSource \\: fiche « Les relations OTAN-Russie », version 2022-01" in question
    assert gift.escape(citation_link(FR)) in question


def test_gift_reads_moodle_missing_word_and_html() -> None:
    feedback = gift.escape("Réponse : 2002.\n" + citation_line(FR))
    text = (
        "$CATEGORY: $course$/top/quiz\n\n"
        "// question: 12  name: q-0000000000ff Le COR…\n"
        f"::q-0000000000ff Le COR::[html]<p>Le COR a été créé en</p> {{=2002 =deux mille deux"
        f"####{feedback}}} à Rome.\n"
    )
    [record] = parsed("gift", text.encode())
    assert record["id"] == "q-0000000000ff"
    assert record["type"] == "cloze"
    assert record["prompt"] == f"Le COR a été créé en\n {BLANK} à Rome."
    assert (record["answer"], record["accepted"]) == ("2002", ["deux mille deux"])
    assert (record["lang"], record["explanation"]) == ("fr", "Réponse : 2002.")
    assert record["source"]["anchor"] == FR["anchor"]


def citation_line(cited: Record) -> str:
    """A French citation line for ``cited``."""
    return (
        f"Source : fiche « Les relations OTAN-Russie », version {cited['revision']},"
        f" paragraphe {cited['anchor']} — {citation_link(cited)}"
    )


def test_gift_keeps_forms_added_in_moodle() -> None:
    question = gift_question(RECORDS[4]).replace("=C.O.R.\n", "=C.O.R.\n=Conseil OTAN-Russie\n")
    [record] = parsed("gift", question.encode())
    assert record["accepted"] == ["COR", "C.O.R.", "Conseil OTAN-Russie"]


# --- Moodle XML -----------------------------------------------------------------------------


def moodle_questions() -> list[ET.Element]:
    """The real questions (not categories) of the samples' Moodle XML."""
    root = ET.fromstring(exported("moodle").content)
    return [q for q in root.iter("question") if q.get("type") != "category"]


def test_moodle_xml_is_well_formed_with_one_idnumber_per_question() -> None:
    content = exported("moodle").content
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    root = ET.fromstring(content)
    categories = [q.findtext("category/text") for q in root if q.get("type") == "category"]
    # A category line each time the sheet changes: it files the questions that follow.
    fr, en = (f"$course$/top/quiz/{TITLES[slug]}" for slug in (SHEET_FR, SHEET_EN))
    assert categories == [fr, en, fr, en, fr]
    questions = moodle_questions()
    assert [q.findall("idnumber") for q in questions] == [[q.find("idnumber")] for q in questions]
    assert [q.findtext("idnumber") for q in questions] == [r["id"] for r in without(SHORT_ORDER_ID)]


def test_moodle_general_feedback_cites_sheet_revision_anchor_and_link() -> None:
    for question, record in zip(moodle_questions(), without(SHORT_ORDER_ID), strict=True):
        feedback = question.findtext("generalfeedback/text") or ""
        link = citation_link(record["source"])
        assert TITLES[record["source"]["sheet"]] in feedback
        assert record["source"]["revision"] in feedback
        assert record["source"]["anchor"] in feedback
        assert f'<a href="{link.replace("&", "&amp;")}">' in feedback


def fractions(question: ET.Element) -> list[tuple[str, str]]:
    """``(fraction, text)`` of each answer."""
    return [(a.get("fraction", ""), a.findtext("text") or "") for a in question.iter("answer")]


def test_moodle_types_and_fractions() -> None:
    by_id = {q.findtext("idnumber"): q for q in moodle_questions()}
    types = {qid: q.get("type") for qid, q in by_id.items()}
    assert types == {
        "q-000000000001": "multichoice", "q-000000000002": "shortanswer",
        "q-000000000003": "truefalse", "q-000000000004": "truefalse",
        "q-000000000005": "shortanswer", "q-000000000006": "numerical",
        "q-000000000007": "numerical", "q-000000000008": "matching",
        "q-00000000000a": "shortanswer",
    }  # fmt: skip
    mcq = fractions(by_id["q-000000000001"])
    expected = ["100" if choice == "COR" else "0" for choice in RECORDS[0]["choices"]]
    assert [fraction for fraction, _ in mcq] == expected
    assert fractions(by_id["q-000000000003"]) == [("0", "true"), ("100", "false")]
    assert fractions(by_id["q-000000000004"]) == [("100", "true"), ("0", "false")]
    assert fractions(by_id["q-000000000005"]) == [("100", "COR"), ("100", "C.O.R.")]
    assert fractions(by_id["q-000000000006"]) == [("100", "8")]
    assert by_id["q-000000000006"].findtext("answer/tolerance") == "0"
    subquestions = by_id["q-000000000008"].iter("subquestion")
    ranks = [(s.findtext("text"), s.findtext("answer/text")) for s in subquestions]
    assert ranks == [
        ("<p>Sommet de Rome</p>", "3"),
        ("<p>Acte fondateur</p>", "1"),
        ("<p>Suspension</p>", "4"),
        ("<p>Création du COR</p>", "2"),
    ]


# --- Anki -----------------------------------------------------------------------------------


def anki_notes(content: bytes, tmp_path: Path) -> list[tuple[str, list[str], str]]:
    """``(guid, fields, tags)`` of each note of an ``.apkg``, read with sqlite3."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "collection.anki2" in archive.namelist()
        database = tmp_path / "collection.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        connection.close()
    assert str(anki.MODEL_ID) in models
    assert str(anki.DECK_ID) in decks
    return [(guid, fields.split("\x1f"), tags.strip()) for guid, fields, tags in rows]


def test_apkg_holds_one_note_per_question_with_guid_from_the_id(tmp_path: Path) -> None:
    notes = anki_notes(exported("apkg").content, tmp_path)
    assert len(notes) == len(RECORDS)
    assert [guid for guid, _, _ in notes] == [genanki.guid_for(r["id"]) for r in RECORDS]
    assert [fields[-1] for _, fields, _ in notes] == [record["id"] for record in RECORDS]
    _, fields, tags = notes[0]
    assert dict(zip(anki.FIELDS, fields, strict=True))["Answer"] == "COR"
    assert '<a href="/sheets/otan-russie/revisions/2022-01?hl=' in fields[4]
    assert tags == "acronym institution otan-russie"


def test_apkg_guids_are_stable_across_exports(tmp_path: Path) -> None:
    first = anki_notes(exported("apkg").content, tmp_path)
    changed = copy.deepcopy(RECORDS)
    changed[0]["prompt"] = "Un autre texte ?"
    second = anki_notes(exported("apkg", changed).content, tmp_path)
    assert [guid for guid, _, _ in first] == [guid for guid, _, _ in second]


# --- import errors --------------------------------------------------------------------------


def test_malformed_gift_reports_every_bad_question_by_line() -> None:
    good = gift_question(RECORDS[1])
    text = (
        f"// a comment\n\n{good}\n\n"  # lines 1-7 (quiz, id and tag comments, question)
        "::q-0000000000aa::Unclosed {=answer\n\n"  # line 8
        f"{good.replace('q-000000000002', 'q-0000000000bb')}\n\n"  # lines 10-14
        "// quiz: {not json}\n::q-0000000000cc::Question{=a}\n\n"  # line 15
        "A description with no answers\n"  # line 18
    )
    lines = [line for line, _ in import_error_lines("gift", text.encode())]
    assert lines == [8, 15, 18]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("::q-0000000000aa::Q{~a ~b}", "exactly one right answer, not 0"),
        ("::q-0000000000aa::Q{=a -> 2 =b -> 3}", "match each event with 1, 2"),
        ("::q-0000000000aa::Q{#1..2}", "numeric answer must be one number"),
        ("::q-0000000000aa::Q{}", "essay questions are not supported"),
        ("::q-0000000000aa::Q{=a} and {=b}", "more than one answer block"),
    ],
)
def test_gift_errors_say_what_is_wrong(question: str, message: str) -> None:
    [(line, text)] = import_error_lines("gift", f"// header\n\n{question}\n".encode())
    assert line == 3 and message in text


def test_gift_without_id_is_refused() -> None:
    question = gift_question(RECORDS[1]).replace("::q-000000000002::", "::Cloze::")
    question = question.replace("// [id:q-000000000002]\n", "")
    [(line, message)] = import_error_lines("gift", question.encode())
    assert line == 3 and "no question id" in message


def test_csv_row_missing_its_answer_is_reported_on_its_line() -> None:
    rows = exported("csv").content.decode("utf-8-sig").splitlines(keepends=True)
    broken = copy.deepcopy(RECORDS)
    broken[3]["answer"] = ""  # a true_false row, after rows holding multi-line cells
    text = exported("csv", broken).content.decode("utf-8-sig")
    errors = import_error_lines("csv", text.encode())
    start = text.index("q-000000000004")
    assert errors == [(text.count("\n", 0, start) + 1, "q-000000000004: missing answer")]
    assert len(rows) > len(RECORDS) + 1  # the multi-line cells did shift the lines


def test_csv_header_must_name_known_columns() -> None:
    errors = import_error_lines("csv", b"id,type,prompt,answers\n")
    messages = [message for _, message in errors]
    assert "unknown column 'answers'" in messages
    assert "missing column 'answer'" in messages


def test_json_not_matching_the_schema_is_reported_on_the_question_line() -> None:
    document = json.loads(exported("json").content)
    document["questions"][2]["type"] = "essay"
    del document["questions"][4]["source"]
    text = json.dumps(document, ensure_ascii=False, indent=2)
    errors = import_error_lines("json", text.encode())
    ids = ("q-000000000003", "q-000000000005")
    lines = [text.count("\n", 0, text.index(f'"id": "{qid}"')) for qid in ids]
    assert [line for line, _ in errors] == lines  # the line of each question's "{"
    assert "unknown type 'essay'" in errors[0][1] and "missing 'source'" in errors[1][1]


def test_json_syntax_error_gives_its_line() -> None:
    [(line, message)] = import_error_lines("json", b'{"questions": [\n  {"id": }\n]}')
    assert line == 2 and message.startswith("not valid JSON")


def test_malformed_moodle_xml_gives_its_line() -> None:
    [(line, message)] = import_error_lines(
        "moodle", b"<?xml version='1.0'?>\n<quiz>\n<question>\n</quiz>"
    )
    assert line == 4 and "not well-formed" in message


def test_moodle_unsupported_type_is_an_error_on_its_line() -> None:
    content = exported("moodle", [RECORDS[1]]).content.replace(b'"shortanswer"', b'"essay"')
    [(line, message)] = import_error_lines("moodle", content)
    assert content.decode().splitlines()[line - 1].strip() == '<question type="essay">'
    assert "'essay' is not supported" in message


def test_duplicate_ids_in_one_file_are_refused() -> None:
    text = exchange.export("json", [RECORDS[0], RECORDS[0]]).content.decode()
    first, second = (i for i, line in enumerate(text.splitlines(), 1) if line == "    {")
    errors = import_error_lines("json", text.encode())
    assert errors == [(second, f"q-000000000001: also on line {first} for the same revision")]


def test_not_utf8_is_refused_with_its_line() -> None:
    [(line, message)] = import_error_lines("csv", b"id,type\n\xff\xfe\n")
    assert (line, message) == (2, "not UTF-8 text")
