"""The one error an import raises: every problem found in the file, by line."""

from __future__ import annotations

from collections.abc import Iterable


class ImportErrors(Exception):
    """A file that cannot be imported, with every ``(line, message)`` found in it.

    Importers check the whole file before giving up, so a teacher fixes all
    the problems in one pass; and nothing of a file with any error is
    imported. Lines count from 1; 0 means the file as a whole.
    """

    def __init__(self, errors: Iterable[tuple[int, str]]) -> None:
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__("; ".join(self.lines()))

    def lines(self) -> list[str]:
        """One ``line N: message`` text per error (just the message for line 0)."""
        return [f"line {line}: {message}" if line else message for line, message in self.errors]

    @classmethod
    def single(cls, line: int, message: str) -> ImportErrors:
        """The error of a file with one problem."""
        return cls([(line, message)])
