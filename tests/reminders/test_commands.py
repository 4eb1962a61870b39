"""`/nhacnho` from the chat, and the scheduler loop inside `chitieu run`."""

from __future__ import annotations

import asyncio

from bot.app import App
from bot.scheduler import ReminderScheduler
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reminders.world import Bot, add_person, fill, log, outbox


def admin_chat(app: App) -> Chat:
    chat = Chat(app.dialogue_service(), "admin1")
    chat.send(f"/start {invite(app, 'CBC', 'admin')}")
    return chat


def test_admin_runs_a_pass_and_gets_a_one_line_count(app: App) -> None:
    add_person(app, "QUANGTRI")
    add_person(app, "HANOI", reachable=False)
    for code in ("QUANGTRI", "HANOI"):
        fill(app, code, "2026-Q3", submit=True)
    app.clock.set(vn(2026, 12, 7, 8, 45))
    chat = admin_chat(app)
    chat.send("/nhacnho")
    assert chat.text.strip() == ("Lượt nhắc lúc 08:45 07/12/2026: 1 tin nhắc đã xếp gửi, "
                                 "6 bỏ qua vì đã có nhắc mới hơn, 1 không liên lạc được.")
    assert [m.status for m in outbox(app)] == ["pending"]  # the delivery loop sends it
    chat.send("nhac nho")  # the command word without slash or diacritics
    assert chat.text.strip() == "Lượt nhắc lúc 08:45 07/12/2026: chưa có tin nhắc nào đến hạn."
    assert len(outbox(app)) == 1


def test_the_count_says_what_was_too_old_to_send(app: App) -> None:
    add_person(app, "QUANGTRI")  # Q3 (due 05/10) never sent: its last nudge, d+3 of 08/10, is two months old
    app.clock.set(vn(2026, 12, 7, 8, 45))
    chat = admin_chat(app)
    chat.send("/nhacnho")
    assert chat.text.strip() == ("Lượt nhắc lúc 08:45 07/12/2026: 1 tin nhắc đã xếp gửi, 8 bỏ qua vì đã có nhắc mới "
                                 "hơn, 0 không liên lạc được. 1 tin nhắc đã quá cũ (quá một ngày làm việc) nên "
                                 "không gửi.")


def test_only_admins_may_run_a_pass(app: App) -> None:
    focal = Chat(app.dialogue_service(), "focal1")
    focal.send(f"/start {invite(app, 'QUANGTRI')}")
    app.clock.set(vn(2026, 12, 7, 8, 45))
    focal.send("/nhacnho")
    assert focal.text.strip().startswith("Lệnh /nhacnho chỉ dành cho quản trị viên.")
    assert log(app) == []


def test_the_scheduler_runs_passes_and_wakes_delivery(app: App) -> None:
    add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 4, 8, 30))
    bot = Bot(app)

    async def scenario() -> None:
        scheduler = ReminderScheduler(app, bot.delivery, every=0.05)
        scheduler.start()
        await asyncio.wait_for(bot.delivery.wake.wait(), 5)  # the first pass queued something
        await asyncio.sleep(0.3)  # several more passes: nothing new
        await scheduler.stop()
        while await bot.delivery.drain():
            pass

    asyncio.run(scenario())
    assert len(bot.channel.texts("1", "2026-Q4")) == 1
    assert len(outbox(app)) == len({(e.period_id, e.rule) for e in log(app) if e.status == "sent"})
