"""After sending: viewing, changing until the lock date, provisional → official, late receipts."""

from __future__ import annotations

import re

from bot.app import App
from tests.conversations.test_submission import fill_q4
from tests.helpers.chat import Chat
from tests.helpers.clock import vn


def test_view_shows_what_the_unit_sent(province: Chat) -> None:
    province.send("/xem")
    assert "Đơn vị chưa có số liệu kỳ nào" in province.text
    fill_q4(province)
    province.send("/xem")
    assert "Bản nháp, chưa gửi." in province.text
    province.send("/nop 2026-Q4")
    province.press("Gửi")
    province.send("xem 2026-Q4")
    assert "Đã gửi lúc 09:00 21/11/2026, mã biên nhận CL-2026Q4-QUANGTRI-01." in province.text
    assert "62%/38%" in province.text and "120.500/150.000 (80,3%)" in province.text
    province.send("/xem 2025-Q1")
    assert "Đơn vị chưa có số liệu Quý I/2025." in province.text


def test_a_focal_person_never_sees_another_units_values(app: App, province: Chat, registered) -> None:
    fill_q4(province)
    province.press("Gửi")
    other = registered("HANOI")
    other.send("/xem 2026-Q4")
    assert "62%/38%" not in other.text and "Đơn vị chưa có số liệu Quý IV/2026." in other.text


def test_change_after_sending_keeps_revisions_and_gives_a_new_receipt(app: App, province: Chat) -> None:
    fill_q4(province)
    province.press("Gửi")
    assert "Còn số liệu tạm ước tính" not in province.text
    province.send("/nop 2026-Q4")
    assert "Đã gửi lúc 09:00 21/11/2026" in province.text and "📤 Gửi lại" in province.labels
    province.press("Sửa một câu")
    province.send("1")  # the number typed instead of pressing the button
    assert province.title == "Chỉ tiêu 1 · câu 1/7"
    province.send("61/39 tạm")
    province.press("Bỏ qua")
    province.press("Gửi lại")
    assert "CL-2026Q4-QUANGTRI-02" in province.text and "Chỉ tiêu 1 vẫn là số liệu tạm ước tính" in province.text
    # the official figure arrives: replace the provisional one
    province.send("/nop 2026-Q4")
    province.press("Sửa một câu")
    province.press("1. Mất cân đối")
    assert "Đã nhập: 61%/39% (tạm ước tính)" in province.text
    province.send("61,5/38,5")
    province.press("Bỏ qua")
    province.press("Gửi lại")
    assert "CL-2026Q4-QUANGTRI-03" in province.text and "tạm ước tính" not in province.text
    with app.uow() as uow:
        actions = [r.action for r in uow.submissions.revisions(1, "ct1")]
        assert actions == ["answer", "answer", "official"]
        sub = uow.submissions.by_id(1)
        assert sub.submitted_at == vn(2026, 11, 21) and sub.on_time  # first sending stays the reference time


def test_late_submission_receipt_says_late(province: Chat) -> None:
    province.send("/nop 2026-Q3")
    for answer in ("62/38", None, "120.500/150.000", None, "xu hướng", None, "không có", "đề xuất"):
        province.press("Bỏ qua") if answer is None else province.send(answer)
    province.press("Gửi")
    assert "Nộp muộn (hạn nộp 05/10/2026)." in province.text


def test_locked_period_refuses_changes(app: App, province: Chat) -> None:
    province.send("/nop 2026-Q3")
    province.send("62/38")
    app.clock.set(vn(2027, 1, 4))  # type: ignore[attr-defined]
    province.press("Bỏ qua")
    assert "Số liệu Quý III/2026 đã khóa sổ" in province.text
    province.send("/nop 2026-Q3")
    assert "Không có kỳ 2026-Q3 đang mở" in province.text
    province.send("/xem 2026-Q3")
    assert "62%/38%" in province.text


def test_draft_button_keeps_the_draft(province: Chat) -> None:
    fill_q4(province)
    province.press("Lưu nháp")
    assert "Đã lưu nháp Quý IV/2026" in province.text
    province.send("/han")
    assert "nháp 7/7" in province.text


def test_text_typed_on_the_review_points_to_the_buttons(province: Chat) -> None:
    fill_q4(province)
    province.send("thế là xong à")  # not a button's word: the buttons again
    assert "Anh/Chị chọn một nút bên dưới" in province.text and "📤 Gửi" in province.labels


def test_an_old_summary_button_is_refused(province: Chat) -> None:
    fill_q4(province)
    send = province.button("Gửi")
    province.press("Lưu nháp")
    from conversations.messages import ButtonIn

    province.event(ButtonIn(send.data))
    assert "Bản tóm tắt này đã cũ" in province.text


def _change_ct1_after_sending(app: App, province: Chat, answer: str) -> None:
    """Send Q4, then (a day later) change indicator 1 and stop at the summary without sending again."""
    fill_q4(province)
    province.press("Gửi")
    app.clock.set(vn(2026, 11, 22, 10))  # type: ignore[attr-defined]
    province.send("/nop 2026-Q4")
    province.press("Sửa một câu")
    province.send("1")
    province.send(answer)
    assert "Đã lưu: " in province.text and " — thay đổi chờ «Gửi lại»" in province.text
    province.press("Bỏ qua")  # the comparison: back at the summary


def test_a_change_after_sending_waits_for_send_again(app: App, province: Chat, registered) -> None:
    analyst = registered("CBC", role="analyst", name="Trần Văn C")
    _change_ct1_after_sending(app, province, "55/45")
    assert "1. Mất cân đối thụ hưởng báo chí (thành thị/nông thôn): 55%/45%" in province.text  # the person's copy
    assert "Có thay đổi chưa gửi lại: chỉ tiêu 1." in province.text and "📤 Gửi lại" in province.labels
    analyst.send("/tonghop 2026-Q4 CL")
    assert "(thành thị/nông thôn): 62%/38%" in analyst.text and "55%/45%" not in analyst.text
    # «Lưu nháp» on a sent submission: the sent version stays what analysts see
    province.press("Lưu nháp")
    assert "Đã lưu nháp" not in province.text
    assert ("Đã lưu các thay đổi Quý IV/2026 (chỉ tiêu 1). Cán bộ tổng hợp vẫn thấy bản đã gửi "
            "(mã biên nhận CL-2026Q4-QUANGTRI-01); các thay đổi chờ Anh/Chị bấm «Gửi lại»." in province.text)
    province.send("/han")
    assert "Quý IV/2026 — Quảng Trị" in province.text and "đã gửi, có thay đổi chưa gửi lại" in province.text
    # /xem: the sent values, then the pending change
    province.send("/xem 2026-Q4")
    assert "Đã gửi lúc 09:00 21/11/2026, mã biên nhận CL-2026Q4-QUANGTRI-01." in province.text
    assert "(thành thị/nông thôn): 62%/38%" in province.text
    assert "Thay đổi chưa gửi lại (cán bộ tổng hợp chưa thấy" in province.text
    assert "• Chỉ tiêu 1: 62%/38% → 55%/45%" in province.text
    analyst.send("/tonghop 2026-Q4 CL")
    assert "55%/45%" not in analyst.text
    with app.uow() as uow:
        assert uow.submissions.sent_answers(1)["ct1"].value != uow.submissions.answers(1)["ct1"].value
    # «Gửi lại»: the next receipt, and now the analyst sees the change
    province.send("/nop 2026-Q4")
    province.press("Gửi lại")
    assert "Mã biên nhận: CL-2026Q4-QUANGTRI-02" in province.text and "Thời gian: 10:00 22/11/2026" in province.text
    analyst.send("/tonghop 2026-Q4 CL")
    assert "(thành thị/nông thôn): 55%/45%" in analyst.text and "62%/38%" not in analyst.text
    province.send("/han")
    assert "đã gửi, có thay đổi" not in province.text and "(còn 15 ngày), đã gửi" in province.text
    province.send("/xem 2026-Q4")
    assert "Thay đổi chưa gửi lại" not in province.text and "(thành thị/nông thôn): 55%/45%" in province.text
    with app.uow() as uow:
        assert uow.submissions.pending(1) == {}
        assert [r.pending for r in uow.submissions.revisions(1, "ct1")] == [False, False]


def test_the_receipt_footer_number_and_time_agree(app: App, province: Chat) -> None:
    _change_ct1_after_sending(app, province, "55/45")
    province.press("Gửi lại")
    province.send("/xem 2026-Q4")
    assert ("Gửi lại lúc 10:00 22/11/2026, mã biên nhận CL-2026Q4-QUANGTRI-02 (gửi lần đầu lúc 09:00 21/11/2026)."
            in province.text)
    province.send("/nop 2026-Q4")
    assert "Gửi lại lúc 10:00 22/11/2026, mã biên nhận CL-2026Q4-QUANGTRI-02" in province.text
    assert "Có thay đổi chưa gửi lại" not in province.text
    province.press("Lưu nháp")
    assert "Số liệu Quý IV/2026 đã gửi (mã biên nhận CL-2026Q4-QUANGTRI-02) và không có thay đổi nào chưa gửi lại." \
        in province.text


def test_the_change_history_shows_who_when_old_and_new(app: App, province: Chat, registered) -> None:
    _change_ct1_after_sending(app, province, "55/45")
    province.send("/xem 2026-Q4")
    province.press("Lịch sử sửa")
    assert province.title == "Lịch sử sửa Chỉ tiêu Chiến lược báo chí Quý IV/2026 — Quảng Trị"
    lines = province.text.splitlines()
    first = next(line for line in lines if "Chỉ tiêu 1: chưa trả lời → 62%/38%" in line)
    assert "· Lê Thị B ·" in first and "(chưa gửi lại)" not in first
    last = next(line for line in lines if "Chỉ tiêu 1: 62%/38% → 55%/45%" in line)
    assert last.endswith("(chưa gửi lại)") and "· Lê Thị B ·" in last
    assert re.search(r"^• \d\d:\d\d \d\d/\d\d/\d{4} · ", last)
    province.send("/nop 2026-Q4")
    province.press("Gửi lại")
    province.send("/xem 2026-Q4")
    province.press("Lịch sử sửa")
    assert "Chỉ tiêu 1: 62%/38% → 55%/45%" in province.text and "chưa gửi lại" not in province.text
    # another unit's focal person cannot open this history with the old button's data
    other = registered("HANOI")
    from conversations.messages import ButtonIn

    other.event(ButtonIn("hist:1"))
    assert "55%/45%" not in other.text and "Lịch sử sửa" not in (other.title or "")
