"""The question editor's forms: one per question type, on the shared base.

``QuestionForm`` (``author_editor_base``) holds what every question has and
checks the evidence; each type here adds its answer fields and their checks:
choices are distinct, a numeric answer parses, a cloze prompt has its blank,
the accepted forms are a few short lines. ``FORMS`` names the form of each
type and ``editor_form`` builds one for the editor's view.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ...generate.normalize import fold
from ...models import Paragraph, Question
from ...services.study.checking import parse_number
from .editor_base import ANSWER_MAX, CheckList, QuestionForm, text_area, text_field

ACCEPTED_MAX = 10
WRONG_CHOICES, ORDER_ITEMS = 3, 5
TRUE_FALSE = {"fr": ("Vrai", "Faux"), "en": ("True", "False")}
BLANK = re.compile(r"_{3,}")


def _lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, trimmed, each once."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.append(line)
    return seen


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
