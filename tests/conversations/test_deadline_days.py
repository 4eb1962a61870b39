"""Deadlines as the law reads them (issue 11 §3): a due date on a day off moves to the next working day.

Form 1's Q4 is due "trước ngày 05/12" and 05/12/2026 is a Saturday. By Bộ luật Dân sự 2015, Điều 148 khoản 5
the limit ends at the end of the next working day, Monday 07/12: a Monday submission is on time, and every
date the bot shows keeps the document's 05/12 next to the day that counts.
"""

from __future__ import annotations

from datetime import date

from bot.app import App
from conversations.catalog.calendar import due_date
from conversations.catalog.loader import SHIPPED, load_catalog
from conversations.catalog.schema import CalendarDef, PeriodSlot
from conversations.catalog.workdays import last_day
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reminders.world import fill

MOVED = "05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ"


def send_q4(app: App, chat: Chat) -> str:
    """Every answer stored, then «Gửi» pressed in the chat; the receipt's text."""
    fill(app, "QUANGTRI", "2026-Q4")
    chat.send("/nop")
    chat.press("2026-Q4")
    assert "Tóm tắt" in chat.title, chat.text
    chat.press("Gửi")
    assert chat.title == "Đã nhận số liệu", chat.text
    return chat.text


def on_time(app: App) -> bool:
    with app.uow() as uow:
        unit, period = uow.units.by_code("QUANGTRI"), uow.periods.by_code("CL", "2026-Q4")
        return uow.submissions.get(unit.id, period.id).on_time


def test_a_monday_submission_for_a_saturday_due_date_is_on_time(app: App, province: Chat) -> None:
    app.clock.set(vn(2026, 12, 7, 16, 30))
    receipt = send_q4(app, province)
    assert f"Đúng hạn (hạn nộp {MOVED})." in receipt
    assert on_time(app) is True


def test_the_day_after_the_moved_date_is_late(app: App, province: Chat) -> None:
    app.clock.set(vn(2026, 12, 8, 8, 0))
    receipt = send_q4(app, province)
    assert f"Nộp muộn (hạn nộp {MOVED})." in receipt
    assert on_time(app) is False


def test_han_shows_the_documents_date_and_the_day_it_moved_to(app: App, province: Chat) -> None:
    app.clock.set(vn(2026, 12, 5, 10, 0))  # the Saturday itself: still two days, not "due today"
    province.send("/han")
    assert f"Chỉ tiêu Chiến lược báo chí Quý IV/2026 — Quảng Trị: hạn {MOVED} (còn 2 ngày), chưa bắt đầu" in province.text
    # a due date on a working day is shown as the document writes it, nothing added
    assert "Chuyển đổi số báo chí Năm 2026 — Quảng Trị: hạn 30/12/2026 (còn 25 ngày)" in province.text
    province.send("/nop")
    assert "2. CL 2026-Q4 · hạn 05/12, chuyển sang 07/12 · chưa bắt đầu" in province.labels
    province.press("2026-Q4")
    assert f"Hạn nộp: {MOVED}." in province.text


def test_an_analyst_sees_the_roll_up_date_moved_too(app: App, registered) -> None:  # noqa: ANN001
    analyst = registered("CBC", role="analyst", name="Trần Thị Tổng Hợp")
    app.clock.set(vn(2026, 10, 1, 9, 0))  # Q3's roll-up is due "trước ngày 10/10": Saturday 10/10/2026
    analyst.send("/han")
    assert "10/10/2026, chuyển sang thứ Hai 12/10/2026 vì trùng ngày nghỉ" in analyst.text, analyst.text


def test_the_catalog_states_its_reading_and_the_rule_is_data() -> None:
    _, forms = load_catalog(SHIPPED)
    for f in forms:
        assert f.definition.calendar.inclusive is True and f.definition.calendar.roll_to_working_day is True
    cl = next(f.definition for f in forms if f.definition.code == "CL")
    q4 = due_date(cl, 2026, "Q4", None)
    assert (q4.named, q4.last, q4.moved) == (date(2026, 12, 5), date(2026, 12, 7), True)
    q3 = due_date(cl, 2026, "Q3", None)  # 05/10/2026 is a Monday
    assert (q3.named, q3.last, q3.moved) == (date(2026, 10, 5), date(2026, 10, 5), False)
    cal = CalendarDef(frequency="yearly", periods=[PeriodSlot(slot="Y", covers=[1], due="12-05")])
    assert last_day(date(2026, 12, 5), cal.model_copy(update={"roll_to_working_day": False})) == date(2026, 12, 5)
    # "trước ngày 05/12" read strictly: the 4th is the last day (a Friday, so nothing moves)
    assert last_day(date(2026, 12, 5), cal.model_copy(update={"inclusive": False})) == date(2026, 12, 4)
    # … and a strict reading of "trước ngày 07/12" lands on Sunday 06/12, which moves to Monday 07/12
    assert last_day(date(2026, 12, 7), cal.model_copy(update={"inclusive": False})) == date(2026, 12, 7)
    assert last_day(date(2027, 2, 8), cal) == date(2027, 2, 11)  # Tết Đinh Mùi


def test_periods_store_the_day_that_counts(app: App) -> None:
    with app.uow() as uow:
        q4 = uow.periods.by_code("CL", "2026-Q4")
        q1 = uow.periods.by_code("CL", "2026-Q1")
    assert q4.due_on == date(2026, 12, 7) and q4.forward_due("central") == date(2026, 12, 10)
    assert q1.due_on == date(2026, 4, 6)  # Sunday 05/4/2026
