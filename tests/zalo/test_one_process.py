"""Both channels in one `chitieu run` process: one web server, one engine, one person on both."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fakes import FakeBotApi
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite, make_app
from tests.helpers.zalo import OA_SECRET, TOKEN_KEY, free_port

BIN = Path(sys.executable).parent / "chitieu"


def test_telegram_and_zalo_run_together_and_share_one_person(fake_telegram: FakeBotApi, catalog_sqlite_url: str,
                                                              tmp_path: Path) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    code = invite(app, "QUANGTRI")
    port = free_port()
    with FakeZaloApi() as zalo:
        env = {**os.environ, "DATABASE_URL": catalog_sqlite_url, "CLOCK_NOW": "2026-11-21T09:00:00+07:00",
               "LISTEN_PORT": str(port), "LOG_LEVEL": "WARNING",
               "TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
               "ZALO_APP_ID": zalo.app_id, "ZALO_APP_SECRET": zalo.app_secret, "ZALO_OA_SECRET_KEY": OA_SECRET,
               "ZALO_REFRESH_TOKEN": zalo.issue_tokens().refresh_token, "ZALO_API_BASE_URL": zalo.base_url,
               "ZALO_OAUTH_BASE_URL": zalo.base_url, "TOKEN_KEY": TOKEN_KEY}
        log = (tmp_path / "bot.log").open("wb")
        proc = subprocess.Popen([str(BIN), "run"], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            health = _wait_health(port)
            assert health["ok"] is True and health["channels"] == ["telegram", "zalo"]
            assert {"telegram-poll", "delivery", "scheduler"} <= set(health["tasks"])
            assert {"zalo-sweep", "telegram-sweep", "reminders"} <= set(health["jobs"])
            fake_telegram.user_sends_command(5005, "start", code)
            fake_telegram.wait_for_messages(5005, 1, timeout=15)
            fake_telegram.user_sends_text(5005, "/lienket")
            link = fake_telegram.wait_for_messages(5005, 2, timeout=15)[-1].text
            link_code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", link).group(0)
            webhook = f"http://127.0.0.1:{port}/zalo/webhook"
            assert zalo.user_sends_text(webhook, "z-5005", link_code, OA_SECRET).status_code == 200
            assert "Đã liên kết" in zalo.wait_for_messages("z-5005", 1, timeout=15)[-1]["text"]
            told = fake_telegram.wait_for_messages(5005, 3, timeout=15)[-1].text
            assert "vừa được liên kết thêm kênh zalo" in told  # the existing account hears of the new one
            zalo.user_sends_text(webhook, "z-5005", "/nop 2026-Q4", OA_SECRET)
            zalo.wait_for_messages("z-5005", 2, timeout=15)
            zalo.user_sends_text(webhook, "z-5005", "62/38", OA_SECRET)
            assert "Đã lưu: 62%/38%" in zalo.wait_for_messages("z-5005", 3, timeout=15)[-1]["text"]
            fake_telegram.user_sends_text(5005, "/xem 2026-Q4")
            view = fake_telegram.wait_for_messages(5005, 4, timeout=15)[-1].text
            assert "62%/38%" in view
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert proc.returncode in (0, -15), (tmp_path / "bot.log").read_text()
    app.close()


def _wait_health(port: int, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json()
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError("the bot's web server did not come up")
