"""A new revision carries the version learners are served, never an edit awaiting approval."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from test_upload_command import REWRITTEN, SUEZ, SUEZ_2019, SUEZ_2021, imported

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_DRAFT, Question, utcnow
from quiz.services.sheets import find_revision


def test_a_pending_edit_is_not_carried_into_the_next_revision(
    app: Flask, runner: FlaskCliRunner
) -> None:
    imported(runner, SUEZ_2019, "--sheet", SUEZ, "--revision", "2019", "--approve")
    with app.app_context():
        old = find_revision(SUEZ, "2019")
        served = next(
            q
            for q in old.questions
            if q.status == STATUS_APPROVED
            and q.type != "order"
            and not q.paragraph.text.startswith(REWRITTEN)
        )
        pending = Question(
            uid=served.uid,
            revision=old,
            paragraph=served.paragraph,
            type=served.type,
            prompt="Version 2, awaiting approval",
            choices=list(served.choices),
            answer=served.answer,
            accepted=list(served.accepted),
            lang=served.lang,
            tags=list(served.tags),
            evidence_start=served.evidence_start,
            evidence_end=served.evidence_end,
            status=STATUS_DRAFT,
            version=2,
            replaces_id=served.id,
            edited_at=utcnow(),
        )
        db.session.add(pending)
        db.session.commit()
        uid, served_prompt = served.uid, served.prompt
    imported(runner, SUEZ_2021, "--sheet", SUEZ, "--revision", "2021", "--approve")
    with app.app_context():
        new = find_revision(SUEZ, "2021")
        [copy] = db.session.scalars(
            select(Question).where(Question.revision_id == new.id, Question.uid == uid)
        )
        assert copy.prompt == served_prompt
        assert copy.status == STATUS_APPROVED
