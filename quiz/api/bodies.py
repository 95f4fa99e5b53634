"""Response bodies: the services' objects as the JSON the OpenAPI document promises.

Every field is named here on purpose, rather than dumping whole objects, so
that nothing new (an answer, an evidence span) leaks into a response when a
service object grows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from flask import request

from ..models import Attempt
from ..services.library.sheets import SheetListing
from ..services.study.attempts import public_view
from ..services.study.feedback import Feedback, Source
from ..services.study.stats import Stats


def sheet_body(sheet: SheetListing) -> dict[str, Any]:
    """A sheet: its revisions oldest first, and the latest one's question count."""
    return {
        "slug": sheet.slug,
        "title": sheet.title,
        "lang": sheet.lang,
        "revisions": [
            {"label": label, "question_count": count} for label, count in sheet.revisions.items()
        ],
        "question_count": sheet.question_count,
    }


def attempt_body(attempt: Attempt) -> dict[str, Any]:
    """A new attempt: its id and its questions, in the order asked, with no answer in them."""
    return {"id": attempt.id, "questions": [public_view(q) for q in attempt.questions]}


def feedback_body(feedback: Feedback) -> dict[str, Any]:
    """The verdict on an answer, with the sheet's words that prove the expected answer;
    for an ``order`` question, each event oldest first with its date and its own source."""
    return {
        "correct": feedback.correct,
        "expected": feedback.expected,
        "explanation": feedback.explanation,
        "source": source_body(feedback.source),
        "events": [
            {
                "event": event.text,
                "date": event.date,
                "source": source_body(event.source) if event.source else None,
            }
            for event in feedback.events
        ],
    }


def source_body(source: Source) -> dict[str, Any]:
    """A cited span of a sheet paragraph, with a link to the sheet page that highlights it."""
    return {
        "sheet": source.sheet,
        "revision": source.revision,
        "anchor": source.anchor,
        "paragraph": source.paragraph,
        "evidence": {"start": source.evidence_start, "end": source.evidence_end},
        # The service gives a path on this site; API clients need a whole URL.
        "url": urljoin(request.host_url, source.url),
    }


def stats_body(learner: Stats) -> dict[str, Any]:
    """Totals, then the same figures per sheet slug and per tag."""
    return {
        "answered": learner.answered,
        "correct": learner.correct,
        "accuracy": learner.accuracy,
        "by_sheet": learner.by_sheet,
        "by_tag": learner.by_tag,
    }
