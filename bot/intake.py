"""Receiving updates durably: stored before the channel is told they arrived, applied in order per chat.

Telegram confirms an update when the bot asks for the next offset; Zalo stops retrying once the
webhook answers 200. Either can happen before the update's effects are committed, so a crash there
would lose what the person typed. Each update is therefore written to the `inbox` table first (one
short transaction), acknowledged, then applied; whatever a crash or a database hiccup left unapplied
is applied on restart and by a periodic sweep. Applying is idempotent (see `InboxRepository`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot import metrics
from bot.app import App
from bot.delivery import Delivery
from conversations.messages import Inbound
from conversations.service import DialogueService
from storage.models import utcnow

log = logging.getLogger(__name__)

Translate = Callable[[dict[str, Any], str], Inbound | None]
Item = tuple[str, str, dict[str, Any]]  # (update key, chat id or "" when there is none, payload)
BUSY_NOTICE_EVERY = 60.0


class Intake:
    """One channel's inbox: receive, process per chat in order, replay, sweep."""

    def __init__(self, app: App, service: DialogueService, delivery: Delivery, channel: str, translate: Translate,
                 on_unanswered: Callable[[dict[str, Any]], None] | None = None,
                 notify_busy: Callable[[str], Awaitable[None]] | None = None,
                 after_chat: Callable[[str], Awaitable[None]] | None = None) -> None:
        self.app, self.service, self.delivery, self.channel = app, service, delivery, channel
        self.translate, self.on_unanswered, self.notify_busy = translate, on_unanswered, notify_busy
        self.after_chat = after_chat  # run once a chat's pending updates are applied (Telegram: its menu)
        self.locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.tasks: set[asyncio.Task[None]] = set()
        self.busy_told: dict[str, float] = {}
        self.stopping = False  # a clean stop: the update being applied finishes, the rest waits for the restart

    async def receive(self, items: list[Item]) -> None:
        """Store updates durably (raises if the database refuses: then do not acknowledge them)."""
        await asyncio.to_thread(self._store, items)
        metrics.UPDATES_RECEIVED.labels(self.channel).inc(len(items))

    def _store(self, items: list[Item]) -> None:
        with self.app.uow() as uow:
            for key, chat_id, payload in items:
                uow.inbox.receive(self.channel, key, chat_id, payload)
            uow.commit()

    def schedule(self, chat_id: str) -> None:
        """Apply the chat's pending updates in the background."""
        task = asyncio.create_task(self.process_chat(chat_id))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def process_chat(self, chat_id: str) -> None:
        """Apply every pending update of a chat, oldest first, one chat at a time."""
        async with self.locks[chat_id]:
            try:
                rows = await asyncio.to_thread(self._pending, chat_id, None)
            except Exception:  # noqa: BLE001 - the database is unavailable: the sweep will come back
                log.warning("could not read the %s inbox; the sweep will retry", self.channel)
                await self._tell_busy(chat_id)
                return
            for event_id, key, payload in rows:
                if self.stopping:
                    return  # stays in the inbox: applied after the restart
                if not await self._apply(event_id, key, payload, chat_id):
                    return  # the database is unavailable: leave the rest for the sweep, keep the order
            if rows and chat_id and self.after_chat is not None and not self.stopping:
                try:
                    await self.after_chat(chat_id)
                except Exception:  # noqa: BLE001 - best effort, never in the way of the chat's next update
                    log.exception("after applying a %s chat's updates", self.channel)

    async def _apply(self, event_id: int, key: str, payload: dict[str, Any], chat_id: str) -> bool:
        inbound = self.translate(payload, key) if payload is not None else None
        try:
            if inbound is None:
                await asyncio.to_thread(self._close, event_id, payload)
                return True
            started = time.perf_counter()
            queued = await asyncio.to_thread(self.service.handle, inbound)
            metrics.TURN_SECONDS.labels(self.channel).observe(time.perf_counter() - started)
            metrics.TURNS_APPLIED.labels(self.channel).inc()
        except Exception:  # noqa: BLE001 - a database outage must not lose the update: it stays pending
            log.exception("could not apply a %s update; it stays in the inbox", self.channel)
            await self._tell_busy(chat_id)
            return False
        await self.delivery.deliver(queued)
        return True

    def _close(self, event_id: int, payload: dict[str, Any] | None) -> None:
        if self.on_unanswered is not None and payload is not None:
            self.on_unanswered(payload)
        with self.app.uow() as uow:
            uow.inbox.mark_applied(event_id)
            uow.commit()

    def _pending(self, chat_id: str, received_before: Any) -> list[tuple[int, str, dict[str, Any]]]:
        with self.app.uow() as uow:
            rows = uow.inbox.pending(self.channel, chat_id, received_before)
            return [(r.id, r.update_key, r.payload) for r in rows]

    async def _tell_busy(self, chat_id: str) -> None:
        """Tell the person once a minute at most that their message will be handled shortly."""
        if not chat_id or self.notify_busy is None:
            return
        now = time.monotonic()
        if now - self.busy_told.get(chat_id, -BUSY_NOTICE_EVERY) < BUSY_NOTICE_EVERY:
            return
        self.busy_told[chat_id] = now
        try:
            await self.notify_busy(chat_id)
        except Exception:  # noqa: BLE001 - best effort
            log.warning("could not send the busy notice on %s", self.channel)

    async def replay(self, min_age: float = 0.0) -> int:
        """Apply whatever was received but not applied (after a restart; periodically by the sweep)."""
        before = utcnow() - timedelta(seconds=min_age) if min_age else None
        rows = await asyncio.to_thread(self._pending_chats, before)
        for chat_id in rows:
            if self.stopping:
                break
            await self.process_chat(chat_id)
        return len(rows)

    def _pending_chats(self, received_before: Any) -> list[str]:
        with self.app.uow() as uow:
            rows = uow.inbox.pending(self.channel, None, received_before)
            return list(dict.fromkeys(r.chat_id or "" for r in rows))

    async def sweep(self, min_age: float = 10.0) -> int:
        """Apply updates that have waited longer than `min_age` (a hiccup or a crash); the periodic job
        `<channel>-sweep` (bot.jobs) runs it. Returns how many chats had some."""
        if self.stopping:
            return 0
        # tracked with the chats' tasks, so a clean stop waits for the turn a sweep is applying
        work = asyncio.create_task(self.replay(min_age))
        self.tasks.add(work)
        work.add_done_callback(self.tasks.discard)
        try:
            return await work
        except Exception:  # noqa: BLE001 - the database may still be down; try again next time
            log.warning("inbox sweep on %s failed; retrying", self.channel)
            return 0

    async def close(self, timeout: float | None = None) -> None:
        """Let updates being applied finish (each chat's current one: `stopping` holds back the rest);
        after `timeout` seconds what is still running is cancelled (its update stays in the inbox)."""
        self.stopping = True
        if not self.tasks:
            return
        tasks = set(self.tasks)
        _, late = await asyncio.wait(tasks, timeout=timeout)
        if late:
            log.warning("%d %s turn(s) still running at shutdown are cancelled; applied after the restart",
                        len(late), self.channel)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
