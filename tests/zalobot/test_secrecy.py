"""The bot token is in every URL; it must reach neither the logs nor an exception message."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import pytest

from bot import logsafe
from bot.zalo_bot.client import ZaloBotClient, ZaloBotError
from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.zalobot.conftest import new_user

SECRET_PART = "FAKE-zalo-bot-token-for-tests"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every record at DEBUG, httpx included, through the filter the app installs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root, loggers = logging.getLogger(), [logging.getLogger(n) for n in ("httpx", "httpcore", "bot")]
    old = [root.level, *(lg.level for lg in loggers)]
    root.addHandler(handler)
    for lg in (root, *loggers):
        lg.setLevel(logging.DEBUG)
    logsafe.install([])  # the app installs it with the configured secrets; the client adds its token
    yield stream
    root.removeHandler(handler)
    for lg, level in zip((root, *loggers), old, strict=True):
        lg.setLevel(level)


async def test_the_token_never_reaches_the_logs(fake_zalo_bot: FakeZaloBotApi, captured: io.StringIO) -> None:
    assert SECRET_PART in fake_zalo_bot.token
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    fake_zalo_bot.fail_with(503, times=1, methods="sendMessage")
    async with ZaloBotClient(fake_zalo_bot.token, fake_zalo_bot.base_url) as client:
        await client.get_update(timeout=1)
        with pytest.raises(ZaloBotError) as failed:
            await client.send_message(user, "x")
        logging.getLogger("bot.test").error("failed: %s", failed.value)
    logged = captured.getvalue()
    assert "getUpdates" in logged, "httpx logged its request lines"
    assert SECRET_PART not in logged and fake_zalo_bot.token.split(":")[0] not in logged.replace("[redacted]", "")


async def test_an_echoed_url_is_cut_out_of_the_error() -> None:
    """A gateway may quote the request path in its error text; the token must not travel on from there."""
    token = "3222229135581534944:CTggeFHwGxfZaLeIBppjLsapWDhrNHaoSiLhhvfeuFm"

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"ok": False, "error_code": 400, "description": f"bad {request.url}"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(echo)) as http:
        client = ZaloBotClient(token, "https://bot-api.zaloplatforms.com", http=http)
        with pytest.raises(ZaloBotError) as failed:
            await client.get_me()
    assert token.split(":")[1] not in str(failed.value) and "[redacted]" in str(failed.value)
    assert token not in repr(client)


async def test_a_network_error_keeps_the_url_out(fake_zalo_bot: FakeZaloBotApi) -> None:
    async with ZaloBotClient(fake_zalo_bot.token, "http://127.0.0.1:9") as unreachable:
        with pytest.raises(ZaloBotError) as failed:
            await unreachable.get_me()
    assert failed.value.retryable and SECRET_PART not in str(failed.value)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__
