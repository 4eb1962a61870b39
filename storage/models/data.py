"""What was answered: submissions, answers, every revision, and the receipts given on sending."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow


class SubmissionStatus:
    """Where a submission stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Submission(Base):
    """One unit's answers for one period, against the form version it was started on."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"), Index(None, "period_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"))
    status: Mapped[str] = mapped_column(String(16), default=SubmissionStatus.DRAFT)
    reference: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    on_time: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=0)

    answers: Mapped[list[Answer]] = relationship(back_populates="submission")


PROVISIONAL_VALUES = {"sqlite": "provisional IS 1 AND value IS NOT NULL",
                      "postgresql": "provisional IS true AND value IS NOT NULL"}


class AnswerFields:
    """The columns an answer has, sent (`answers`) or waiting for «Gửi lại» (`pending_answers`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    question_key: Mapped[str] = mapped_column(String(40))
    raw_text: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    a: Mapped[float | None] = mapped_column(Float)
    b: Mapped[float | None] = mapped_column(Float)
    basis: Mapped[str | None] = mapped_column(String(16))
    skipped: Mapped[bool] = mapped_column(default=False)
    provisional: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    comparison: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=0)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Answer(AnswerFields, Base):
    """The current answer to one question; `a`/`b`/`basis` mirror the value for SQL aggregation."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("submission_id", "question_key"), Index(None, "question_key"),
        # the few provisional values of a period (`/thieu`, the web overview) without reading every answer
        Index("ix_answers_provisional", "submission_id", "question_key",
              sqlite_where=text(PROVISIONAL_VALUES["sqlite"]), postgresql_where=text(PROVISIONAL_VALUES["postgresql"])),
    )

    submission: Mapped[Submission] = relationship(back_populates="answers")


class AnswerRevision(Base):
    """One change to an answer, kept forever: what was typed, by whom, when, through what, from which file."""

    __tablename__ = "answer_revisions"
    __table_args__ = (Index(None, "submission_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    question_key: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    raw_text: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    skipped: Mapped[bool] = mapped_column(default=False)
    provisional: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    comparison: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str | None] = mapped_column(String(16))
    # The file the change came from (a returned workbook): its name as sent and its SHA-256; NULL when typed.
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A change made after sending, not yet sent again: analysts see the `answers` row, not this one.
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())


class PendingAnswer(AnswerFields, Base):
    """A sent answer's change that waits for «Gửi lại»: the focal person works on it, analysts do not see it.

    `answers` keeps what was sent (every summary, workbook and report reads it); sending again moves each
    pending row onto its answer and issues the next receipt, in one transaction.
    """

    __tablename__ = "pending_answers"
    __table_args__ = (UniqueConstraint("submission_id", "question_key"),)


# What the focal person's side reads: the sent answer, or its pending change.
AnswerLike = Answer | PendingAnswer
ANSWER_FIELDS = ("raw_text", "value", "a", "b", "basis", "skipped", "provisional", "note", "comparison", "revision",
                 "updated_by", "updated_at")


class Receipt(Base):
    """Given each time a submission is sent: the reference a focal person can quote."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    sent_at: Mapped[datetime]
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    on_time: Mapped[bool]
    provisional_keys: Mapped[str] = mapped_column(Text, default="")
