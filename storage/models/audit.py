"""The audit log: what an operator changed about access (revoked roles, people, invites, keys), who and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class AuditEntry(Base):
    """One administrative action: `actor` (the operator's name), `action` (`role.revoke`, `person.revoke`,
    `invite.revoke`, `tokens.rotate_key`, …), what it was done to and a short human-readable detail."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
