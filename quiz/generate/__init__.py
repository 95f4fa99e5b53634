"""The generation pipeline: sheet → paragraphs → facts → sourced questions.

Pure Python and spaCy; nothing here imports Flask or the database.

    from quiz.generate import discover, generate
    result = generate(discover([Path("questions")]))
    result.to_json()  # {"sheets": [...], "questions": [...]}
"""

from .errors import SheetError
from .model import (
    Fact,
    GenerationResult,
    Paragraph,
    Question,
    SheetResult,
    SheetSource,
    Source,
    Span,
)
from .pipeline import discover, generate

__all__ = [
    "Fact",
    "GenerationResult",
    "Paragraph",
    "Question",
    "SheetError",
    "SheetResult",
    "SheetSource",
    "Source",
    "Span",
    "discover",
    "generate",
]
