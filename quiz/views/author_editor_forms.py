"""The question editor's forms: one per question type on a shared base.

Every form carries the evidence (a paragraph of the revision and a half-open
character span of its text) and checks it field by field: the span lies in
the paragraph and is not blank, the answer stands inside it (folded as the
automatic checks fold it, ``quiz.generate.normalize``), choices are distinct,
a numeric answer parses. The view gives the form the paragraphs it may cite
(``set_paragraphs``) before validating: any other paragraph id is refused.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
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

from ..generate.normalize import contains_words, fold
from ..models import Paragraph, Question
from ..services.checking import parse_number
from ..services.editing import QuestionContent
from .forms import MultiCheckboxField, strip
from .labels import TOPICS

PROMPT_MAX, ANSWER_MAX, EXPLANATION_MAX = 2000, 300, 4000
ACCEPTED_MAX = 10
OFFSET_MAX = 1_000_000
DIFFICULTY_MIN, DIFFICULTY_MAX, DIFFICULTY_DEFAULT = 0.05, 0.95, 0.5
WRONG_CHOICES, ORDER_ITEMS = 3, 5
LANGS = {"fr": "Français", "en": "English"}
TRUE_FALSE = {"fr": ("Vrai", "Faux"), "en": ("True", "False")}
BLANK = re.compile(r"_{3,}")
CheckList = list[Any]


def _lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, trimmed, each once."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.append(line)
    return seen


def _paragraph_label(paragraph: Paragraph) -> str:
    """How the paragraph select names a paragraph: its number and first words."""
    start = " ".join(paragraph.text.split())
    start = start if len(start) <= 70 else start[:69].rstrip() + "…"
    return f"¶{paragraph.index + 1} · {start}"


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def text_field(label: Any, required: Any = None, maximum: int = ANSWER_MAX) -> StringField:
    """A one-line text input, trimmed, required when ``required`` (its message) is given."""
    # DataRequired, not InputRequired: it sees the value trimmed, so spaces alone are refused.
    first = DataRequired(message=required) if required else Optional()
    return StringField(label, filters=[strip], validators=[first, _at_most(maximum)])


def text_area(label: Any, required: Any = None, maximum: int = PROMPT_MAX) -> TextAreaField:
    """A text area, trimmed, required when ``required`` (its message) is given."""
    first = DataRequired(message=required) if required else Optional()
    return TextAreaField(label, filters=[strip], validators=[first, _at_most(maximum)])


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


def _not_repeating(*earlier: str) -> Any:
    """A check that the field repeats none of the fields named ``earlier`` (loosely compared)."""

    def check(form: QuestionForm, field: Field) -> None:
        folded = fold(field.data or "")
        if folded and any(folded == fold(form[name].data or "") for name in earlier):
            raise ValidationError(_l("This choice appears twice."))

    return check


def _numeric(form: QuestionForm, field: Field) -> None:
    """The answer reads as a number in the question's language."""
    if field.data and parse_number(field.data, form.lang.data or "fr") is None:
        raise ValidationError(_l("Write a number, in digits or in words."))


def _has_blank(form: QuestionForm, field: Field) -> None:
    """A fill-in-the-blank prompt has its blank."""
    if field.data and not BLANK.search(field.data):
        raise ValidationError(_l("Put a blank (_____) where the answer goes."))


# The six types -------------------------------------------------------------------


class FreeAnswerForm(QuestionForm):
    """A typed answer (short, cloze, numeric): the answer and other forms to accept."""

    has_answer_in_evidence = True

    answer = text_field(_l("Answer"), _l("Give the answer."))
    accepted = text_area(_l("Other accepted answers"), maximum=ACCEPTED_MAX * (ANSWER_MAX + 1))

    def cross_checks(self) -> dict[str, CheckList]:
        """Adds: at most ``ACCEPTED_MAX`` accepted forms, each of a sensible length."""
        return {**super().cross_checks(), "accepted": [_accepted_lines]}

    def answer_candidates(self) -> list[str]:
        """The answer, then each accepted form."""
        return [self.answer.data or "", *_lines(self.accepted.data)]

    def answer_parts(self) -> tuple[list[str], Any, list[str]]:
        """No choices; the answer; the accepted forms, one per line."""
        return [], self.answer.data, _lines(self.accepted.data)

    @classmethod
    def answer_initial(cls, question: Question) -> dict[str, Any]:
        """The answer and the accepted forms, one per line."""
        return {"answer": str(question.answer), "accepted": "\n".join(question.accepted)}


def _accepted_lines(form: QuestionForm, field: Field) -> None:
    """Accepted forms: a few short lines."""
    lines = _lines(field.data)
    if len(lines) > ACCEPTED_MAX:
        raise ValidationError(_l("At most %(count)d accepted answers.", count=ACCEPTED_MAX))
    if any(len(line) > ANSWER_MAX for line in lines):
        raise ValidationError(_l("At most %(max)d characters per line.", max=ANSWER_MAX))


class ShortForm(FreeAnswerForm):
    """``short``: a direct question, a free answer."""

    type = "short"


class ClozeForm(FreeAnswerForm):
    """``cloze``: the prompt has a blank where the answer goes."""

    type = "cloze"

    def cross_checks(self) -> dict[str, CheckList]:
        """Adds: the prompt has its blank."""
        return {**super().cross_checks(), "prompt": [_has_blank]}


class NumericForm(FreeAnswerForm):
    """``numeric``: the answer is a number (checked exactly under 100, else within 1 %)."""

    type = "numeric"

    def cross_checks(self) -> dict[str, CheckList]:
        """Adds: the answer parses as a number."""
        checks = super().cross_checks()
        return {**checks, "answer": [_numeric, *checks["answer"]]}


class McqForm(QuestionForm):
    """``mcq``: the right answer and two or three wrong choices."""

    type = "mcq"
    has_answer_in_evidence = True

    answer = text_field(_l("Right answer"), _l("Give the answer."))
    wrong_1 = text_field(_l("Wrong choice 1"), _l("Give at least two wrong choices."))
    wrong_2 = text_field(_l("Wrong choice 2"), _l("Give at least two wrong choices."))
    wrong_3 = text_field(_l("Wrong choice 3 (optional)"))

    def cross_checks(self) -> dict[str, CheckList]:
        """Adds: no choice repeats another."""
        return {
            **super().cross_checks(),
            "wrong_1": [_not_repeating("answer")],
            "wrong_2": [_not_repeating("answer", "wrong_1")],
            "wrong_3": [_not_repeating("answer", "wrong_1", "wrong_2")],
        }

    def answer_candidates(self) -> list[str]:
        """The right answer."""
        return [self.answer.data or ""]

    def answer_parts(self) -> tuple[list[str], Any, list[str]]:
        """The choices (the answer once, shuffled when stored), the answer."""
        wrong = [field.data for field in (self.wrong_1, self.wrong_2, self.wrong_3) if field.data]
        return [self.answer.data, *wrong], self.answer.data, []

    @classmethod
    def answer_initial(cls, question: Question) -> dict[str, Any]:
        """The answer and the other choices in their stored order."""
        wrong = [choice for choice in question.choices if choice != question.answer]
        return {"answer": str(question.answer)} | {
            f"wrong_{number}": text for number, text in enumerate(wrong[:WRONG_CHOICES], 1)
        }


class TrueFalseForm(QuestionForm):
    """``true_false``: a statement, true or false (choices named in the question's language)."""

    type = "true_false"

    answer = RadioField(
        _l("The statement is"),
        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
        # No InputRequired: the choice check already refuses nothing ticked, with this message.
        invalid_choice_message=_l("Say whether the statement is true."),
    )

    def answer_parts(self) -> tuple[list[str], Any, list[str]]:
        """``["Vrai", "Faux"]`` (or English), and the right one."""
        true, false = TRUE_FALSE.get(self.lang.data, TRUE_FALSE["fr"])
        return [true, false], true if self.answer.data == "true" else false, []

    @classmethod
    def answer_initial(cls, question: Question) -> dict[str, Any]:
        """True when the answer is the first choice (Vrai / True)."""
        is_true = bool(question.choices) and question.answer == question.choices[0]
        return {"answer": "true" if is_true else "false"}


class OrderForm(QuestionForm):
    """``order``: events in the right order, oldest first (shuffled for learners)."""

    type = "order"

    item_1 = text_field(_l("Event 1 (oldest)"), _l("Give at least two events."))
    item_2 = text_field(_l("Event 2"), _l("Give at least two events."))
    item_3 = text_field(_l("Event 3"))
    item_4 = text_field(_l("Event 4"))
    item_5 = text_field(_l("Event 5"))

    def cross_checks(self) -> dict[str, CheckList]:
        """Adds: no event repeats another."""
        names = [f"item_{number}" for number in range(1, ORDER_ITEMS + 1)]
        checks = {name: [_not_repeating(*names[:index])] for index, name in enumerate(names)}
        return {**super().cross_checks(), **checks}

    def items(self) -> list[str]:
        """The events given, in order, gaps closed."""
        fields = [self[f"item_{number}"] for number in range(1, ORDER_ITEMS + 1)]
        return [field.data for field in fields if field.data]

    def answer_parts(self) -> tuple[list[str], Any, list[str]]:
        """The events as choices (shuffled when stored) and, in order, as the answer."""
        items = self.items()
        return list(items), items, []

    @classmethod
    def answer_initial(cls, question: Question) -> dict[str, Any]:
        """The events in the right order."""
        items = question.answer if isinstance(question.answer, list) else [question.answer]
        return {f"item_{number}": str(text) for number, text in enumerate(items[:ORDER_ITEMS], 1)}


FORMS: dict[str, type[QuestionForm]] = {
    form.type: form
    for form in (McqForm, TrueFalseForm, ClozeForm, ShortForm, NumericForm, OrderForm)
}


def editor_form(
    question_type: str,
    paragraphs: list[Paragraph],
    question: Question | None = None,
    submitted: bool = False,
    **defaults: Any,
) -> QuestionForm:
    """The editor's form for ``question_type``: the request's data when ``submitted``,
    else ``question``'s values (or ``defaults`` for a new question)."""
    form_class = FORMS[question_type]
    if submitted:
        form = form_class()
    else:
        data = form_class.initial(question) if question is not None else defaults
        form = form_class(formdata=None, data=data)
    form.set_paragraphs(paragraphs)
    return form
