"""Every remaining sentence a person can trigger: forged and stale buttons, targets, statuses."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from conversations.messages import ButtonIn
from tests.conversations.test_submission import fill_q4, open_q4
from tests.helpers.chat import Chat
from tests.helpers.clock import vn


def submission_id(app: App) -> int:
    with app.uow() as uow:
        unit, period = uow.units.by_code("QUANGTRI"), uow.periods.by_code("CL", "2026-Q4")
        return uow.submissions.get(unit.id, period.id).id


def test_cannot_send_while_required_answers_are_missing(app: App, province: Chat) -> None:
    open_q4(province)
    province.send("62/38")
    sid = submission_id(app)
    province.event(ButtonIn(f"edit:{sid}"))
    province.event(ButtonIn(f"review:{sid}"))
    assert "Còn thiếu: 2, III, V, VI, VII" in province.text
    province.press("Gửi")
    assert "Chưa gửi được vì còn thiếu: 2, III, V, VI, VII" in province.text


def test_a_required_question_cannot_be_skipped_even_with_a_forged_button(province: Chat) -> None:
    open_q4(province)
    province.event(ButtonIn("skip:ct1"))
    assert "Câu này bắt buộc, không bỏ qua được" in province.text


def test_keep_without_an_answer_and_provisional_switched_off(province: Chat) -> None:
    open_q4(province)
    province.event(ButtonIn("keep:ct1"))
    assert "chưa có câu trả lời để giữ nguyên" in province.text
    province.press("Tạm ước tính")
    province.press("Bỏ đánh dấu tạm ước tính")
    assert "Đã tắt đánh dấu tạm ước tính." in province.text and "Tạm ước tính" in province.labels


def test_a_question_button_after_leaving_says_the_place_is_lost(province: Chat) -> None:
    open_q4(province)
    province.send("/huy")
    province.event(ButtonIn("skip:ct1"))
    assert "Không tìm thấy phần đang làm dở" in province.text


def test_a_choice_button_for_a_closed_period(app: App, province: Chat) -> None:
    with app.uow() as uow:
        unit, period = uow.units.by_code("QUANGTRI"), uow.periods.by_code("CL", "2026-Q2")
        data = f"open:{unit.id}:{period.id}"
    province.event(ButtonIn(data))
    assert "Kỳ này không còn mở. Mời Anh/Chị chọn lại." in province.text and "kỳ nào" in province.text


def test_deadlines_show_a_sent_period(province: Chat) -> None:
    fill_q4(province)
    province.press("Gửi")
    province.send("/han")
    assert "Quý IV/2026 — Quảng Trị: hạn 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ (còn 16 ngày), đã gửi" in province.text


def test_this_years_target_is_shown_when_there_is_one(app: App, registered: Callable[..., Chat]) -> None:
    app.clock.set(vn(2025, 11, 21))  # type: ignore[attr-defined]
    chat = registered("HANOI")
    chat.send("/nop 2025-Q4")
    assert "Chỉ tiêu năm 2025: 60%/40%" in chat.text


def test_an_indicator_whose_targets_belong_to_another_scope(registered: Callable[..., Chat]) -> None:
    unit = registered("BTC-TCTC")  # question 5's only target is Quảng Trị's own
    unit.send("/nop")
    for answer in ("có", "có", "có", "có"):
        unit.send(answer)
    assert unit.title == "Câu 5/23" and "Năm 2026 chưa có chỉ tiêu\n" in unit.text + "\n"
