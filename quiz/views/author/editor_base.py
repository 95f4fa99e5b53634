"""The question editor's shared base form: what every question type has, and its checks.

Every form carries the evidence (a paragraph of the revision and a half-open
character span of its text) and checks it field by field: the span lies in
the paragraph and is not blank, the answer stands inside it (folded as the
automatic checks fold it, ``quiz.generate.normalize``). The view gives the
form the paragraphs it may cite (``set_paragraphs``) before validating: any
other paragraph id is refused. The six types build on ``QuestionForm`` in
``author_editor_forms``, with the field builders below.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ...generate.normalize import contains_words
from ...models import Paragraph, Question
from ...services.authoring.editing import QuestionContent
from ..forms import MultiCheckboxField, strip
from ..labels import TOPICS

PROMPT_MAX, ANSWER_MAX, EXPLANATION_MAX = 2000, 300, 4000
OFFSET_MAX = 1_000_000
DIFFICULTY_MIN, DIFFICULTY_MAX, DIFFICULTY_DEFAULT = 0.05, 0.95, 0.5
LANGS = {"fr": "Français", "en": "English"}
CheckList = list[Any]


def _paragraph_label(paragraph: Paragraph) -> str:
    """How the paragraph select names a paragraph: its number and first words."""
    start = " ".join(paragraph.text.split())
    start = start if len(start) <= 70 else start[:69].rstrip() + "…"
    return f"¶{paragraph.index + 1} · {start}"


def _text_checks(required: Any, maximum: int) -> CheckList:
    """Required when ``required`` (its message) is given, and at most ``maximum`` characters."""
    # DataRequired, not InputRequired: it sees the value trimmed, so spaces alone are refused.
    first = DataRequired(message=required) if required else Optional()
    return [first, Length(max=maximum, message=_l("At most %(max)d characters."))]


def text_field(label: Any, required: Any = None, maximum: int = ANSWER_MAX) -> StringField:
    """A one-line text input, trimmed, required when ``required`` (its message) is given."""
    return StringField(label, filters=[strip], validators=_text_checks(required, maximum))


def text_area(label: Any, required: Any = None, maximum: int = PROMPT_MAX) -> TextAreaField:
    """A text area, trimmed, required when ``required`` (its message) is given."""
    return TextAreaField(label, filters=[strip], validators=_text_checks(required, maximum))


def position_field(label: Any) -> IntegerField:
    """A character position in the paragraph (a number input: the page works without JS)."""
    required = InputRequired(message=_l("Select the evidence in the paragraph."))
    in_range = NumberRange(0, OFFSET_MAX, message=_l("A position in the paragraph."))
    return IntegerField(label, validators=[required, in_range])


class QuestionForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    """What every question has: prompt, explanation, topics, difficulty, language, evidence."""

    type: ClassVar[str] = ""
    has_answer_in_evidence: ClassVar[bool] = False

    stamp = HiddenField()
    prompt = text_area(_l("Prompt"), _l("Write the question."))
    explanation = text_area(_l("Explanation"), maximum=EXPLANATION_MAX)
    tags = MultiCheckboxField(
        _l("Topics"),
        choices=[SelectChoice(code, name) for code, name in TOPICS.items()],
        invalid_choice_message=_l("Pick topics from the list."),
    )
    difficulty = FloatField(
        _l("Difficulty"),
        default=DIFFICULTY_DEFAULT,
        validators=[
            InputRequired(message=_l("Give a difficulty.")),
            NumberRange(
                DIFFICULTY_MIN,
                DIFFICULTY_MAX,
                message=_l("Between %(min)s (easy) and %(max)s (hard)."),
            ),
        ],
    )
    lang = SelectField(
        _l("Language of the question"),
        choices=[SelectChoice(code, name) for code, name in LANGS.items()],
        invalid_choice_message=_l("Pick a language from the list."),
    )
    paragraph = SelectField(
        _l("Paragraph"),
        coerce=int,
        invalid_choice_message=_l("Pick a paragraph of this revision."),
    )
    evidence_start = position_field(_l("Evidence start"))
    evidence_end = position_field(_l("Evidence end"))

    texts: dict[int, str]
    sources: list[dict[str, Any]]

    def set_paragraphs(self, paragraphs: list[Paragraph]) -> None:
        """The paragraphs the question may cite: the select's choices, and their texts."""
        self.paragraph.choices = [SelectChoice(p.id, _paragraph_label(p)) for p in paragraphs]
        self.texts = {paragraph.id: paragraph.text for paragraph in paragraphs}
        self.sources = [{"id": p.id, "text": p.text, "lang": p.lang} for p in paragraphs]

    # Validation -------------------------------------------------------------

    def validate(self, extra_validators: dict[str, CheckList] | None = None) -> bool:
        """The fields' own validators, then the checks between fields (still per field)."""
        extra = dict(extra_validators or {})
        for name, checks in self.cross_checks().items():
            extra[name] = [*extra.get(name, []), *checks]
        return bool(super().validate(extra_validators=extra))

    def cross_checks(self) -> dict[str, CheckList]:
        """Checks that read other fields, by the field whose message they give."""
        checks: dict[str, CheckList] = {"difficulty": [_finite], "evidence_end": [_span_fits]}
        if self.has_answer_in_evidence:
            checks["answer"] = [_answer_in_evidence]
        return checks

    def span(self) -> tuple[str, int, int] | None:
        """The chosen paragraph's text and the two positions; None while any is invalid."""
        text = getattr(self, "texts", {}).get(self.paragraph.data)
        start, end = self.evidence_start.data, self.evidence_end.data
        if text is None or not isinstance(start, int) or not isinstance(end, int):
            return None
        return text, start, end

    def evidence(self) -> str | None:
        """The text of the chosen span, or None while the paragraph or the span is not valid."""
        text, start, end = self.span() or ("", 0, 0)
        return text[start:end] if 0 <= start < end <= len(text) else None

    def answer_candidates(self) -> list[str]:
        """The answer and the forms accepted for it (what the evidence must contain)."""
        return []

    # Content ----------------------------------------------------------------

    def answer_parts(self) -> tuple[list[str], Any, list[str]]:
        """``(choices, answer, accepted)`` as the type stores them."""
        raise NotImplementedError

    def content(self) -> QuestionContent:
        """The validated form as the content the editing service stores."""
        choices, answer, accepted = self.answer_parts()
        return QuestionContent(
            type=self.type,
            prompt=self.prompt.data,
            choices=choices,
            answer=answer,
            accepted=accepted,
            lang=self.lang.data,
            tags=list(self.tags.data or []),
            difficulty=float(self.difficulty.data),
            explanation=self.explanation.data or "",
            paragraph_id=self.paragraph.data,
            evidence_start=self.evidence_start.data,
            evidence_end=self.evidence_end.data,
        )

    @classmethod
    def initial(cls, question: Question) -> dict[str, Any]:
        """The form's values for a stored question (shown when the editor opens)."""
        return {
            "prompt": question.prompt,
            "explanation": question.explanation,
            "tags": [tag for tag in question.tags if tag in TOPICS],
            "difficulty": question.difficulty,
            "lang": question.lang if question.lang in LANGS else "fr",
            "paragraph": question.paragraph_id,
            "evidence_start": question.evidence_start,
            "evidence_end": question.evidence_end,
            **cls.answer_initial(question),
        }

    @classmethod
    def answer_initial(cls, question: Question) -> dict[str, Any]:
        """The type's own fields for a stored question."""
        return {}


def _finite(form: QuestionForm, field: Field) -> None:
    """Refuse ``nan``, which every range comparison lets through."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(_l("Give a difficulty."))


def _span_fits(form: QuestionForm, field: Field) -> None:
    """The span ends after it starts, inside the paragraph, and holds some text."""
    span = form.span()
    if span is None:
        return  # the paragraph or a position is invalid: their own messages say so
    text, start, end = span
    if end <= start:
        raise ValidationError(_l("The evidence must end after it starts."))
    if end > len(text):
        raise ValidationError(_l("This paragraph has only %(count)d characters.", count=len(text)))
    if not text[start:end].strip():
        raise ValidationError(_l("The evidence is blank: select words of the paragraph."))


def _answer_in_evidence(form: QuestionForm, field: Field) -> None:
    """The answer, or a form accepted for it, stands in the evidence (as the checks fold it)."""
    evidence = form.evidence()
    candidates = [candidate for candidate in form.answer_candidates() if candidate]
    if evidence is None or not candidates:
        return
    if not any(contains_words(evidence, candidate) for candidate in candidates):
        raise ValidationError(
            _l("The evidence does not contain this answer (or an accepted form of it).")
        )
