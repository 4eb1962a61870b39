"""Collecting-level deadlines are reminded like the others: to the collecting unit's analysts, until forwarded."""

from __future__ import annotations

import pytest

from bot.app import App
from storage.models import CollectorRound, ReminderLog
from tests.helpers.clock import vn
from tests.reminders.world import Bot, add_person, fill


@pytest.fixture
def bot(app: App) -> Bot:
    return Bot(app)


def forward_texts(bot: Bot, chat: str) -> list:
    return [r for r in bot.channel.texts(chat) if (r.title or "").startswith("Báo cáo tổng hợp")]


def test_province_analysts_are_nudged_to_forward_by_30_12_and_not_after_forwarding(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", "analyst", name="Hồ Văn Tỉnh", user_id=8)
    add_person(app, "CBC", "analyst", name="Trần Thị Tổng Hợp", user_id=9)
    fill(app, "QT-BAO", "2026", "CDS", submit=True)
    app.clock.set(vn(2026, 12, 23, 9, 0))  # fwd-7 of 30/12 (Wednesday)
    bot.tick()
    [nudge] = forward_texts(bot, "8")
    assert nudge.title == "Báo cáo tổng hợp: Chuyển đổi số báo chí Năm 2026"
    assert nudge.text == ("Báo cáo tổng hợp Chuyển đổi số báo chí Năm 2026 của Quảng Trị gửi Cục Báo chí: "
                          "hạn 30/12/2026 (còn 7 ngày). Đã nhận 1/3 đơn vị.")
    assert [b.data for b in nudge.buttons[0]] == ["cmd:guilen CDS 2026 QUANGTRI", "cmd:duyet CDS 2026 QUANGTRI"]
    # Cục Báo chí's own Form 2 roll-up (to the Prime Minister) has no due date in the documents
    assert [r for r in forward_texts(bot, "9") if "Chuyển đổi số" in (r.title or "")] == []
    with app.uow() as uow:
        period = uow.periods.by_code("CDS", "2026")
        unit = uow.units.by_code("QUANGTRI")
        uow.session.add(CollectorRound(unit_id=unit.id, period_id=period.id, forward_count=1,
                                       forwarded_at=app.clock.now(), last_forwarded_at=app.clock.now()))
        uow.commit()
    app.clock.set(vn(2026, 12, 28, 9, 0))  # fwd-3 would be due
    bot.tick()
    assert len(forward_texts(bot, "8")) == 1, "no nudge once forwarded"


def test_form1_forward_by_reaches_the_press_departments_analysts(app: App, bot: Bot) -> None:
    add_person(app, "CBC", "analyst", name="Trần Thị Tổng Hợp", user_id=9)
    app.clock.set(vn(2026, 12, 9, 9, 0))  # fwd-1 of 10/12 (Phụ lục I, II.2.b: 10/12 for Q4)
    bot.tick()
    [nudge] = [r for r in forward_texts(bot, "9") if "Quý IV/2026" in (r.title or "")]
    assert nudge.text == "Báo cáo tổng hợp Chỉ tiêu Chiến lược báo chí Quý IV/2026 của Cục Báo chí gửi Viện Chiến lược Thông tin " \
           "và Truyền thông: hạn 10/12/2026 (còn 1 ngày). Đã nhận 0/34 đơn vị."
    with app.uow() as uow:
        q4 = uow.periods.by_code("CL", "2026-Q4")
        rules = {r.rule for r in uow.session.query(ReminderLog).filter(ReminderLog.kind == "forward",
                                                                       ReminderLog.period_id == q4.id)}
    assert rules == {"fwd-3", "fwd-1"}  # the earlier one of the same morning is logged as superseded
