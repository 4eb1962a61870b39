"""Delivering the outbox: send right after commit, retry with backoff, never drop, never reorder a chat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot import metrics
from conversations.messages import Reply
from conversations.outbox import from_payload
from conversations.service import Queued
from storage.models import OutboxMessage, utcnow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0  # after an outage, waiting messages go out within half a minute
MAX_INLINE_PAUSE = 30.0  # a longer flood wait puts messages back in the outbox instead of holding claims
# While a channel's send runs for an outbox row: the monotonic time by which its request must be on the
# wire. Past it the claim may be taken over (claim timeout), so a channel must not start the request
# then: it raises RetryLater instead, and the outbox sends the message later, once. Channels also use
# it to tell outbox sends (never wait inline for a flood wait) from their other calls.
SEND_DEADLINE: ContextVar[float | None] = ContextVar("send_deadline", default=None)


class RetryLater(Exception):
    """The channel cannot send now (rate limit, outage); try again after `after` seconds."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Undeliverable(Exception):
    """The message can never be delivered: to this person at all (blocked the bot), or just this one."""

    def __init__(self, reason: str, person_unreachable: bool = True) -> None:
        super().__init__(reason)
        self.person_unreachable = person_unreachable


class Channel(Protocol):
    """What delivery needs from a channel adapter."""

    name: str

    async def send(self, chat_id: str, reply: Reply, meta: Mapping[str, Any] | None = None) -> None:
        """Send one reply, raising RetryLater or Undeliverable when it cannot (`meta`: e.g. ZNS data)."""


def backoff(attempts: int) -> float:
    """Seconds to wait before the next attempt: 2, 4, 8, 16, then every 30 s."""
    return min(2.0 ** max(attempts, 1), MAX_BACKOFF)


class Delivery:
    """Sends queued replies through their channels and records the outcome in the outbox.

    Timing here is wall-clock time (`utcnow`), not the business clock: retries and claims must keep
    moving even when a training session freezes "today" with CLOCK_NOW. A claim older than
    `claim_timeout` belongs to a process that died mid-send and is taken over.
    """

    def __init__(self, new_uow: Callable[[], UnitOfWork], channels: dict[str, Channel],
                 claim_timeout: float = 120.0, wall: Callable[[], datetime] = utcnow, concurrency: int = 16,
                 own_channels_only: bool = False) -> None:
        self.new_uow, self.channels, self.wall = new_uow, channels, wall
        self.own_channels_only = own_channels_only  # leave other channels' messages to the bot that runs them
        self.concurrency = concurrency
        self.claim_timeout = timedelta(seconds=claim_timeout)
        # a claim is safe for half its timeout; waits inline (flood waits) stay well inside that
        self.send_within = claim_timeout / 2
        self.max_inline_pause = min(MAX_INLINE_PAUSE, claim_timeout / 4)
        self.wake = asyncio.Event()
        self.paused_until: dict[str, float] = {}  # channel -> monotonic time its flood wait ends
        self.stopping = False  # a clean stop: nothing new is handed to a platform
        # rows this process holds in "sending" (monotonic time of the claim), outcome not yet recorded, and
        # of those the ones handed to the channel's send (maybe delivered); updated from worker threads too
        self._claimed: dict[int, float] = {}
        self._on_wire: set[int] = set()
        self._claims_lock = threading.Lock()

    async def deliver(self, queued: list[Queued]) -> None:
        """Send replies of one turn in order; after the first failure the rest wait for the loop."""
        claimed_at = time.monotonic()
        self._hold([q.outbox_id for q in queued], claimed_at)  # the turn's transaction claimed them
        if queued and (queued[0].after_unsent if queued[0].after_unsent is not None
                       else await asyncio.to_thread(self._older_unsent, queued[0])):
            await asyncio.to_thread(self._defer, [q.outbox_id for q in queued])
            self.wake.set()
            return
        for i, q in enumerate(queued):
            ok = await self._attempt(q.outbox_id, q.channel, q.chat_id, q.reply, attempts=1, claimed_at=claimed_at)
            if not ok:
                await asyncio.to_thread(self._defer, [x.outbox_id for x in queued[i + 1:]])
                self.wake.set()
                return

    async def drain(self, limit: int = 100) -> int:
        """Send every message that is due now, in order within each chat; returns how many were sent.

        Chats are served concurrently (at most `concurrency` at a time): sending one by one would cap a
        reminder wave at one message per round trip to the platform, far below Telegram's 30/s. The
        channel's own rate limiter (PTB's AIORateLimiter) keeps the overall pace.
        """
        if self.stopping:
            return 0
        rows = await asyncio.to_thread(self._claim, limit)
        claimed_at = time.monotonic()
        chats: dict[tuple[str, str], list[tuple[int, str, str, Reply, int, dict[str, Any]]]] = {}
        for row in rows:
            chats.setdefault((row[1], row[2]), []).append(row)
        gate = asyncio.Semaphore(self.concurrency)

        async def one_chat(chat: tuple[str, str], queue: list[tuple[int, str, str, Reply, int, dict[str, Any]]]) -> int:
            async with gate:
                sent, blocked = 0, False
                for row_id, channel, chat_id, reply, attempts, meta in queue:
                    # An older message of the chat may still be waiting: not due yet, so not claimed with
                    # this batch (even between two claimed ones), or held by another worker. Every row.
                    blocked = blocked or await asyncio.to_thread(self._older_unsent_id, chat, row_id)
                    if blocked:
                        await asyncio.to_thread(self._retry, row_id, 1.0, "waiting for an earlier message")
                    elif await self._attempt(row_id, channel, chat_id, reply, attempts, meta, claimed_at):
                        sent += 1
                    else:
                        blocked = True
                return sent

        return sum(await asyncio.gather(*(one_chat(chat, queue) for chat, queue in chats.items())))

    async def run(self, poll_seconds: float = 2.0) -> None:
        """Drain forever: on a timer, at once when a turn's sending failed, and straight on while a
        drain sends something (a reminder wave is many batches: no pause between them)."""
        while not self.stopping:
            sent = 0
            try:
                sent = await self.drain()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("outbox drain failed; retrying")
            if sent or self.stopping:
                continue
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), poll_seconds)

    async def stop(self, loop_task: asyncio.Task[None] | None, timeout: float) -> int:
        """A clean stop: hand nothing new to a platform, let sends under way finish (at most `timeout`
        seconds), then release the claims of messages never handed over (pending again: the next start
        sends them once). A send cut short after `timeout` keeps its claim: it may have been delivered.
        Returns how many claims were released."""
        self.stopping = True
        self.wake.set()
        if loop_task is not None:
            done, _ = await asyncio.wait({loop_task}, timeout=max(timeout, 0.0))
            if not done:
                loop_task.cancel()
                await asyncio.gather(loop_task, return_exceptions=True)
        return await asyncio.to_thread(self._release, self._releasable())

    def _hold(self, row_ids: list[int], claimed_at: float) -> None:
        with self._claims_lock:
            self._claimed.update(dict.fromkeys(row_ids, claimed_at))

    def _releasable(self) -> list[int]:
        """Claims to hand back: never handed to the channel, and still surely ours (younger than the claim
        timeout; an older one may have been taken over by another worker, and is left to expire)."""
        fresh_after = time.monotonic() - 0.9 * self.claim_timeout.total_seconds()  # margin: DB time came first
        with self._claims_lock:
            if self._on_wire:
                log.warning("%d send(s) still under way at shutdown keep their claim", len(self._on_wire))
            return sorted(i for i, at in self._claimed.items() if i not in self._on_wire and at > fresh_after)

    async def _attempt(self, row_id: int, channel: str, chat_id: str, reply: Reply, attempts: int,
                       meta: Mapping[str, Any] | None = None, claimed_at: float | None = None) -> bool:
        """One send; the outbox row records sent, retry or undeliverable. The send must start while the
        claim is safely ours (`SEND_DEADLINE`): a rate limit is waited out by the outbox, not inline."""
        adapter = self.channels.get(channel)
        if adapter is None:
            await asyncio.to_thread(self._retry, row_id, 60.0, f"channel {channel} not running")
            return False
        if not await self._wait_out_pause(row_id, channel):
            return False
        if self.stopping:  # never started: released at the end of the stop, sent after the restart
            return False
        with self._claims_lock:
            self._on_wire.add(row_id)
        token = SEND_DEADLINE.set((claimed_at if claimed_at is not None else time.monotonic()) + self.send_within)
        try:
            await adapter.send(chat_id, reply, meta)
        except RetryLater as exc:
            metrics.REPLIES_RETRIED.labels(channel).inc()
            if exc.after:  # flood control: the whole channel waits, not just this chat
                metrics.RATE_LIMITED.labels(channel).inc()
                self.paused_until[channel] = max(self.paused_until.get(channel, 0.0), time.monotonic() + exc.after)
                log.info("%s flood wait %.1f s: message %s goes out after it", channel, exc.after, row_id)
            await asyncio.to_thread(self._retry, row_id, exc.after or backoff(attempts), str(exc))
            return False
        except Undeliverable as exc:
            metrics.REPLIES_UNDELIVERABLE.labels(channel).inc()
            log.warning("message %s to %s undeliverable: %s", row_id, channel, exc)
            await asyncio.to_thread(self._give_up, row_id, str(exc), exc.person_unreachable)
            return True
        except Exception as exc:  # noqa: BLE001 - unknown failures are retried, never dropped
            metrics.REPLIES_RETRIED.labels(channel).inc()
            log.warning("send to %s:%s failed: %s", channel, chat_id, type(exc).__name__)
            await asyncio.to_thread(self._retry, row_id, backoff(attempts), type(exc).__name__)
            return False
        finally:
            SEND_DEADLINE.reset(token)
        metrics.REPLIES_SENT.labels(channel).inc()
        await self._record_sent(row_id)
        return True

    async def _record_sent(self, row_id: int, attempts: int = 8) -> None:
        """Mark a delivered message sent, riding out a short database outage (else it would go out twice)."""
        for attempt in range(attempts):
            try:
                await asyncio.to_thread(self._mark_sent, row_id)
                return
            except Exception:  # noqa: BLE001 - retried; after the last try the claim expires and it is resent
                log.warning("could not mark message %s sent (try %d)", row_id, attempt + 1)
                await asyncio.sleep(min(2.0 ** attempt, 15.0))

    async def _wait_out_pause(self, row_id: int, channel: str) -> bool:
        """Wait while the channel is under a flood wait; a long one puts the message back instead."""
        left = self.paused_until.get(channel, 0.0) - time.monotonic()
        if left > self.max_inline_pause:
            await asyncio.to_thread(self._retry, row_id, left, f"{channel} flood wait")
            return False
        if left > 0:
            await asyncio.sleep(left)
        return True

    def _claim(self, limit: int) -> list[tuple[int, str, str, Reply, int, dict[str, Any]]]:
        with self.new_uow() as uow:
            rows = uow.outbox.claim(self.wall(), limit, stale_after=self.claim_timeout,
                                    channels=list(self.channels) if self.own_channels_only else None)
            out = [(r.id, r.channel, r.chat_id, from_payload(r.payload, r.attachment), r.attempts,
                    dict(r.payload.get("meta") or {})) for r in rows]
            uow.commit()
        self._hold([r[0] for r in out], time.monotonic())
        return out

    def _settled(self, *row_ids: int) -> None:
        """The outcome of these rows is recorded: their claim is no longer this process's to release."""
        with self._claims_lock:
            for row_id in row_ids:
                self._claimed.pop(row_id, None)
                self._on_wire.discard(row_id)

    def _release(self, row_ids: list[int]) -> int:
        if not row_ids:
            return 0
        with self.new_uow() as uow:
            released = uow.outbox.release(row_ids)
            uow.commit()
        self._settled(*row_ids)
        if released:
            log.info("released %d claimed message(s) at shutdown; they go out after the restart", released)
        return released

    def _older_unsent(self, first: Queued) -> bool:
        with self.new_uow() as uow:
            return uow.outbox.has_unsent_before(first.channel, first.chat_id, first.outbox_id)

    def _older_unsent_id(self, chat: tuple[str, str], row_id: int) -> bool:
        with self.new_uow() as uow:
            return uow.outbox.has_unsent_before(chat[0], chat[1], row_id)

    def _mark_sent(self, row_id: int) -> None:
        with self.new_uow() as uow:
            uow.outbox.mark_sent(row_id, self.wall())
            uow.commit()
        self._settled(row_id)

    def _retry(self, row_id: int, after: float, error: str) -> None:
        with self.new_uow() as uow:
            uow.outbox.retry_later(row_id, self.wall() + timedelta(seconds=after), error)
            uow.commit()
        self._settled(row_id)

    def _defer(self, row_ids: list[int]) -> None:
        with self.new_uow() as uow:
            for row_id in row_ids:
                uow.outbox.retry_later(row_id, self.wall(), "after an earlier failure")
            uow.commit()
        self._settled(*row_ids)

    def _give_up(self, row_id: int, reason: str, person_unreachable: bool) -> None:
        """Undeliverable: record it, and mark the identity unreachable so analysts see it."""
        with self.new_uow() as uow:
            uow.outbox.give_up(row_id, reason)
            row = uow.session.get(OutboxMessage, row_id)
            if row is not None and row.identity_id and person_unreachable:
                identity = uow.people.identity_by_id(row.identity_id)
                if identity is not None:
                    uow.people.mark_unreachable(identity, reason)
            if row is not None and row.reminder_id:
                uow.reminders.set_status(row.reminder_id, "undeliverable", reason)
            uow.commit()
        self._settled(row_id)

