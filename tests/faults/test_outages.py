"""Redelivery storms, a Bot API outage and a database outage: nothing lost, nothing applied twice."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from storage.models import AnswerRevision, OutboxMessage
from tests.fakes import FakeBotApi
from tests.fakes.zalo_api import FakeZaloApi
from tests.faults.proxy import CuttableProxy
from tests.helpers.app import invite
from tests.helpers.figures import figure
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app
from tests.helpers.zalo import OA_SECRET, ZaloUser, running_zalo_bot, zalo_app

pytestmark = pytest.mark.faults


def outbox_dump(app, new: list[str]) -> str:  # noqa: ANN001
    """What was delivered and what the outbox recorded, for a failure message."""
    with app.uow() as uow:
        rows = [(r.id, r.status, r.attempts, r.error, r.sent_at) for r in
                uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    return "\n".join([*new, *map(str, rows)])


def revisions(app) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(AnswerRevision)) or 0


async def test_telegram_update_redelivered_1000_times_applies_once(fake_telegram: FakeBotApi,
                                                                   catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    user = TelegramUser(fake_telegram, 8101)
    async with running_bot(app):
        await user.say(f"/start {invite(app, 'QUANGTRI')}")
        await user.say("/nop 2026-Q4")
        before = user.count
        update_id = fake_telegram.user_sends_text(8101, "62/38")
        await fake_telegram.wait_for_messages_async(8101, before + 1)
        for _ in range(1000):
            fake_telegram.redeliver(update_id)
        await fake_telegram.wait_for_async(lambda: not fake_telegram._state._redeliveries, timeout=30)
        last = await user.say("/han")
        assert "Quý IV/2026" in last.text
        assert user.count == before + 2
    assert revisions(app) == 1
    figure("[redelivery telegram] deliveries=1001 applied=1")
    app.close()


async def test_zalo_event_retried_1000_times_applies_once(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, "84900000001")
            await user.say(invite(app, "QT-BAO"))
            await user.say("/nop")
            before = user.count
            event = {"app_id": fake.app_id, "event_name": "user_send_text", "sender": {"id": "84900000001"},
                     "recipient": {"id": fake.oa_id}, "message": {"text": "có", "msg_id": "retried-1"},
                     "timestamp": str(int(time.time() * 1000))}
            fake.user_wrote("84900000001")

            def storm() -> set[int]:
                return {fake.post_event(url, event, OA_SECRET, fake.app_id).status_code for _ in range(1000)}

            assert await asyncio.to_thread(storm) == {200}
            await asyncio.sleep(1.0)
            assert user.count - before in (1, 2), "one reply (Zalo may split it in two messages)"
            texts = [m.get("text", "") for m in fake.sent_to("84900000001")[before:]]
            assert sum("Đã lưu: Có" in t for t in texts) == 1
    assert revisions(app) == 1
    figure("[redelivery zalo] deliveries=1000 applied=1")
    app.close()


async def test_bot_api_outage_then_everything_delivered_once_in_order(fake_telegram: FakeBotApi,
                                                                       catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    user = TelegramUser(fake_telegram, 8201)
    async with running_bot(app):
        await user.say(f"/start {invite(app, 'QUANGTRI')}")
        await user.say("/nop 2026-Q4")
        before = user.count
        outage = 60.0
        fake_telegram.fail_with(502, methods=["sendMessage", "editMessageReplyMarkup"], for_seconds=outage / 2)
        fake_telegram.fail_with(429, methods=["sendMessage"], for_seconds=outage)
        started = time.monotonic()
        for text in ("62/38", "so sánh 1", "120.500/150.000"):
            fake_telegram.user_sends_text(8201, text)
            await asyncio.sleep(1.0)
        assert user.count == before, "nothing can be sent during the outage"
        messages = await fake_telegram.wait_for_messages_async(8201, before + 3, timeout=outage + 60)
        waited = time.monotonic() - started
        new = [m.text for m in messages[before:]]
        assert "Đã lưu: 62%/38%" in new[0] and "Đã lưu so sánh quốc tế" in new[1] and "120.500/150.000" in new[2], \
            outbox_dump(app, new)
        await asyncio.sleep(3)
        assert user.count == before + 3, "no reply sent twice"
    assert revisions(app) == 3
    with app.uow() as uow:
        statuses = {r.status for r in uow.session.scalars(select(OutboxMessage))}
    assert statuses == {"sent"}
    figure(f"[bot api outage] outage={outage:.0f}s replies=3 delivered_after={waited:.0f}s duplicates=0")
    app.close()


@pytest.fixture
def pg_through_proxy(pg_url: str):  # noqa: ANN201
    """The PostgreSQL test schema reached through a proxy the test can cut."""
    url = make_url(pg_url)
    with CuttableProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy, url.set(port=proxy.port).render_as_string(hide_password=False)


async def test_database_unavailable_the_person_is_told_and_nothing_is_lost(fake_telegram: FakeBotApi, pg_url: str,
                                                                           pg_through_proxy) -> None:  # noqa: ANN001
    from tests.helpers.app import make_app

    make_app(pg_url).close()  # load the catalog directly
    proxy, url = pg_through_proxy
    app = telegram_app(url, fake_telegram)
    user = TelegramUser(fake_telegram, 8301)
    async with running_bot(app):
        await user.say(f"/start {invite(app, 'QUANGTRI')}")
        await user.say("/nop 2026-Q4")
        before = user.count
        proxy.cut()
        fake_telegram.user_sends_text(8301, "62/38")
        busy = (await fake_telegram.wait_for_messages_async(8301, before + 1, timeout=30))[-1]
        assert "Hệ thống đang bận" in busy.text and "không cần gửi lại" in busy.text
        await asyncio.sleep(3)
        proxy.restore()
        reply = (await fake_telegram.wait_for_messages_async(8301, before + 2, timeout=60))[-1]
        assert "Đã lưu: 62%/38%" in reply.text
    assert revisions(app) == 1
    figure("[database outage] busy_notice=1 answers_lost=0 applied=1")
    app.close()
