"""Run the real Telegram channel (PTB, polling) against the fake Bot API, and chat with it as a user."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from bot.app import App
from bot.delivery import Delivery
from bot.jobs import Jobs, JobSpec
from bot.server import start_telegram, stop_telegram
from bot.telegram import TelegramChannel
from tests.fakes import FakeBotApi, SentMessage
from tests.helpers.app import make_app


def telegram_app(db_url: str, fake: FakeBotApi, **kw: object) -> App:
    """An App whose Telegram settings point at the fake server."""
    return make_app(db_url, load=False, telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url,
                    telegram_file_base_url=fake.base_file_url, **kw)


@contextlib.asynccontextmanager
async def running_bot(app: App) -> AsyncIterator[TelegramChannel]:
    """The bot as `chitieu run` starts it (polling, delivery loop), stopped cleanly on exit."""
    channels: dict = {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    channel = TelegramChannel(app, app.dialogue_service(), delivery)
    channels["telegram"] = channel
    async with channel.application:
        tasks = await start_telegram(app, channel)
        tasks.append(sweeping(app, channel))  # as `chitieu run` (no reminder pass: tests run those)
        loop = asyncio.create_task(delivery.run(0.2))
        try:
            yield channel
        finally:
            loop.cancel()
            await stop_telegram(channel, tasks)


def sweeping(app: App, channel: TelegramChannel) -> asyncio.Task[None]:
    """The inbox sweep job of `chitieu run` (bot.jobs) for this channel, on its own scheduler."""
    jobs = Jobs(app.settings)
    jobs.add(JobSpec("telegram-sweep", app.settings.inbox_sweep_seconds, at_start=False), channel.intake.sweep)
    return jobs.start()


class TelegramUser:
    """A person chatting with the bot through the fake server."""

    def __init__(self, fake: FakeBotApi, user_id: int, first_name: str = "Lan") -> None:
        self.fake, self.user_id = fake, user_id
        fake.add_user(user_id, first_name)

    @property
    def count(self) -> int:
        """Messages the bot has sent to this user so far."""
        return len(self.fake.sent_to(self.user_id))

    async def say(self, text: str, expect: int = 1) -> SentMessage:
        """Type text (commands get their entity) and wait for `expect` new messages; returns the last."""
        before = self.count
        self.fake.user_sends_text(self.user_id, text)
        return await self._replies(before, expect)

    async def press(self, label: str, expect: int = 1) -> SentMessage:
        """Press the button whose label contains `label` on the latest message that has buttons."""
        message = next(m for m in reversed(self.fake.sent_to(self.user_id)) if m.button_texts)
        full = next((t for t in message.button_texts if label.lower() in t.lower()), None)
        if full is None:
            raise AssertionError(f"no button {label!r} among {message.button_texts}")
        before = self.count
        self.fake.user_presses_button(self.user_id, message, text=full)
        return await self._replies(before, expect)

    async def _replies(self, before: int, expect: int) -> SentMessage:
        messages = await self.fake.wait_for_messages_async(self.user_id, before + expect, timeout=10)
        return messages[-1]
