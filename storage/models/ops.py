"""Running the bot: dialogue state, processed updates, the reminder log and the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class DialogueState(Base):
    """Where one identity is in its dialogue; written in the same transaction as every answer."""

    __tablename__ = "dialogue_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), unique=True)
    state: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboxEvent(Base):
    """An inbound update, stored before the channel is told it arrived; applied once, replayed after a crash.

    `processed_at` is set in the same transaction as the update's effects, so a redelivered or replayed
    update is recognised and ignored.
    """

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("channel", "update_key"), Index(None, "channel", "processed_at", "chat_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_key: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]


class ReminderLog(Base):
    """A nudge decided for (period, unit, person, rule); the unique key makes it happen once."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("period_id", "unit_id", "person_id", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    rule: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    planned_for: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxStatus:
    """Delivery states of an outbound message."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"


class OutboxMessage(Base):
    """A message to deliver, written with the change that caused it, sent and retried afterwards."""

    __tablename__ = "outbox"
    __table_args__ = (Index(None, "status", "next_attempt_at"), Index(None, "channel", "chat_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("identities.id"))
    kind: Mapped[str] = mapped_column(String(16), default="reply")
    payload: Mapped[dict] = mapped_column(JSON)
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder_log.id"))
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))


class ChannelToken(Base):
    """A channel's current OAuth pair (Zalo): replaced atomically, because refresh tokens are single-use."""

    __tablename__ = "channel_tokens"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Download(Base):
    """A file offered by link where a channel cannot carry it (Excel over Zalo); expires."""

    __tablename__ = "downloads"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
