"""Issue 19: a correctly signed Zalo event is accepted only when dated within ZALO_EVENT_MAX_AGE_SECONDS of now
(not older, not ahead), and its dedupe key outlives that window; older inbox rows are pruned."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.housekeeping import housekeeping
from storage.models import InboxEvent, utcnow
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite
from tests.helpers.zalo import OA_SECRET, ZaloUser, free_port, running_zalo_bot, zalo_app

BIN = Path(sys.executable).parent / "chitieu"
USER = "84900001919"


def event(fake: FakeZaloApi, text: str, msg_id: str, seconds_ago: float) -> dict:
    return {"app_id": fake.app_id, "event_name": "user_send_text", "sender": {"id": USER},
            "recipient": {"id": fake.oa_id}, "message": {"text": text, "msg_id": msg_id},
            "timestamp": str(int((time.time() - seconds_ago) * 1000))}


def inbox_rows(app, key: str | None = None) -> int:  # noqa: ANN001
    with app.uow() as uow:
        stmt = select(func.count()).select_from(InboxEvent).where(InboxEvent.channel == "zalo")
        if key:
            stmt = stmt.where(InboxEvent.update_key == key)
        return uow.session.scalar(stmt) or 0


async def test_signed_events_outside_the_window_are_refused(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, USER)
            await user.say(invite(app, "QT-BAO"))
            before, rows = user.count, inbox_rows(app)
            for text, msg_id, ago in (("/han", "from-1970", time.time() - 1), ("/han", "eleven-min", 660),
                                      ("/han", "ahead", -300), ("/han", "a-day", 86400)):
                response = await asyncio.to_thread(fake.post_event, url, event(fake, text, msg_id, ago), OA_SECRET,
                                                   fake.app_id)
                assert response.status_code == 400, (msg_id, response.status_code)
            await asyncio.sleep(0.5)
            assert user.count == before and inbox_rows(app) == rows, "nothing refused was stored or answered"
            fresh = event(fake, "/han", "nine-min", 540)
            assert (await asyncio.to_thread(fake.post_event, url, fresh, OA_SECRET, fake.app_id)).status_code == 200
            await fake.wait_for_messages_async(USER, before + 1)
    app.close()


async def test_dedupe_keys_outlive_the_window_and_older_rows_are_pruned(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, USER)
            await user.say(invite(app, "QT-BAO"))
            first = event(fake, "/han", "replayed-1", 5)
            assert (await asyncio.to_thread(fake.post_event, url, first, OA_SECRET, fake.app_id)).status_code == 200
            await fake.wait_for_messages_async(USER, 2)
            await asyncio.sleep(0.3)
            count = user.count
            with app.uow() as uow:  # an old, applied row from two days ago
                uow.session.add(InboxEvent(channel="zalo", update_key="old-one", chat_id=USER,
                                           received_at=utcnow() - timedelta(days=2),
                                           processed_at=utcnow() - timedelta(days=2)))
                uow.commit()
            downloads, pruned = await asyncio.to_thread(housekeeping, app)
            assert pruned == 1 and inbox_rows(app, "old-one") == 0
            assert inbox_rows(app, "user_send_text:replayed-1") == 1, "a key inside the window is kept"
            # the same signed event replayed within the window: stored key, no second answer
            assert (await asyncio.to_thread(fake.post_event, url, first, OA_SECRET, fake.app_id)).status_code == 200
            await asyncio.sleep(0.5)
            assert user.count == count
    assert app.settings.inbox_keep_hours * 3600 >= 2 * app.settings.zalo_event_max_age_seconds
    app.close()


def test_a_keep_time_shorter_than_the_window_refuses_to_start(catalog_sqlite_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": catalog_sqlite_url, "TELEGRAM_BOT_TOKEN": "123456:" + "A" * 30,
           "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot", "INBOX_KEEP_HOURS": "0.1",
           "ZALO_EVENT_MAX_AGE_SECONDS": "600", "LISTEN_PORT": str(free_port())}
    done = subprocess.run([str(BIN), "run"], env=env, capture_output=True, text=True, timeout=20, cwd=tmp_path)
    assert done.returncode == 2 and "INBOX_KEEP_HOURS" in done.stderr, done.stderr
