"""What is asked: versioned forms, their questions, yearly targets, and the periods of their calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow


class Form(Base):
    """One version of a form, as loaded from a catalog file; `definition` is the validated file."""

    __tablename__ = "forms"
    __table_args__ = (UniqueConstraint("code", "version"), UniqueConstraint("code", "content_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    definition: Mapped[dict] = mapped_column(JSON)
    source_file: Mapped[str | None] = mapped_column(String(500))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="form", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    """An indicator or free-text section of a form version (columns reports aggregate by)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("form_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"))
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    short_label: Mapped[str | None] = mapped_column(String(255))
    shape: Mapped[str] = mapped_column(String(16))
    unit_of_measure: Mapped[str | None] = mapped_column(String(255))
    aggregation: Mapped[str] = mapped_column(String(32))
    optional: Mapped[bool] = mapped_column(default=False)
    providers: Mapped[list] = mapped_column(JSON)

    form: Mapped[Form] = relationship(back_populates="questions")


class Target(Base):
    """A yearly target of one indicator, national (scope NULL) or for one collecting unit."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("form_id", "question_key", "year", "scope_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(Text)


class Period(Base):
    """A collection round of a form series (e.g. CL 2026-Q4), generated from the form's calendar."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("form_code", "code"), Index(None, "form_code", "due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    form_code: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16))
    year: Mapped[int]
    slot: Mapped[str] = mapped_column(String(8))
    opens_on: Mapped[date]
    due_on: Mapped[date]
    lock_on: Mapped[date]
    covers: Mapped[list] = mapped_column(JSON)
    deadlines: Mapped[dict] = mapped_column(JSON, default=dict)
    sections: Mapped[list] = mapped_column(JSON, default=list)
    forward_deadlines: Mapped[dict | None] = mapped_column(JSON, default=dict)  # collecting level → roll-up due
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def due_for(self, collector_kind: str | None) -> date:
        """The due date for a unit whose collecting parent is of `collector_kind`."""
        raw = self.deadlines.get(collector_kind or "") if self.deadlines else None
        return date.fromisoformat(raw) if raw else self.due_on

    def forward_due(self, collector_kind: str) -> date | None:
        """When a collecting unit of `collector_kind` must forward its roll-up (None: no such deadline)."""
        known = self.forward_deadlines or {}
        raw = known.get(collector_kind) or known.get("*")
        return date.fromisoformat(raw) if raw else None
