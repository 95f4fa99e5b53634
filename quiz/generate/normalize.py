"""Text normalisation: one form for matching, the original for display.

``matching_text`` folds typographic apostrophes and exotic spaces one
character for one, so every offset found on it is valid on the original text:
evidence spans always point into what the learner reads.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ONE_FOR_ONE = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u2032": "'",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ",
        "\u2003": " ", "\u200a": " ", "\t": " ",
        "\u2010": "-", "\u2011": "-",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")


def matching_text(text: str) -> str:
    """Fold apostrophes, dashes inside words and spaces; same length as ``text``."""
    return text.translate(_ONE_FOR_ONE)


def collapse(text: str) -> str:
    """Matching text with runs of white space made one space, ends trimmed."""
    return _SPACES.sub(" ", matching_text(text)).strip()


def strip_accents(text: str) -> str:
    """``text`` without combining accents (é → e, ç → c); œ and æ are kept."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The loosest comparable form: collapsed, case-folded, accents removed."""
    return strip_accents(collapse(text).casefold())


@lru_cache(maxsize=1 << 14)
def word_pattern(needle: str, flags: int = 0) -> re.Pattern[str]:
    """``needle`` as whole words. A number ends where its digits end, so the year in
    scraped "29 Sep. 2015Le secrétaire" still counts, while "20" never matches "2022"."""
    end = r"(?!\d)" if needle[-1:].isdigit() else r"(?!\w)"
    return re.compile(rf"(?<!\w){re.escape(needle)}{end}", flags)


def forget() -> None:
    """Empty the caches of folded text and word patterns: a benchmark times a run on
    text the process has never seen."""
    fold.cache_clear()
    word_pattern.cache_clear()


def contains_words(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, loosely compared."""
    folded = fold(needle)
    if not folded:
        return False
    text = fold(haystack)
    # The substring test is cheap and settles most calls: a big sheet asks it often.
    return folded in text and word_pattern(folded).search(text) is not None
