"""Which sentences of a sheet say much what a stem says: an index of their words.

A wrong answer the sheet names in a like sentence might well be true ("also created
in 1997"). Scanning every sentence for every candidate made a big sheet cost the
square of its length; the index looks only at the sentences that share a word with
the stem, and at each distinct sentence once (a sheet that repeats a sentence says
it no more alike).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..normalize import fold, word_pattern

_KEY = re.compile(r"[^\W\d_]{5,}|\b(?:1[5-9]|20)\d\d\b")


def sentence_keys(text: str) -> set[str]:
    """The distinctive words of a sentence (five letters or more) and its years."""
    return {fold(word)[:7] for word in _KEY.findall(text)}


class AlikeIndex:
    """The quizzable sentences of one sheet, found by the distinctive words they share."""

    def __init__(self, sentences: Iterable[str]) -> None:
        """Index ``sentences``; a key found in over a quarter of them tells nothing."""
        keyed = [(text, sentence_keys(text)) for text in sentences]
        counts = Counter(key for _, keys in keyed for key in keys)
        limit = max(2, len(keyed) // 4)
        self.common = {key for key, n in counts.items() if n > limit}
        distinct = dict(keyed)  # the same text has the same keys wherever it stands
        self.texts = list(distinct)
        self.folded = [fold(text) for text in self.texts]
        self.postings: dict[str, list[int]] = {}
        self._last: tuple[str, int, list[int]] = ("", 0, [])
        for number, keys in enumerate(distinct.values()):
            for key in keys - self.common:
                self.postings.setdefault(key, []).append(number)

    def said_alike(self, candidate: str, stem: str, shared: int) -> bool:
        """Whether a sentence other than ``stem``'s own names ``candidate`` and has at
        least ``shared`` of the stem's distinctive words."""
        needle = fold(candidate)
        if not needle:
            return False
        # contains_words, with the texts folded once: a big sheet asks this a million times
        return any(
            needle in self.folded[number] and word_pattern(needle).search(self.folded[number])
            for number in self._like(stem, shared)
        )

    def _like(self, stem: str, shared: int) -> list[int]:
        """The sentences sharing ``shared`` keys with ``stem``, itself left out; kept for
        the next call, which asks about another candidate for the same stem."""
        if self._last[:2] != (stem, shared):
            counts: Counter[int] = Counter()
            for key in sentence_keys(stem) - self.common:
                counts.update(self.postings.get(key, ()))
            like = [i for i, n in counts.items() if n >= shared and self.texts[i] not in stem]
            self._last = (stem, shared, like)
        return self._last[2]
