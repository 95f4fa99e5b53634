"""Exchange files keep what Moodle and Anki read: idnumber and tags in GIFT comments,
numbers in the sheet's language, absolute citation links (issue 9, items 21–23)."""

from __future__ import annotations

from test_exchange import RECORDS, gift_question

from quiz import exchange


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
