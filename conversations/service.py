"""Handling one inbound message end to end: one unit of work, replies queued in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from conversations.clock import Clock
from conversations.engine import Engine
from conversations.flows import typed
from conversations.forms import FormCache
from conversations.messages import ButtonIn, CommandIn, FileIn, Inbound, Reply, Sender, TextIn, TextOut
from conversations.outbox import to_payload
from conversations.state import State
from conversations.turn import Turn
from storage.models import OutboxMessage, OutboxStatus, utcnow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


def _storable(text: str) -> str:
    """Text without what no database column can hold: NUL (PostgreSQL) and lone surrogates (UTF-8)."""
    if text.isascii() and "\x00" not in text:
        return text
    return "".join(c for c in text if c != "\x00" and not "\ud800" <= c <= "\udfff")


def storable(inbound: Inbound) -> Inbound:
    """The event and sender with every typed string made storable (else the message could never apply)."""
    event = inbound.event
    if isinstance(event, TextIn):
        event = TextIn(_storable(event.text))
    elif isinstance(event, CommandIn):
        event = CommandIn(_storable(event.name), _storable(event.args))
    elif isinstance(event, ButtonIn):
        event = ButtonIn(_storable(event.data))
    elif isinstance(event, FileIn) and event.name:
        event = FileIn(event.kind, _storable(event.name))
    s = inbound.sender
    name = _storable(s.display_name) if s.display_name else s.display_name
    return replace(inbound, event=event, sender=replace(s, display_name=name))


@dataclass(frozen=True)
class Queued:
    """A reply committed to the outbox, ready for the channel to deliver now."""

    outbox_id: int
    channel: str
    chat_id: str
    reply: Reply
    # Whether an older message to the chat was still unsent when this one was queued (None: not checked).
    # Checked in the queuing transaction, it saves the channel a query and a transaction per reply.
    after_unsent: bool | None = None


class DialogueService:
    """Applies an inbound event exactly once: dedupe, state, answers and replies commit together."""

    def __init__(self, new_uow: Callable[[], UnitOfWork], clock: Clock, engine: Engine | None = None,
                 forms: FormCache | None = None, new_read_uow: Callable[[], UnitOfWork] | None = None) -> None:
        self.new_uow, self.clock = new_uow, clock
        self.new_read_uow = new_read_uow or new_uow
        self.engine = engine or Engine()
        self.forms = forms or FormCache()

    def handle(self, inbound: Inbound) -> list[Queued]:
        """Process one event; returns the replies to send (empty for a redelivered event)."""
        inbound = storable(inbound)
        s = inbound.sender
        with self.new_uow() as uow:
            if inbound.update_key and not uow.inbox.start_applying(s.channel, inbound.update_key):
                log.info("ignored redelivered %s update %s", s.channel, inbound.update_key)
                return []
            identity = uow.people.ensure_identity(s.channel, s.user_id, s.chat_id, s.display_name)
            identity = uow.people.lock_identity(identity.id)  # PostgreSQL: a second worker waits here
            if s.chat_type == "private" and identity.chat_id != s.chat_id:
                identity.chat_id = s.chat_id  # reminders go here; never to a group the person first wrote in
            now = inbound.at or self.clock.now()
            uow.people.mark_seen(identity, now)
            saved = uow.dialogues.load(identity.id)
            state = State.from_dict(saved)
            turn = Turn(uow, self.forms, self.clock, s, identity, state, now)
            self.engine.handle(turn, inbound.event)
            uow.dialogues.save(identity.id, state.to_dict(), exists=saved is not None)
            queued = [self._queue(uow, s.channel, s.chat_id, identity.id, r) for r in turn.replies]
            if queued:
                waiting = uow.outbox.has_unsent_before(s.channel, s.chat_id, queued[0].outbox_id)
                queued[0] = replace(queued[0], after_unsent=waiting)
            uow.commit()
        for work in turn.later:
            queued += self._after_commit(s, identity.id, now, work)
        return queued

    def _after_commit(self, s: Sender, identity_id: int, now: datetime, work: Callable[[Turn], None]) -> list[Queued]:
        """Read-only work (a report) on the read session, then its replies queued in a short transaction.

        If the process dies in between, the command was taken but not answered: the person asks again.
        """
        with self.new_read_uow() as ruow:
            identity = ruow.people.identity_by_id(identity_id)
            assert identity is not None
            turn = Turn(ruow, self.forms, self.clock, s, identity, State(), now)
            work(turn)
            replies = turn.replies
        with self.new_uow() as uow:
            if any(isinstance(r, TextOut) and r.buttons for r in replies):  # a report's choice buttons, so that
                uow.people.lock_identity(identity_id)  # typing a choice (`CL`) acts as its button
                saved = uow.dialogues.load(identity_id)
                state = State.from_dict(saved)
                typed.remember(state, replies, typed.place(state))
                uow.dialogues.save(identity_id, state.to_dict(), exists=saved is not None)
            queued = [self._queue(uow, s.channel, s.chat_id, identity_id, r) for r in replies]
            uow.commit()
        return queued

    @staticmethod
    def _queue(uow: UnitOfWork, channel: str, chat_id: str, identity_id: int, reply: Reply) -> Queued:
        payload, attachment = to_payload(reply)
        # Claimed by this process from the start: the channel sends it right after commit; if the
        # process dies first, the claim goes stale and the delivery loop retakes it.
        now = utcnow()
        row = uow.outbox.add(OutboxMessage(channel=channel, chat_id=chat_id, identity_id=identity_id,
                                           payload=payload, attachment=attachment, kind="reply",
                                           status=OutboxStatus.SENDING, claimed_at=now, attempts=1,
                                           next_attempt_at=now))
        return Queued(row.id, channel, chat_id, reply)
