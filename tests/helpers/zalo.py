"""Run the bot's web server with the Zalo channel against the fake Zalo API, and chat as a Zalo user."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

from bot.app import App
from bot.delivery import Delivery
from bot.httpguard import server_config
from bot.server import ZALO_PATH, web_app
from bot.zalo.channel import ZaloChannel
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import make_app

OA_SECRET = "oa-secret-key-for-tests"
TOKEN_KEY = "dP_X2TF0IeWLf0AzqfzNn9rRKbDGQ2BHJ1M9pBdhv1g="  # a Fernet key for the tokens kept in the database


def zalo_app(db_url: str, fake: FakeZaloApi, **kw: object) -> App:
    """An App whose Zalo settings point at the fake (seeded with a refresh token the fake issued)."""
    settings: dict[str, object] = {
        "zalo_app_id": fake.app_id, "zalo_app_secret": fake.app_secret, "zalo_oa_secret_key": OA_SECRET,
        "zalo_refresh_token": fake.issue_tokens().refresh_token, "zalo_api_base_url": fake.base_url,
        "zalo_oauth_base_url": fake.base_url, "zalo_zns_base_url": fake.base_url, "token_key": TOKEN_KEY}
    return make_app(db_url, load=False, **{**settings, **kw})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def running_zalo_bot(app: App, port: int | None = None) -> AsyncIterator[tuple[ZaloChannel, str]]:
    """The web server with the Zalo webhook and the delivery loop; yields (channel, webhook URL)."""
    channels: dict = {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    channel = ZaloChannel(app, app.dialogue_service(), delivery)
    channels["zalo"] = channel
    port = port or free_port()
    config = server_config(web_app(app, None, channel), app.settings)  # as `chitieu run` configures it
    config.host, config.port = "127.0.0.1", port
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    loop = asyncio.create_task(delivery.run(0.2))
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield channel, f"http://127.0.0.1:{port}{ZALO_PATH}"
    finally:
        loop.cancel()
        server.should_exit = True
        await serving
        await channel.close()


class ZaloUser:
    """A follower of the OA writing to the bot through the fake (events signed as Zalo signs them)."""

    def __init__(self, fake: FakeZaloApi, url: str, user_id: str) -> None:
        self.fake, self.url, self.user_id = fake, url, user_id

    @property
    def count(self) -> int:
        return len(self.fake.sent_to(self.user_id))

    async def say(self, text: str, expect: int = 1) -> dict[str, Any]:
        """Type text; wait for `expect` new messages and for the bot to go quiet; return the first new one.

        One reply can be several Zalo messages (long text, more than five buttons); the first carries the text.
        """
        before = self.count
        response = await asyncio.to_thread(self.fake.user_sends_text, self.url, self.user_id, text, OA_SECRET)
        assert response.status_code == 200, response.text
        await self.fake.wait_for_messages_async(self.user_id, before + expect, timeout=10)
        while True:
            seen = self.count
            await asyncio.sleep(0.15)
            if self.count == seen:
                return self.fake.sent_to(self.user_id)[before]

    async def press(self, title: str, expect: int = 1) -> dict[str, Any]:
        """Tap the button whose title contains `title` (its hidden payload comes back as text)."""
        for message in reversed(self.fake.sent_to(self.user_id)):
            for label, payload in self.fake.buttons_of(message):
                if title.lower() in label.lower():
                    return await self.say(payload, expect)
        raise AssertionError(f"no button {title!r}")

    def text_of(self, message: dict[str, Any]) -> str:
        return str(message.get("text", ""))
