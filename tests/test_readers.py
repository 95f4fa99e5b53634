"""Readers: what text a sheet's markup leaves for the pipeline (input text → blocks)."""

from __future__ import annotations

import pytest

from quiz.generate.readers import read_markdown

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Le canal <script>window.x = 1</script>a été inauguré.", "Le canal a été inauguré."),
        ("Un <STYLE type='text/css'>p { color: red }</style>style.", "Un style."),
        ("Du `<script>code</script>` cité.", "Du <script>code</script> cité."),
        ("Une <b>image</b> <img src=x onerror=alert(1)>ici.", "Une image ici."),
        (
            "[la carte](javascript:alert(1)) et [le site](https://example.org).",
            "[la carte](javascript:alert(1)) et le site.",
        ),
        ("Auto-fermante <script src='a.js'/>puis la suite.", "Auto-fermante puis la suite."),
    ],
)
def test_markdown_keeps_prose_and_drops_code(markdown: str, text: str) -> None:
    _, blocks = read_markdown(markdown)
    assert [block.text for block in blocks] == [text]
