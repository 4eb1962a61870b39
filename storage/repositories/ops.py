"""Dialogue state, processed updates, reminder log and outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from storage.models import (
    Answer,
    DialogueState,
    InboxEvent,
    OutboxMessage,
    OutboxStatus,
    ReminderLog,
    utcnow,
)
from storage.repositories.base import Repository, insert_ignore


class DialogueRepository(Repository):
    """Per identity dialogue state, locked for the length of one message's unit of work."""

    def load(self, identity_id: int) -> dict[str, Any] | None:
        """The saved state, locking the row (PostgreSQL) so a second worker waits its turn."""
        row = self.session.scalar(
            select(DialogueState).where(DialogueState.identity_id == identity_id).with_for_update())
        return dict(row.state) if row else None

    def save(self, identity_id: int, state: dict[str, Any], exists: bool | None = None) -> None:
        """Write the state; created on first save (`exists`: what `load` found in this transaction,
        which saves trying an INSERT that would be ignored)."""
        new = False if exists else insert_ignore(self.session, DialogueState.__table__,
                            {"identity_id": identity_id, "state": state, "version": 1, "updated_at": utcnow()},
                            ["identity_id"])
        if not new:
            self.session.execute(
                update(DialogueState).where(DialogueState.identity_id == identity_id)
                .values(state=state, version=DialogueState.version + 1, updated_at=utcnow()))


class InboxRepository(Repository):
    """Inbound updates: stored on receipt, applied once, replayed when a crash cut processing short."""

    def receive(self, channel: str, key: str, chat_id: str | None, payload: dict[str, Any]) -> bool:
        """Store an update as received; False when it was already received (a redelivery)."""
        return insert_ignore(self.session, InboxEvent.__table__,
                             {"channel": channel, "update_key": key, "chat_id": chat_id, "payload": payload,
                              "received_at": utcnow()}, ["channel", "update_key"])

    def start_applying(self, channel: str, key: str) -> bool:
        """Lock the update's row and mark it applied (in the caller's transaction); False if it already was."""
        row = self.session.scalar(select(InboxEvent).where(InboxEvent.channel == channel,
                                                           InboxEvent.update_key == key).with_for_update())
        if row is None:  # not received through the inbox (console, tests): record it now
            return insert_ignore(self.session, InboxEvent.__table__,
                                 {"channel": channel, "update_key": key, "received_at": utcnow(),
                                  "processed_at": utcnow()}, ["channel", "update_key"])
        if row.processed_at is not None:
            return False
        row.processed_at, row.payload = utcnow(), None  # the content now lives in answers and state
        return True

    def mark_applied(self, event_id: int) -> None:
        """Nothing to apply for this update (a membership change, an echo): close it."""
        self.session.execute(update(InboxEvent).where(InboxEvent.id == event_id, InboxEvent.processed_at.is_(None))
                             .values(processed_at=utcnow(), payload=None))

    def pending(self, channel: str, chat_id: str | None = None, received_before: datetime | None = None,
                limit: int = 500) -> Sequence[InboxEvent]:
        """Updates received but not applied, oldest first (optionally of one chat, or older than a time)."""
        stmt = select(InboxEvent).where(InboxEvent.channel == channel, InboxEvent.processed_at.is_(None))
        if chat_id is not None:
            stmt = stmt.where(InboxEvent.chat_id == chat_id)
        if received_before is not None:
            stmt = stmt.where(InboxEvent.received_at < received_before)
        return self.session.scalars(stmt.order_by(InboxEvent.id).limit(limit)).all()

    def oldest_unapplied_at(self) -> datetime | None:
        """When the oldest update still waiting to be applied was received (None: nothing waits)."""
        return self.session.scalar(select(func.min(InboxEvent.received_at)).where(InboxEvent.processed_at.is_(None)))

    def prune(self, older_than: datetime) -> int:
        """Forget applied updates older than `older_than` (channels stop redelivering long before)."""
        return self.session.execute(delete(InboxEvent).where(InboxEvent.processed_at < older_than)).rowcount


class ReminderRepository(Repository):
    """The reminder log: one row per (period, unit, person, rule), ever."""

    def record(self, entry: ReminderLog) -> ReminderLog | None:
        """Insert the entry; None when that nudge was already recorded (by this or another worker)."""
        values = {c.name: getattr(entry, c.name) for c in ReminderLog.__table__.columns if c.name != "id"}
        values["created_at"] = values["created_at"] or utcnow()
        if not insert_ignore(self.session, ReminderLog.__table__, values,
                             ["period_id", "unit_id", "person_id", "rule"]):
            return None
        return self.session.scalar(select(ReminderLog).where(
            ReminderLog.period_id == entry.period_id, ReminderLog.unit_id == entry.unit_id,
            ReminderLog.person_id == entry.person_id, ReminderLog.rule == entry.rule))

    def for_period(self, period_id: int) -> Sequence[ReminderLog]:
        """Every recorded nudge of a period."""
        return self.session.scalars(select(ReminderLog).where(ReminderLog.period_id == period_id)
                                    .order_by(ReminderLog.id)).all()

    def keys_for(self, period_ids: list[int]) -> set[tuple[int, int, int, str]]:
        """(period, unit, person, rule) of every nudge already recorded for these periods."""
        rows = self.session.execute(select(ReminderLog.period_id, ReminderLog.unit_id, ReminderLog.person_id,
                                           ReminderLog.rule).where(ReminderLog.period_id.in_(period_ids)))
        return {tuple(r) for r in rows}  # type: ignore[misc]

    def answer_marks(self, submission_ids: list[int]) -> dict[int, dict[str, tuple[bool, bool]]]:
        """Per submission, per question key: (answered or skipped, provisional) — what a nudge says is left."""
        marks: dict[int, dict[str, tuple[bool, bool]]] = {sid: {} for sid in submission_ids}
        if not submission_ids:
            return marks
        rows = self.session.execute(
            select(Answer.submission_id, Answer.question_key, Answer.value.is_not(None) | Answer.skipped,
                   Answer.provisional).where(Answer.submission_id.in_(submission_ids)))
        for sid, key, answered, provisional in rows:
            marks[sid][key] = (bool(answered), bool(provisional))
        return marks

    def set_status(self, reminder_id: int, status: str, detail: str | None = None) -> None:
        """Record what became of a nudge."""
        self.session.execute(update(ReminderLog).where(ReminderLog.id == reminder_id)
                             .values(status=status, detail=detail))


class OutboxRepository(Repository):
    """Messages waiting to be delivered, claimed by one sender at a time."""

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Queue a message (delivered after the unit of work commits)."""
        message.next_attempt_at = message.next_attempt_at or utcnow()
        self.session.add(message)
        self.session.flush()
        return message

    def claim(self, now: datetime, limit: int = 50, ids: list[int] | None = None,
              stale_after: timedelta = timedelta(minutes=2),
              channels: list[str] | None = None) -> Sequence[OutboxMessage]:
        """Take due messages for sending (skipping rows another worker holds); stale claims are retaken.

        `channels`: only messages of these channels (the console, beside a bot serving the others)."""
        due = or_(
            (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at < now - stale_after),
        )
        stmt = select(OutboxMessage).where(due)
        if ids is not None:
            stmt = stmt.where(OutboxMessage.id.in_(ids))
        if channels is not None:
            stmt = stmt.where(OutboxMessage.channel.in_(channels))
        rows = self.session.scalars(stmt.order_by(OutboxMessage.id).limit(limit)
                                    .with_for_update(skip_locked=True)).all()
        for row in rows:
            row.status, row.claimed_at, row.attempts = OutboxStatus.SENDING, now, row.attempts + 1
        return rows

    def mark_sent(self, message_id: int, at: datetime) -> None:
        """The channel accepted the message (a reminder it carried is then marked sent too)."""
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                             .values(status=OutboxStatus.SENT, sent_at=at, attachment=None, error=None))
        reminder_id = self.session.scalar(select(OutboxMessage.reminder_id).where(OutboxMessage.id == message_id))
        if reminder_id is not None:
            self.session.execute(update(ReminderLog).where(ReminderLog.id == reminder_id).values(status="sent"))

    def retry_later(self, message_id: int, at: datetime, error: str) -> None:
        """Sending failed for now; try again at `at`."""
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                             .values(status=OutboxStatus.PENDING, next_attempt_at=at, error=error[:500]))

    def release(self, message_ids: list[int]) -> int:
        """Hand back claims of messages never handed to the platform (a clean stop): pending again, due now,
        the claim's attempt not counted. Rows already sent or given up are left alone."""
        if not message_ids:
            return 0
        return self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, next_attempt_at=utcnow(), claimed_at=None,
                    attempts=OutboxMessage.attempts - 1,
                    error="released at shutdown")).rowcount

    def give_up(self, message_id: int, error: str) -> None:
        """The message can never be delivered (the person blocked the bot, …)."""
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                             .values(status=OutboxStatus.UNDELIVERABLE, error=error[:500]))

    def has_unsent_before(self, channel: str, chat_id: str, message_id: int) -> bool:
        """True when an older message to the same chat is still waiting (keeps a chat's order)."""
        return self.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id, OutboxMessage.id < message_id,
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])).limit(1)) is not None

    def cancel_unsent(self, identity_ids: list[int], reason: str, reminders_of: tuple[int, list[int]] | None = None,
                      keep: list[int] | None = None) -> int:
        """Give up messages to these identities waiting to be sent (their access was revoked); how many.

        One being sent at this moment (claimed) is left to finish.

        `reminders_of=(person_id, unit_ids)` limits this to those reminders (a single role taken back);
        their reminder log rows are closed too. `keep`: ids never cancelled (the notice of the change).
        """
        if not identity_ids:
            return 0
        stmt = update(OutboxMessage).where(
            OutboxMessage.identity_id.in_(identity_ids), OutboxMessage.status == OutboxStatus.PENDING)
        if keep:
            stmt = stmt.where(OutboxMessage.id.not_in(keep))
        if reminders_of is not None:
            person_id, unit_ids = reminders_of
            stmt = stmt.where(OutboxMessage.reminder_id.in_(select(ReminderLog.id).where(
                ReminderLog.person_id == person_id, ReminderLog.unit_id.in_(unit_ids))))
        ids = [row[0] for row in self.session.execute(
            stmt.values(status=OutboxStatus.UNDELIVERABLE, error=reason[:500]).returning(OutboxMessage.id))]
        if ids:
            self.session.execute(update(ReminderLog).where(ReminderLog.id.in_(
                select(OutboxMessage.reminder_id).where(OutboxMessage.id.in_(ids)))).values(
                status=OutboxStatus.UNDELIVERABLE, detail=reason[:500]))
        return len(ids)

    def count(self, status: str) -> int:
        """How many messages are in `status`."""
        return self.session.scalar(select(func.count()).select_from(OutboxMessage)
                                   .where(OutboxMessage.status == status)) or 0

    def unsent_among(self, message_ids: list[int]) -> int:
        """How many of these messages are still waiting to be sent (pending or being sent)."""
        if not message_ids:
            return 0
        return self.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))) or 0

    def oldest_unsent_at(self) -> datetime | None:
        """When the oldest message still waiting to be sent (pending or being sent) was queued."""
        return self.session.scalar(select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])))

    def next_due_at(self) -> datetime | None:
        """When the earliest pending message is due."""
        return self.session.scalar(select(func.min(OutboxMessage.next_attempt_at))
                                   .where(OutboxMessage.status == OutboxStatus.PENDING))
