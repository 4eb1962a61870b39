"""Delivery under flood control, with a scripted channel: a 429 pauses the whole channel, and a chat's
messages keep their order even when the first one must wait longer than the ones behind it."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from bot.app import App
from bot.delivery import Delivery, RetryLater
from conversations.messages import Reply, TextOut
from storage.models import OutboxMessage, utcnow


class FloodedOnce:
    """Answers the first send with a flood wait of `after` seconds (as Telegram's 429), then accepts."""

    name = "test"

    def __init__(self, after: float) -> None:
        self.after, self.calls = after, []

    async def send(self, chat_id: str, reply: Reply, meta: object = None) -> None:
        self.calls.append((time.monotonic(), chat_id, reply.text if isinstance(reply, TextOut) else ""))
        if len(self.calls) == 1:
            raise RetryLater("telegram rate limit", self.after)

    def accepted(self) -> list[tuple[float, str, str]]:
        return self.calls[1:]


def queue(app: App, *messages: tuple[str, str]) -> None:
    with app.uow() as uow:
        for chat_id, text in messages:
            uow.outbox.add(OutboxMessage(channel="test", chat_id=chat_id, kind="reminder",
                                         payload={"type": "text", "text": text}, next_attempt_at=utcnow()))
        uow.commit()


async def drain_until_done(delivery: Delivery, expected: int, channel: FloodedOnce, timeout: float = 10) -> None:
    async with asyncio.timeout(timeout):
        while len(channel.accepted()) < expected:
            await delivery.drain()
            await asyncio.sleep(0.1)


async def test_a_flood_wait_pauses_the_channel_then_sending_continues(app: App) -> None:
    queue(app, ("1", "A1"), ("2", "B1"), ("3", "C1"))
    channel = FloodedOnce(after=1.0)
    delivery = Delivery(app.uow, {"test": channel})
    await drain_until_done(delivery, 3, channel)
    flooded_at = channel.calls[0][0]
    assert all(at - flooded_at >= 1.0 for at, _, _ in channel.accepted())  # nobody was sent to meanwhile
    assert sorted(text for _, _, text in channel.accepted()) == ["A1", "B1", "C1"]


async def test_a_chat_keeps_its_order_when_its_first_message_waits_longest(app: App) -> None:
    queue(app, ("1", "Q3"), ("1", "Q4"), ("2", "other"))
    channel = FloodedOnce(after=1.6)  # longer than the 1 s a blocked chat's later message is put back by
    delivery = Delivery(app.uow, {"test": channel})
    await drain_until_done(delivery, 3, channel)
    assert [text for _, chat, text in channel.accepted() if chat == "1"] == ["Q3", "Q4"]


async def test_a_later_message_never_overtakes_one_that_is_not_due_yet(app: App) -> None:
    """Q1 and Q3 are due, Q2 (between them) waits for its retry: only Q1 may go now, Q3 after Q2."""
    queue(app, ("1", "Q1"), ("1", "Q2"), ("1", "Q3"))
    with app.uow() as uow:
        second = uow.session.query(OutboxMessage).filter_by(chat_id="1").order_by(OutboxMessage.id).all()[1]
        uow.outbox.retry_later(second.id, utcnow() + timedelta(seconds=0.8), "earlier failure")
        uow.commit()
    channel = Accepting()
    delivery = Delivery(app.uow, {"test": channel})
    await delivery.drain()
    assert channel.texts == ["Q1"]
    async with asyncio.timeout(10):
        while len(channel.texts) < 3:
            await asyncio.sleep(0.2)
            await delivery.drain()
    assert channel.texts == ["Q1", "Q2", "Q3"]


class Accepting:
    """Accepts every send, recording the texts in order."""

    name = "test"

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send(self, chat_id: str, reply: Reply, meta: object = None) -> None:
        self.texts.append(reply.text if isinstance(reply, TextOut) else "")
