"""The collecting level's own round: forwarding its roll-up upward, and asking a unit back for a correction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class CollectorRound(Base):
    """A collecting unit's task in one period: review, add its own part, forward the roll-up by its due date.

    `forwarded_at`/`on_time` keep the first forwarding (like a submission's first sending); `changed_at`
    is set when a unit of the roll-up sends a change after the latest forwarding, cleared by the next one.
    """

    __tablename__ = "collector_rounds"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"), Index(None, "period_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    due_on: Mapped[date | None]
    forwarded_at: Mapped[datetime | None]
    forwarded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    on_time: Mapped[bool | None]
    reference: Mapped[str | None] = mapped_column(String(40))
    forward_count: Mapped[int] = mapped_column(default=0)
    last_forwarded_at: Mapped[datetime | None]
    changed_at: Mapped[datetime | None]
    changed_units: Mapped[str | None] = mapped_column(Text)  # names of units that changed since, "; "-separated
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Forwarding(Base):
    """One forwarding of a roll-up, kept forever: which submissions (and versions) it carried."""

    __tablename__ = "forwardings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("collector_rounds.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    forwarded_at: Mapped[datetime]
    forwarded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    on_time: Mapped[bool | None]
    included: Mapped[list] = mapped_column(JSON, default=list)  # [{unit, submission, version, reference}]


class CorrectionStatus:
    """Where a request for correction stands."""

    OPEN = "open"
    ANSWERED = "answered"


class CorrectionRequest(Base):
    """A collecting unit asks one of its units to correct what it sent; answered by the unit's next sending."""

    __tablename__ = "correction_requests"
    __table_args__ = (Index(None, "period_id", "unit_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    collector_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    question_key: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=CorrectionStatus.OPEN)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    answer_reference: Mapped[str | None] = mapped_column(String(40))
    answer_version: Mapped[int | None]  # the submission's version when it was sent again
