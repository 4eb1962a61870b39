"""Reminders on Zalo: an OA message inside the reply window; outside it ZNS, or undeliverable and shown."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from conversations.reminders.passes import run_pass
from storage.models import ReminderLog
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.helpers.zalo import OA_SECRET, ZaloUser, running_zalo_bot, zalo_app

USER = "84911110000"


async def reminder_pass(app, at) -> None:  # noqa: ANN001
    app.clock.set(at)
    service = app.dialogue_service()
    await asyncio.to_thread(run_pass, app.uow, service.forms, app.clock.tz, app.clock.now(), False,
                            read_uow=app.read_uow)


async def submit_info(fake: FakeZaloApi, url: str, phone: str) -> None:
    event = {"app_id": fake.app_id, "event_name": "user_submit_info", "sender": {"id": USER},
             "recipient": {"id": fake.oa_id}, "info": {"name": "Lan", "phone": phone},
             "timestamp": str(int(time.time() * 1000))}
    assert (await asyncio.to_thread(fake.post_event, url, event, OA_SECRET, fake.app_id)).status_code == 200


async def test_inside_the_window_an_oa_message_outside_it_zns(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake, zalo_zns_template_id="tpl-nhac-han")
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, USER)
            await user.say(invite(app, "QT-BAO"))
            await submit_info(fake, url, "84912345678")
            before = user.count
            await reminder_pass(app, vn(2026, 11, 25, 9, 0))  # 4 days after the person last wrote (24/11 is a holiday)
            nudge = (await fake.wait_for_messages_async(USER, before + 1, timeout=10))[before]
            assert "Bắt đầu nhập" in [title for title, _ in fake.buttons_of(nudge)]
            assert "25/11/2026" in nudge["text"]
            await reminder_pass(app, vn(2026, 11, 30, 9, 0))  # 9 days later: outside Zalo's 7-day window
            await asyncio.to_thread(lambda: _wait(lambda: fake.zns_sent))
            [zns] = fake.zns_sent
            assert zns["phone"] == "84912345678" and zns["template_id"] == "tpl-nhac-han"
            assert zns["template_data"] == {"ten": "Anh/Chị", "don_vi": "Báo Quảng Trị",
                                            "bieu_mau": "Chuyển đổi số báo chí", "ky": "2026", "han": "25/11/2026"}
            assert user.count == before + 1, "no OA message outside the window"
            # the ZNS reaches the fake before delivery records it as sent: wait for the record
            await asyncio.to_thread(lambda: _wait(lambda: _statuses(app)[-1] != "pending"))
    assert _statuses(app)[-1] == "sent"
    app.close()


def _statuses(app) -> list[str]:  # noqa: ANN001
    with app.uow() as uow:
        return [r.status for r in uow.session.scalars(select(ReminderLog).order_by(ReminderLog.id))]


async def test_outside_the_window_without_zns_it_is_recorded_and_shown_to_analysts(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, USER)
            await user.say(invite(app, "QT-BAO"))
            before = user.count
            await reminder_pass(app, vn(2026, 11, 30, 9, 0))
            await asyncio.to_thread(lambda: _wait(lambda: _statuses(app) and _statuses(app)[-1] == "undeliverable"))
            assert user.count == before and fake.zns_sent == []
    analyst = Chat(app.dialogue_service(), "analyst")
    analyst.send(f"/start {invite(app, 'QUANGTRI', 'analyst')}")
    analyst.send("/thieu 2026 CDS")
    assert "Báo Quảng Trị" in analyst.text
    assert "nhắc hạn gần nhất không gửi được: zalo: outside the 168 h window; no ZNS template configured" \
        in analyst.text
    app.close()


def _statuses(app) -> list[str]:  # noqa: ANN001
    with app.uow() as uow:
        return [r.status for r in uow.session.scalars(select(ReminderLog).order_by(ReminderLog.id))]


def _wait(predicate, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)
