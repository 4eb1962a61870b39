"""Secrets never reach the logs, even at DEBUG with every library talking."""

from __future__ import annotations

import io
import logging

from bot import logsafe
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app


async def test_bot_token_is_not_logged_at_debug(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        logsafe.install([fake_telegram.token])
        app = telegram_app(catalog_sqlite_url, fake_telegram)
        user = TelegramUser(fake_telegram, 4242)
        async with running_bot(app):
            await user.say(f"/start {invite(app, 'QUANGTRI')}")
            await user.say("/nop")
        logging.getLogger("test").error("token in an error: %s", fake_telegram.token)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name in ("httpx", "httpcore", "telegram"):
            logging.getLogger(name).setLevel(logging.WARNING)
        app.close()
    logged = stream.getvalue()
    assert "getUpdates" in logged or "sendMessage" in logged, "DEBUG logging was on"
    secret_part = fake_telegram.token.split(":")[1]
    assert secret_part not in logged
    assert "token in an error: [redacted]" in logged


def test_anything_shaped_like_a_bot_token_is_redacted() -> None:
    flt = logsafe.SecretFilter(["zalo-oa-secret"])
    assert flt.redact("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe"
                      " key=zalo-oa-secret") == "POST https://api.telegram.org/bot[redacted]/getMe key=[redacted]"
