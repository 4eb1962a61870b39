"""Fixtures: the fake Zalo Bot Platform, clients pointed at it, and a local web server playing the bot's
side (a webhook endpoint that checks the secret and parses updates, and a host for photos)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.zalo_bot.client import ZaloBotClient
from bot.zalo_bot.updates import (
    SECRET_HEADER,
    ZaloBotUpdate,
    ZaloBotUpdateError,
    read_webhook_body,
    secret_matches,
)
from tests.fakes.telegram_server import ServerThread
from tests.fakes.zalo_bot_api import FakeZaloBotApi, fake_zalo_bot  # noqa: F401  (fixture)
from tests.fakes.zalo_bot_state import zalo_id

SECRET = "webhook-Secret_2026"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class BotSide:
    """What the bot's web server saw: updates it accepted, statuses it answered."""

    secret: str = SECRET
    answer: int = 200  # status for a correct delivery (set 500 to refuse them)
    updates: list[ZaloBotUpdate] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    photo_gets: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        """`POST /hook` as the channel's webhook route will work; `GET /chart.png` serves `PNG`."""
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"]),
                                 Route("/chart.png", self.photo, methods=["GET"])])

    async def hook(self, request: Request) -> Response:
        status = self._check(request.headers.get(SECRET_HEADER), await request.body())
        with self.lock:
            self.statuses.append(status)
        return Response(status_code=status)

    def _check(self, header: str | None, body: bytes) -> int:
        if not secret_matches(self.secret, header):
            return 401
        try:
            update = read_webhook_body(body)
        except ZaloBotUpdateError:
            return 400
        if self.answer == 200:
            with self.lock:
                self.updates.append(update)
        return self.answer

    async def photo(self, request: Request) -> Response:
        with self.lock:
            self.photo_gets += 1
        return Response(PNG, media_type="image/png")


@pytest.fixture
def bot_side() -> Iterator[tuple[BotSide, str]]:
    """The bot's web server on a free port, and its base URL."""
    side = BotSide()
    server = ServerThread(side.app())
    server.start()
    yield side, f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture
async def client(fake_zalo_bot: FakeZaloBotApi) -> AsyncIterator[ZaloBotClient]:  # noqa: F811
    """A client of the fake's default bot."""
    async with ZaloBotClient(fake_zalo_bot.token, fake_zalo_bot.base_url, timeout=5.0) as bot:
        yield bot


def new_user() -> str:
    """A fresh Zalo user id."""
    return zalo_id()
