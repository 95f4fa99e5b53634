"""Small sheets built directly as model rows, for the study services' tests.

No pipeline (spaCy) involved: each revision gets one paragraph and one
question of every type, with answers known in advance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, Answer, Attempt, Paragraph, Question, Revision, Sheet

# One sentence per question, so that no two questions of a sheet share their evidence
# and none prints another's answer: a quiz may hold all six (see services.study.drawing).
SENTENCES = {
    "cloze": "La Russie a rejoint le Partenariat pour la paix en 1994.",
    "mcq": "La Russie a signé l'Acte fondateur à Paris.",
    "true_false": "L'Alliance a ouvert un bureau d'information à Moscou.",
    "short": "Le Conseil conjoint permanent (CCP) a été créé en 1997.",
    "numeric": "Le conseil s'est réuni à onze reprises.",
    "order": "La guerre froide a pris fin en 1991.",
}
PARAGRAPH = " ".join(SENTENCES.values())
# type → the half-open span of its sentence in PARAGRAPH.
SPANS = {
    kind: (PARAGRAPH.index(sentence), PARAGRAPH.index(sentence) + len(sentence))
    for kind, sentence in SENTENCES.items()
}
ORDER_ITEMS = ["Fin de la Guerre froide", "Partenariat pour la paix", "Acte fondateur", "COR"]

# type → the columns that differ between questions (answers, choices, tags).
QUESTION_SPECS: dict[str, dict[str, Any]] = {
    "cloze": {"answer": "1994", "accepted": ["1994"], "tags": ["date"]},
    "mcq": {
        "answer": "Russie",
        "choices": ["France", "Russie", "Ukraine", "Géorgie"],
        "tags": ["place"],
    },
    "true_false": {"answer": "Vrai", "choices": ["Vrai", "Faux"], "tags": ["date"]},
    "short": {
        "answer": "CCP",
        "accepted": ["CCP", "Conseil conjoint permanent"],
        "tags": ["acronym", "institution"],
    },
    "numeric": {"answer": "onze", "accepted": ["onze", "11"], "tags": ["number"]},
    "order": {
        "answer": list(ORDER_ITEMS),
        "choices": [ORDER_ITEMS[i] for i in (2, 0, 3, 1)],
        "tags": ["date"],
    },
}

WRONG = {
    "cloze": "1995",
    "mcq": "France",
    "true_false": "Faux",
    "short": "OTAN",
    "numeric": "12",
    "order": list(reversed(ORDER_ITEMS)),
}


def make_sheet(slug: str = "otan", labels: tuple[str, ...] = ("2022",)) -> Sheet:
    """A sheet with one revision per label (oldest first), each with one question per type."""
    sheet = Sheet(slug=slug, title=f"Fiche {slug}", lang="fr")
    for position, label in enumerate(labels):
        revision = Revision(
            sheet=sheet,
            label=label,
            position=position,
            file_name=f"{label}.md",
            content_hash="0" * 64,
            generated_hash="0" * 64,
        )
        paragraph = Paragraph(
            revision=revision, anchor="p-0000000001", index=0, text=PARAGRAPH, lang="fr"
        )
        for kind, spec in QUESTION_SPECS.items():
            add_question(revision, paragraph, kind, **spec)
    db.session.add(sheet)
    db.session.flush()
    return sheet


def add_question(
    revision: Revision,
    paragraph: Paragraph,
    kind: str,
    status: str = STATUS_APPROVED,
    **columns: Any,
) -> Question:
    """A question of ``kind`` citing its own sentence of ``paragraph``; ``columns`` win."""
    start, end = SPANS[kind]
    values: dict[str, Any] = {
        "uid": f"q-{kind}-{len(revision.questions)}",
        "prompt": f"Question {kind} ?",
        "lang": "fr",
        "explanation": f"Explication {kind}.",
        "evidence_start": start,
        "evidence_end": end,
    }
    question = Question(
        revision=revision, paragraph=paragraph, type=kind, status=status, **(values | columns)
    )
    revision.questions.append(question)
    return question


def right_answer(question: Question) -> Any:
    """What a learner who knows types or picks."""
    return list(question.answer) if question.type == "order" else question.answer


def wrong_answer(question: Question) -> Any:
    """A well-formed answer that is wrong."""
    return WRONG[question.type]


def answer_row(attempt: Attempt, question: Question, correct: bool, when: datetime) -> Answer:
    """An answer row with an explicit time (for statistics and review tests)."""
    given = right_answer(question) if correct else wrong_answer(question)
    answer = Answer(
        attempt_id=attempt.id,
        question_id=question.id,
        given=given,
        correct=correct,
        created_at=when,
    )
    db.session.add(answer)
    db.session.flush()
    return answer


def answer_count(**where: Any) -> int:
    """How many answer rows match ``where`` (column=value)."""
    return db.session.scalar(select(func.count()).select_from(Answer).filter_by(**where)) or 0
