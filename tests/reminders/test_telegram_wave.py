"""A reminder wave through the real stack: TelegramChannel (PTB, AIORateLimiter) + Delivery + fake Bot API."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from bot.app import App
from bot.delivery import Delivery
from bot.settings import Settings
from bot.telegram import TelegramChannel
from conversations.forms import FormCache
from conversations.reminders import run_pass
from storage.db import Database
from tests.fakes import FakeBotApi, fake_telegram  # noqa: F401  (fixture)
from tests.helpers.clock import FixedClock, vn
from tests.reminders.world import add_person, log, outbox

AT = vn(2026, 12, 4, 8, 30)  # d-3 of CL 2026-Q4 (CL 2026-Q3's nudges are two months old: never sent)
PROVINCES = ["HANOI", "HUE", "QUANGTRI", "DANANG", "HCM", "CANTHO", "SONLA", "NGHEAN"]
BLOCKED = 2_000_099


@pytest.fixture
def app(catalog_sqlite_url: str, fake_telegram: FakeBotApi) -> Iterator[App]:  # noqa: F811
    settings = Settings(database_url=catalog_sqlite_url, telegram_bot_token=fake_telegram.token,  # type: ignore[call-arg]
                        telegram_api_base_url=fake_telegram.base_url, _env_file=None)
    application = App(settings=settings, db=Database.connect(catalog_sqlite_url), clock=FixedClock(AT))
    yield application
    application.close()


def people(app: App, fake: FakeBotApi) -> dict[int, str]:
    """A focal person on Telegram per province, and one more who has blocked the bot."""
    users = {}
    for i, code in enumerate(PROVINCES):
        uid = 2_000_001 + i
        fake.add_user(uid, f"Đầu mối {code}")
        add_person(app, code, name=f"Đầu mối {code}", channel="telegram", user_id=uid)
        users[uid] = code
    fake.block_user(BLOCKED, notify=False)  # the bot learns it only from the 403
    add_person(app, "LAICHAU", name="Hoàng Văn E", channel="telegram", user_id=BLOCKED)
    return users


async def send_all(app: App, timeout: float = 25.0) -> None:
    """Run Delivery as `chitieu run` does (real time for retries) until no reminder is waiting."""
    channels: dict = {}
    delivery = Delivery(app.uow, channels)
    channels["telegram"] = TelegramChannel(app, app.dialogue_service(), delivery)
    async with channels["telegram"].application:
        loop = asyncio.create_task(delivery.run(poll_seconds=0.2))
        try:
            async with asyncio.timeout(timeout):
                while await asyncio.to_thread(_waiting, app):
                    await asyncio.sleep(0.1)
        finally:
            loop.cancel()


def _waiting(app: App) -> int:
    return sum(1 for m in outbox(app) if m.status in ("pending", "sending"))


async def test_wave_with_flood_limits_and_a_blocked_person(app: App, fake_telegram: FakeBotApi) -> None:  # noqa: F811
    users = people(app, fake_telegram)
    fake_telegram.rate_limit(per_second=5, per_chat_per_second=1)
    report = await asyncio.to_thread(run_pass, app.uow, FormCache(), app.clock.tz, AT)
    assert report.queued == len(users) + 1
    await send_all(app)

    assert fake_telegram.stats.rate_limited > 0  # the limits were really hit …
    assert fake_telegram.duplicates() == 0  # … and nothing went out twice
    for uid in users:
        titles = sorted(m.text.splitlines()[0] for m in fake_telegram.sent_to(uid))
        assert titles == ["Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026"], uid
        assert fake_telegram.sent_to(uid)[-1].button_texts in (["Bắt đầu nhập"],)
    assert fake_telegram.delivered(BLOCKED) == 0
    with app.uow() as uow:
        blocked = uow.people.identity("telegram", str(BLOCKED))
    assert not blocked.reachable and "blocked" in blocked.unreachable_reason
    statuses = Counter(e.status for e in log(app) if e.status not in ("skipped", "expired"))
    assert statuses == {"sent": len(users), "undeliverable": 1}
    forbidden = [c for c in fake_telegram.calls("sendMessage") if c.chat_id == BLOCKED]
    assert all(c.status == 403 for c in forbidden) and len(forbidden) == 1  # never retried


IN_FLIGHT = 0.05  # seconds: a request already on the wire when a flood wait begins


async def test_a_flood_wait_that_outlasts_ptbs_retries_pauses_delivery(
        app: App, fake_telegram: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Telegram asks for 0.3 s but keeps refusing for a second: PTB gives up, Delivery waits, then goes on."""
    for i, code in enumerate(PROVINCES[:3]):
        fake_telegram.add_user(2_000_101 + i)
        add_person(app, code, channel="telegram", user_id=2_000_101 + i)
    fake_telegram.rate_limit(per_second=1, per_chat_per_second=None, retry_after=0.3)
    surfaced: list[tuple[float, float]] = []
    real_retry = Delivery._retry

    def spy(self: Delivery, row_id: int, after: float, error: str) -> None:
        if error == "telegram rate limit":
            surfaced.append((time.time(), after))
        real_retry(self, row_id, after, error)

    monkeypatch.setattr(Delivery, "_retry", spy)
    await asyncio.to_thread(run_pass, app.uow, FormCache(), app.clock.tz, AT)
    await send_all(app)
    assert surfaced, "PTB absorbed every 429: the test did not reach Delivery"
    calls = [c.at for c in fake_telegram.calls("sendMessage")]
    # Delivery sends to several chats at once: a request that had already left when the 429 came back may
    # land a moment after it (IN_FLIGHT); no request may *start* during the flood wait.
    for at, after in surfaced:
        later = [c for c in calls if c > at + IN_FLIGHT]
        assert not later or later[0] - at >= after - 0.05, (at, calls)  # nothing started during the flood wait
    for i in range(3):
        assert len(fake_telegram.sent_to(2_000_101 + i)) == 1
    assert fake_telegram.duplicates() == 0
