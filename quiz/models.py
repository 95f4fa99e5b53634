"""Database models: sheets, their revisions, paragraphs and questions.

A sheet (one public fact sheet) has revisions (successive versions of its
text); each revision has the paragraphs the pipeline read and the questions it
generated, every question pointing at the paragraph and span that prove its
answer. Users, attempts and answers (later issues) will reference
``Question.id``, which is why questions are updated in place, never recreated,
when a revision is re-imported.

Only portable column types are used so that the same models run on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

STATUS_DRAFT = "draft"
STATUS_APPROVED = "approved"
QUESTION_STATUSES = (STATUS_DRAFT, STATUS_APPROVED)

# sha256 hex digests.
HASH_LENGTH = 64


def utcnow() -> datetime:
    """The current time, timezone-aware, for ``created_at`` style columns."""
    return datetime.now(UTC)


class Sheet(db.Model):  # type: ignore[name-defined,misc]
    """A public fact sheet, identified by its slug across revisions."""

    __tablename__ = "sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str | None] = mapped_column(String(2000))

    revisions: Mapped[list[Revision]] = relationship(
        back_populates="sheet",
        cascade="all, delete-orphan",
        order_by="Revision.position",
    )

    def __repr__(self) -> str:
        return f"<Sheet {self.slug}>"


class Revision(db.Model):  # type: ignore[name-defined,misc]
    """One version of a sheet's text, as imported from one file."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("sheet_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    # Oldest first, as listed in sheet.toml.
    position: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(500))
    # Hash of the file's bytes: did the teacher's text change?
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    # Hash of what the pipeline made of it: did the paragraphs or questions change?
    generated_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sheet: Mapped[Sheet] = relationship(back_populates="revisions")
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="revision",
        cascade="all, delete-orphan",
        order_by="Paragraph.index",
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="revision",
        cascade="all, delete-orphan",
        order_by="Question.id",
    )

    def __repr__(self) -> str:
        return f"<Revision {self.label} of sheet {self.sheet_id}>"


class Paragraph(db.Model):  # type: ignore[name-defined,misc]
    """A unit of a revision's text; its anchor is stable across revisions."""

    __tablename__ = "paragraphs"
    __table_args__ = (UniqueConstraint("revision_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    anchor: Mapped[str] = mapped_column(String(200))
    index: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32), default="paragraph")
    quizzable: Mapped[bool] = mapped_column(default=True)
    # Anchor of the paragraph this one translates, in the same revision.
    translation_of: Mapped[str | None] = mapped_column(String(200))
    skip_reason: Mapped[str | None] = mapped_column(Text)

    revision: Mapped[Revision] = relationship(back_populates="paragraphs")
    questions: Mapped[list[Question]] = relationship(back_populates="paragraph")

    def __repr__(self) -> str:
        return f"<Paragraph {self.anchor} of revision {self.revision_id}>"


class Question(db.Model):  # type: ignore[name-defined,misc]
    """A question whose answer is proven by a span of one paragraph."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("revision_id", "uid"),
        CheckConstraint(
            "status IN ('" + "', '".join(QUESTION_STATUSES) + "')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pipeline's stable id: the same question keeps it across imports.
    uid: Mapped[str] = mapped_column(String(200))
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("paragraphs.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(32))
    prompt: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A string, or the items in order for ``order`` questions.
    answer: Mapped[Any] = mapped_column(JSON)
    accepted: Mapped[list[str]] = mapped_column(JSON, default=list)
    lang: Mapped[str] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty: Mapped[float] = mapped_column(Float, default=0.5)
    explanation: Mapped[str] = mapped_column(Text, default="")
    # Half-open character span [start, end) of the evidence in the paragraph.
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    # ``order`` questions: where each item's date is stated (source objects).
    item_sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    revision: Mapped[Revision] = relationship(back_populates="questions")
    paragraph: Mapped[Paragraph] = relationship(back_populates="questions")

    def __repr__(self) -> str:
        return f"<Question {self.uid} of revision {self.revision_id}>"
