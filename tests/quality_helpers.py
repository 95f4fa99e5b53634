"""Small helpers for tests/test_quality.py: normalising text, reading the gold
files, spotting contact blocks and page chrome, and splitting a raw sheet into
blocks (only to check that the gold itself is well formed).

Nothing here imports the pipeline: the gold and these checks are independent of it.
"""

from __future__ import annotations

import datetime
import html
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SHEETS = DATA / "sheets"
GOLD = DATA / "gold"
REVIEW = DATA / "review"
BUILTIN = REPO / "questions"

FACT_KINDS = {"date", "institution", "acronym", "treaty", "number", "person", "place"}
TREATY_ACTIONS = {
    "signed",
    "entered_into_force",
    "ratified",
    "suspended",
    "violated",
    "withdrew",
    "revoked_ratification",
    "stopped_respecting",
    "proposed",
}
QUESTION_TYPES = {"mcq", "cloze", "true_false", "short", "numeric", "order"}
ANSWER_IN_EVIDENCE_TYPES = {"mcq", "cloze", "short", "numeric"}
NO_LEAK_TYPES = {"mcq", "cloze", "short", "numeric"}
TYPED_TYPES = {"cloze", "short", "numeric"}  # answered by typing, checked against `accepted`


# --------------------------------------------------------------------------- text

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200a]+")


def norm(text: str) -> str:
    """NFKC, typographic apostrophes to ', odd spaces to ' ', collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return _SPACES.sub(" ", text).strip().casefold()


def contains_word(haystack: str, needle: str) -> bool:
    """Whether normalised ``needle`` occurs in normalised ``haystack`` as whole words.

    "cor" is in "encore" but not as a word; "20" is in "2022" but not as a number.
    """
    n, h = norm(needle), norm(haystack)
    if not n:
        return False
    return re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", h) is not None


def answer_items(question: dict[str, Any]) -> list[str]:
    """The answer as a list of strings (one item unless ``order``)."""
    answer = question["answer"]
    return list(answer) if isinstance(answer, list) else [answer]


# -------------------------------------------------------------------------- chrome

CHROME_PATTERNS: dict[str, re.Pattern[str]] = {
    "e-mail": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "URL": re.compile(r"https?://|\bwww\.|\b[a-z0-9-]+\.(?:int|org|com|net|eu|fr|aq|gov)\b"),
    "@handle": re.compile(r"(?<![\w.])@\w{2,}"),
    "phone number": re.compile(
        r"\+\d{1,3}(?:[ .\-\u00a0]?\(?\d{1,4}\)?){2,}|\b0\d(?:[ .]\d{2}){4}\b"
    ),
    "Tél": re.compile(r"\bTél\b|\bTel\.|\bPhone\s*:"),
    "Suivez-nous": re.compile(r"Suivez-nous|Follow us", re.IGNORECASE),
    "line starting with 'more'": re.compile(r"(?m)^\s*more"),
}


def chrome_hits(text: str) -> list[str]:
    """Names of the contact/chrome patterns found in ``text``."""
    return [name for name, pattern in CHROME_PATTERNS.items() if pattern.search(text)]


_BLANK = re.compile(r"_{2,}|…|\.{3}|\[\s*\]")


def has_blank(prompt: str) -> bool:
    """Whether a cloze prompt shows a gap ("____", "…", "...", "[ ]")."""
    return _BLANK.search(prompt) is not None


# ---------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldFact:
    kind: str
    answer: str
    context: str
    treaty: str | None = None
    action: str | None = None

    def describe(self) -> str:
        extra = f" [{self.treaty} / {self.action}]" if self.kind == "treaty" else ""
        return f"{self.kind}: {self.answer!r}{extra} (context {self.context!r})"


@dataclass(frozen=True)
class Gold:
    name: str
    sheet: Path
    facts: list[GoldFact]


def gold_files() -> list[Path]:
    """The gold of the built-in and unseen sheets, then of the blind reviews' sheets."""
    return sorted(GOLD.glob("*.toml")) + sorted(REVIEW.glob("*/gold/*.toml"))


def load_gold(path: Path) -> Gold:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    facts = [
        GoldFact(
            kind=f["kind"],
            answer=f["answer"],
            context=f["context"],
            treaty=f.get("treaty"),
            action=f.get("action"),
        )
        for f in data["fact"]
    ]
    return Gold(name=path.stem, sheet=REPO / data["sheet"], facts=facts)


# ------------------------------------------------- raw blocks (gold sanity checks)


class _HtmlBlocks(HTMLParser):
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "title"}
    SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self._flush()
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip -= 1
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._skip:
            self._current.append(data)

    def _flush(self) -> None:
        if self._current is not None:
            text = "".join(self._current).strip()
            if text:
                self.blocks.append(text)
        self._current = None


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def raw_blocks(path: Path) -> list[str]:
    """A rough split of a raw sheet into blocks: one line for .txt/.md, one element for HTML."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in {".html", ".htm"}:
        parser = _HtmlBlocks()
        parser.feed(text)
        return [html.unescape(b) for b in parser.blocks]
    if path.suffix == ".md":
        text = _MD_LINK.sub(r"\1", text).replace("**", "").replace("__", "")
        lines = [re.sub(r"^\s*(?:#+|[-*])\s+", "", line) for line in text.splitlines()]
        return [line.strip() for line in lines if line.strip()]
    return [line.strip() for line in text.splitlines() if line.strip()]


# ------------------------------------------------ wording checks (beyond the brief)

_QUOTED = re.compile(r"«\s*(.*?)\s*»|“(.*?)”|\"(.*?)\"", re.DOTALL)
# French and English subject/possessive pronouns. "En" and "Y" are left out: "En 2002, ..."
# opens many good sentences.
_DANGLING = set("il elle ils elles son sa ses leur leurs it its they their he she his her".split())


def quoted_openings(prompt: str) -> list[str]:
    """The sentences a prompt quotes (the text between « », “ ” or " ")."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(prompt)]


def opens_on_pronoun(text: str) -> bool:
    """Whether ``text`` starts with a pronoun that needs an antecedent it does not have."""
    words = re.findall(r"[^\W\d_]+", text[:40])
    return bool(words) and words[0].casefold() in _DANGLING and not text.lstrip().startswith("…")


def doubled_words(prompt: str) -> list[str]:
    """Words repeated back to back ("of of") in the prompt's own wording, quotes removed."""
    own = _QUOTED.sub(" ", prompt)
    return [m.group(1) for m in re.finditer(r"\b([^\W\d_]{2,})\s+\1\b", own, re.IGNORECASE)]


_MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
_MONTHS_EN = "january february march april may june july august september october november december"
_MONTHS = {
    **{m: i for i, m in enumerate(_MONTHS_FR.split(), 1)},
    **{m: i for i, m in enumerate(_MONTHS_EN.split(), 1)},
}
_DAY_MONTH_YEAR = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE
)


def impossible_dates(text: str) -> list[str]:
    """Day-month-year expressions in ``text`` naming a day that does not exist."""
    bad = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        day, month, year = int(m.group(1)), _MONTHS[m.group(2).casefold()], int(m.group(3))
        try:
            datetime.date(year, month, day)
        except ValueError:
            bad.append(m.group(0))
    return bad
