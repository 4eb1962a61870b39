"""Issue 19, high: the Telegram webhook's door. An empty secret is no secret, `chitieu run` refuses webhook mode
without a real one, a non-ASCII header is a 403, and an update can never move a person's chat elsewhere."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.server import SECRET, webhook_app, webhook_bot
from tests.helpers.zalo import free_port

BIN = Path(sys.executable).parent / "chitieu"
ANALYST, ATTACKER = 7101, 7999


def forged(user_id: int, chat_id: int, text: str, update_id: int) -> dict:
    """A private-chat text update as the Bot API shapes it, `from` and `chat` chosen by the forger."""
    message = {"message_id": update_id, "date": int(time.time()), "text": text,
               "chat": {"id": chat_id, "type": "private", "first_name": "X"},
               "from": {"id": user_id, "is_bot": False, "first_name": "X"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


@pytest.mark.parametrize("secret", ["", "   ", "short-secret-of-24-chars", "x" * 31 + "!"])
def test_chitieu_run_refuses_webhook_mode_without_a_real_secret(fake_telegram: FakeBotApi, catalog_sqlite_url: str,
                                                                secret: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": catalog_sqlite_url, "TELEGRAM_BOT_TOKEN": fake_telegram.token,
           "TELEGRAM_API_BASE_URL": fake_telegram.base_url, "WEBHOOK_URL": "https://bot.example.org",
           "WEBHOOK_SECRET": secret, "LISTEN_PORT": str(free_port()), "LOG_LEVEL": "WARNING"}
    try:
        done = subprocess.run([str(BIN), "run"], env=env, capture_output=True, text=True, timeout=20, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("chitieu run started in webhook mode with a weak WEBHOOK_SECRET")
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: WEBHOOK_URL is set but WEBHOOK_SECRET is")
    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in line
    assert not fake_telegram.calls("setWebhook"), "nothing registered with Telegram"


async def test_an_empty_secret_is_missing_so_unauthenticated_updates_are_refused(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    """`WEBHOOK_SECRET=` used to make compare_digest("", "") true: a forged update was applied."""
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port, webhook_secret="")
    assert app.settings.webhook_secret is None
    fake_telegram.add_user(ANALYST)
    async with webhook_bot(app) as url, httpx.AsyncClient() as client:
        body = forged(ANALYST, ANALYST, "/start", 5001)
        assert (await client.post(url, json=body)).status_code == 403
        assert (await client.post(url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": ""})
                ).status_code == 403
    assert fake_telegram.sent_to(ANALYST) == []
    app.close()


async def test_the_secret_header_is_compared_as_bytes(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port)
    async with webhook_bot(app) as url:
        body = b'{"update_id": 1}'
        for header in ("bí-mật".encode(), "é".encode("latin-1"), SECRET[:-1].encode() + b"\xff", b"\x80" * 40):
            # httpx would refuse non-ASCII str headers: send the raw bytes as an attacker's client does
            async with httpx.AsyncClient() as client:
                response = await client.post(url, content=body,
                                             headers=[(b"X-Telegram-Bot-Api-Secret-Token", header)])
            assert response.status_code == 403, (header, response.status_code)
    app.close()


async def test_bad_json_on_the_webhook_is_a_400_not_a_500(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with webhook_bot(app) as url, httpx.AsyncClient() as client:
        for body in (b"[" * 50_000, b"{", b"\xff\xfe", b"[1, 2]", b'"text"', b'{"update_id": "x"}',
                     b'{"update_id": 3, "message": "not a message"}'):
            response = await client.post(url, content=body, headers=headers)
            assert response.status_code == 400, (body[:20], response.status_code, response.text)
        assert (await client.post(url, json=forged(ANALYST, ANALYST, "xin chào", 5002), headers=headers)
                ).status_code == 200, "a real update still goes through"
    app.close()


async def test_an_update_never_moves_a_persons_chat_to_another_chat(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Even with the secret (leaked, or a bug upstream): from.id = the analyst, chat.id = the forger's chat."""
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port)
    fake_telegram.add_user(ANALYST)
    fake_telegram.add_user(ATTACKER)
    code = invite(app, "CBC", "analyst")
    async with webhook_bot(app):
        update_id = fake_telegram.user_sends_command(ANALYST, "start", code)
        assert await fake_telegram.deliver_via_webhook_async(update_id) == 200
        await fake_telegram.wait_for_messages_async(ANALYST, 1)
        with caplog.at_level(logging.WARNING, logger="bot.telegram"):
            for n, text in enumerate(["/tonghop 2026-Q3 CL", "/start", "xin chào"]):
                assert await fake_telegram.deliver_via_webhook_async(forged(ANALYST, ATTACKER, text, 9000 + n)) == 200
            await _settle()
    assert fake_telegram.sent_to(ATTACKER) == [], "nothing was sent to the forger's chat"
    with app.uow() as uow:
        identity = uow.people.identity("telegram", str(ANALYST))
    assert identity.chat_id == str(ANALYST), "the analyst's chat did not move"
    assert sum("not its sender's" in r.getMessage() for r in caplog.records) == 3, "each refusal is logged"
    app.close()


async def _settle() -> None:
    import asyncio

    await asyncio.sleep(1.0)
