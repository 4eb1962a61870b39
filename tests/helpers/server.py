"""The bot's web server in this process, configured as `chitieu run` configures it (limits, guarded protocol).

`running_server` serves the routes of `bot.server.web_app`; `webhook_bot` adds the Telegram channel in
webhook mode against the fake Bot API (setWebhook with the secret, the delivery loop running).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import uvicorn

from bot.app import App
from bot.delivery import Delivery
from bot.httpguard import server_config
from bot.server import start_telegram, stop_telegram, web_app
from bot.telegram import TelegramChannel
from tests.fakes import FakeBotApi
from tests.helpers.app import make_app
from tests.helpers.telegram import sweeping
from tests.helpers.zalo import free_port

SECRET = "webhook-secret-for-tests-0123456789abcdef"


@contextlib.asynccontextmanager
async def running_server(app: App, telegram: TelegramChannel | None = None, zalo: Any = None,
                         port: int | None = None) -> AsyncIterator[str]:
    """Serve the bot's routes on 127.0.0.1; yields the base URL (`http://127.0.0.1:PORT`)."""
    config = server_config(web_app(app, telegram, zalo), app.settings)
    config.host, config.port = "127.0.0.1", port or free_port()
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await serving


def webhook_app(db_url: str, fake: FakeBotApi, port: int, **kw: object) -> App:
    """An App in Telegram webhook mode on `port`, against the fake Bot API."""
    settings: dict[str, object] = {"telegram_bot_token": fake.token, "telegram_api_base_url": fake.base_url,
                                   "telegram_file_base_url": fake.base_file_url,
                                   "webhook_url": f"http://127.0.0.1:{port}", "webhook_secret": SECRET}
    return make_app(db_url, load=False, **{**settings, **kw})


@contextlib.asynccontextmanager
async def webhook_bot(app: App) -> AsyncIterator[str]:
    """The Telegram channel in webhook mode, its web server and delivery loop; yields the webhook URL."""
    channels: dict = {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    channel = TelegramChannel(app, app.dialogue_service(), delivery)
    channels["telegram"] = channel
    port = int(str(app.settings.webhook_url).rsplit(":", 1)[1])
    async with channel.application:
        tasks = await start_telegram(app, channel)
        tasks.append(sweeping(app, channel))  # as `chitieu run` (no reminder pass: tests run those)
        loop = asyncio.create_task(delivery.run(0.2))
        try:
            async with running_server(app, telegram=channel, port=port) as base:
                yield base + "/telegram/webhook"
        finally:
            loop.cancel()
            await stop_telegram(channel, tasks)


def raw_request(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send bytes on a fresh connection; the server's whole answer (until it closes or `timeout`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_all(sock, timeout)


def read_all(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (or `timeout` passes)."""
    deadline = time.monotonic() + timeout
    out = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        out += chunk
    return out


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed this connection (EOF or reset), without waiting."""
    sock.setblocking(False)
    try:
        while sock.recv(65536):  # an answer (a 503) may come before the end
            pass
        return True
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True
    finally:
        sock.setblocking(True)


@contextlib.contextmanager
def sockets(port: int, n: int, first: bytes = b"") -> Iterator[list[socket.socket]]:
    """`n` open connections, each having sent `first` (nothing: idle; half a request: slow-loris)."""
    opened: list[socket.socket] = []
    try:
        for _ in range(n):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if first:
                sock.sendall(first)
            opened.append(sock)
        yield opened
    finally:
        for sock in opened:
            sock.close()
