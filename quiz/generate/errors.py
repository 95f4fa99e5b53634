"""The one error the pipeline raises for input it cannot use."""

from __future__ import annotations

from pathlib import Path


class SheetError(Exception):
    """A sheet cannot be read or yields nothing to ask: one clear line for the user."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = Path(path)
        self.message = message
