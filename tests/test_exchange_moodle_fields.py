"""Exchange files keep what Moodle and Anki read: idnumber and tags in GIFT comments,
numbers in the sheet's language, absolute citation links (issue 9, items 21–23)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from test_exchange import EN, FR, RECORDS, gift_question, parsed

from quiz import exchange
from quiz.exchange.common import BLANK, Record, make_record
from quiz.services.study import checking

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it


def test_gift_export_writes_moodles_id_and_tag_comments() -> None:
    lines = gift_question(RECORDS[0]).splitlines()
    assert lines[1:4] == ["// [id:q-000000000001]", "// [tag:acronym]", "// [tag:institution]"]
    assert lines[4].startswith("::q-000000000001::")


def test_moodles_id_and_tag_comments_are_read_back() -> None:
    text = (
        "// source: relations-otan-russie\n"
        "// [id:q-00000000beef]\n// [tag:date]\n// [tag:person]\n"
        "::Fondation::En quelle année ?{=1949}\n"
    )
    [item] = exchange.parse("gift", text.encode())
    assert item.record["id"] == "q-00000000beef" and item.record["tags"] == ["date", "person"]


def big_number(lang: str, answer: str) -> Record:
    """A numeric question whose answer is written as the sheet's language writes numbers."""
    source = EN if lang == "en" else FR
    return make_record("q-0000000000b1", "numeric", f"How many? {BLANK}", answer, source,
                       lang=lang, accepted=[answer])  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "answer", "value"),
    [("en", "100,000", "100000"), ("en", "1.5", "1.5"), ("fr", "100 000", "100000"),
     ("fr", "1,5", "1.5"), ("en", "2,500,000", "2500000")],
)  # fmt: skip
def test_numbers_are_exported_as_the_sheets_language_reads_them(
    lang: str, answer: str, value: str
) -> None:
    record = big_number(lang, answer)
    assert "{#" + value + "####" in gift_question(record)
    xml = exchange.export("moodle", [record]).content.decode()
    assert f"<text>{value}</text>" in xml


def test_an_english_thousands_answer_comes_back_whole_and_is_checked_as_such() -> None:
    record = big_number("en", "100,000")
    [back] = parsed("gift", exchange.export("gift", [record]).content)
    assert back["answer"] == "100,000"
    question = SimpleNamespace(**{name: back[name] for name in ("type", "answer", "accepted",
                                                                 "choices", "lang")})  # fmt: skip
    assert checking.check(question, "100000") and checking.check(question, "100,000")
    assert not checking.check(question, "100")
