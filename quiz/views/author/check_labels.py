"""The automatic checks in the reader's language: a name for each check, a sentence per reason.

The checks (the registry of ``quiz.generate.questions.checks`` and ``faults``,
then ``services.authoring.approval``'s ``paragraph_in_latest``) give their reasons in
English. Some quote the question's own words ("« X » does not agree with « le »
before the blank"): those are recognised by their pattern and translated with
the quoted words kept. A check or a reason missing here would show as it is,
its code name or its English reason: ``tests/test_author_checks.py`` fails
when one is missing, so add it here (and to the catalogs) with the check.
"""

from __future__ import annotations

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ...services.authoring import approval

CHECK_NAMES: dict[str, LazyString] = {
    "answer_in_evidence": _l("Answer inside the evidence"),
    "answer_not_in_prompt": _l("Answer not in the prompt"),
    "choices_sound": _l("Choices distinct, answer among them"),
    "one_blank": _l("One blank at most"),
    "whole_text": _l("Nothing cut short"),
    "no_page_furniture": _l("No page furniture"),
    "self_contained": _l("Quotes understood on their own"),
    "blank_keeps_names_whole": _l("Quoted names kept whole"),
    "no_acronym_give_away": _l("No acronym or name giving the answer away"),
    "choices_fit_the_blank": _l("Choices agree with the word before the blank"),
    "wrong_choices_are_wrong": _l("Wrong choices not named by the evidence"),
    "choices_of_one_kind": _l("Choices of the answer's kind"),
    "statement_consistent": _l("Statement consistent with itself"),
    "blank_says_its_precision": _l("Blank says how precise the answer is"),
    "events_in_order": _l("Events that do not tell their order"),
    "accepted_forms_distinct": _l("Accepted forms differ from the answer"),
    approval.PARAGRAPH_IN_LATEST: _l("Paragraph still in its revision"),
}

CHECK_MESSAGES: dict[str, LazyString] = {
    approval.PASSED: _l("Passed."),
    "evidence span outside its paragraph": _l("The evidence span lies outside its paragraph."),
    "answer not in its evidence": _l("The answer is not in the evidence."),
    "answer given away in the prompt": _l("The prompt gives the answer away."),
    "choices not distinct": _l("Two choices are the same."),
    "an mcq needs 3 or 4 choices": _l("A multiple-choice question needs 3 or 4 choices."),
    "the answer is not exactly one of the choices": _l(
        "The answer is not exactly one of the choices."
    ),
    "order choices are not the events to order": _l("The choices are not the events to order."),
    "every event of an order question needs its source": _l(
        "Every event to order needs its own source."
    ),
    "an order question needs at least two events": _l(
        "A question to put in order needs at least two events."
    ),
    "more than one blank": _l("The prompt has more than one blank."),
    "text cut short": _l("A text is cut short (“…”)."),
    "page furniture (a news dateline) in the question": _l(
        "Text from the page around the sheet (a news dateline) is in the question."
    ),
    "the quoted sentence leans on one it does not show": _l(
        "The quoted sentence leans on one it does not show."
    ),
    "a first-person quote with no speaker": _l("A first-person quote does not say who speaks."),
    "the blank cuts a quoted name in two": _l(
        "The blank cuts a quoted name in two: blank the whole name."
    ),
    "the answer's acronym or expansion stands in the prompt": _l(
        "The prompt shows the answer's acronym, or the name the acronym stands for."
    ),
    "the statement contradicts its own chronology": _l(
        "The statement contradicts its own chronology."
    ),
    "the blank also admits the year alone": _l(
        "The blank also admits the year alone: say that a month or a day is wanted."
    ),
    "two events share a date": _l("Two events share a date."),
    "an event's wording tells its place or its date": _l(
        "An event's wording tells its place in the order, or its date."
    ),
    "an accepted form repeats the answer": _l("An accepted form repeats the answer."),
    approval.PARAGRAPH_GONE: _l("The latest revision of the sheet no longer has this paragraph."),
}

# Reasons quoting the question's words, as the checks write them ({name}: a quoted part).
QUOTING_MESSAGES: dict[str, LazyString] = {
    "« {choice} » does not agree with « {det} » before the blank": _l(
        "“%(choice)s” does not agree with “%(det)s” before the blank."
    ),
    "the evidence also names « {choice} »": _l(
        "The evidence also names “%(choice)s”: this wrong choice may be true too."
    ),
    "« {choice} » is not of the answer's kind": _l(
        "“%(choice)s” is not the same kind of thing as the answer."
    ),
}


def _pattern(written: str) -> re.Pattern[str]:
    """The regular expression matching a reason written as ``written`` ({name}: any text)."""
    parts = re.split(r"\{(\w+)\}", written)
    return re.compile(
        "".join(
            f"(?P<{part}>.+)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
        ),
        re.DOTALL,
    )


_QUOTING = [(_pattern(written), template) for written, template in QUOTING_MESSAGES.items()]


def check_message(message: str) -> str:
    """A check's reason in the reader's language, quoted words kept (as it is when unknown)."""
    if message in CHECK_MESSAGES:
        return str(CHECK_MESSAGES[message])
    for pattern, template in _QUOTING:
        match = pattern.fullmatch(message)
        if match:
            return str(template) % match.groupdict()
    return message
