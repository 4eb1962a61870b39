"""A focal person submits a whole period: every action of the question loop, review and receipt."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from storage.models import Answer, AnswerRevision, Receipt, Submission
from storage.values import Value
from tests.helpers.chat import Chat


def open_q4(chat: Chat) -> None:
    """Choose CL 2026-Q4 among the open periods."""
    chat.send("/nop")
    chat.press("2026-Q4")


def stored(app: App, unit: str = "QUANGTRI", period: str = "2026-Q4") -> dict[str, Answer]:
    with app.uow() as uow:
        u = uow.units.by_code(unit)
        p = uow.periods.by_code("CL", period)
        sub = uow.submissions.get(u.id, p.id)
        return uow.submissions.answers(sub.id) if sub else {}


def test_question_shows_position_name_unit_target_and_example(province: Chat) -> None:
    open_q4(province)
    assert province.title == "Chỉ tiêu 1 · câu 1/7"
    text = province.text
    assert "Giảm tỷ lệ mất cân đối" in text
    assert "Đơn vị đo: Lượng phát hành báo chí in" in text
    assert "Năm 2026 chưa có chỉ tiêu (năm 2025: 60%/40%)" in text
    assert "Ví dụ: 62%/38% hoặc 1.200.000/800.000" in text
    assert "Hạn nộp: 05/12/2026" in text
    assert province.labels == ["Tạm ước tính", "Ghi chú", "⬅ Quay lại"]


def test_whole_province_submission_with_every_action(app: App, province: Chat) -> None:
    open_q4(province)
    province.send("65/30")  # does not add up to 100
    assert "Chưa hợp lệ" in province.text and "95" in province.text
    assert province.title == "Chỉ tiêu 1 · câu 1/7"  # the same question again
    province.send("62%/38%")
    assert "Đã lưu: 62%/38%" in province.text and "So sánh quốc tế cho chỉ tiêu 1" in province.text
    province.send("Thái Lan khoảng 55%/45%")
    assert province.title == "Chỉ tiêu 2 · câu 2/7"
    province.send("80%")  # counts are required for indicator 2
    assert "Chưa hợp lệ" in province.text and "120.500/150.000" in province.text
    province.press("Quay lại")  # back to indicator 1, its answer shown
    assert province.title == "Chỉ tiêu 1 · câu 1/7" and "Đã nhập: 62%/38%" in province.text
    province.press("Giữ nguyên")
    province.press("Bỏ qua")  # keep the comparison as it is
    assert province.title == "Chỉ tiêu 2 · câu 2/7"
    province.press("Tạm ước tính")
    assert "tạm ước tính" in province.text and "Bỏ đánh dấu tạm ước tính" in province.labels
    province.send("120.500/150.000")
    assert "Đã lưu: 120.500/150.000 (80,3%) (tạm ước tính)" in province.text
    province.press("Bỏ qua")
    assert province.title == "Mục III · câu 3/7"
    province.press("Bỏ qua") if "Bỏ qua" in province.labels else None
    assert province.title == "Mục III · câu 3/7"  # a required section has no skip button
    province.send("1. Tỷ lệ tiếp cận tăng nhờ phủ sóng phát thanh số.")
    assert province.title == "Mục IV · câu 4/7"
    province.press("Bỏ qua")  # international comparison section is optional
    province.send("Không có")
    province.send("1. Hỗ trợ công cụ đo lượng truy cập.")
    assert province.title == "Mục VII · câu 7/7" and "tổng kết năm" in province.text
    province.send("1. Năm 2026 hoàn thành các chỉ tiêu. 2. Hạn chế: thiếu số liệu IP.")
    assert "Tóm tắt Chỉ tiêu Chiến lược báo chí Quý IV/2026 — Quảng Trị" in province.title
    summary = province.text
    assert "1. Mất cân đối thụ hưởng báo chí (thành thị/nông thôn): 62%/38%" in summary
    assert "So sánh quốc tế: Thái Lan khoảng 55%/45%" in summary
    assert "2. Người dân vùng sâu, xa tiếp cận báo chí thiết yếu: 120.500/150.000 (80,3%) (tạm ước tính)" in summary
    assert "IV. So sánh quốc tế" in summary and ": bỏ qua" in summary
    assert province.labels == ["📤 Gửi", "Sửa một câu", "Lưu nháp"]
    province.press("Gửi")
    assert province.title == "Đã nhận số liệu"
    assert "Mã biên nhận: CL-2026Q4-QUANGTRI-01" in province.text
    assert "Thời gian: 09:00 21/11/2026" in province.text
    assert "Đúng hạn (hạn nộp 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ)" in province.text
    assert "Chỉ tiêu 2 vẫn là số liệu tạm ước tính" in province.text

    answers = stored(app)
    assert Value.from_json(answers["ct1"].value).share == 62
    assert answers["ct1"].comparison == "Thái Lan khoảng 55%/45%"
    assert answers["ct2"].provisional and answers["ct2"].raw_text == "120.500/150.000"
    assert answers["intl"].skipped
    with app.uow() as uow:
        sub = uow.session.scalar(select(Submission))
        assert sub.status == "submitted" and sub.on_time is True and sub.reference == "CL-2026Q4-QUANGTRI-01"
        assert uow.session.scalar(select(Receipt)).provisional_keys == "ct2"
        revisions = uow.session.scalars(select(AnswerRevision).where(AnswerRevision.question_key == "ct1")).all()
        assert [r.action for r in revisions] == ["answer", "comparison"]
        assert all(r.changed_by is not None and r.channel == "test" for r in revisions)


def test_provisional_typed_with_the_value(app: App, province: Chat) -> None:
    open_q4(province)
    province.send("62%/38% tạm")
    assert "Đã lưu: 62%/38% (tạm ước tính)" in province.text
    assert stored(app)["ct1"].provisional


def test_note_is_kept_with_the_answer(app: App, province: Chat) -> None:
    open_q4(province)
    province.press("Ghi chú")
    assert "Mời Anh/Chị nhập ghi chú cho chỉ tiêu 1" in province.text
    province.send("Số liệu từ Bưu điện tỉnh")
    assert "Đã lưu ghi chú." in province.text and "Ghi chú: Số liệu từ Bưu điện tỉnh" in province.text
    assert province.title == "Chỉ tiêu 1 · câu 1/7"
    province.send("1.200.000/800.000")
    assert "Đã lưu: 1.200.000/800.000 (60%/40%)" in province.text
    answer = stored(app)["ct1"]
    assert answer.note == "Số liệu từ Bưu điện tỉnh" and answer.a == 1_200_000


def test_cancel_note_returns_to_the_question(province: Chat) -> None:
    open_q4(province)
    province.press("Ghi chú")
    province.press("Hủy ghi chú")
    assert province.title == "Chỉ tiêu 1 · câu 1/7" and "Giảm tỷ lệ mất cân đối" in province.text


def test_required_indicator_cannot_be_skipped_by_typing(province: Chat) -> None:
    open_q4(province)
    province.send("bỏ qua")  # the skip word is understood, and refused with the reason
    assert "Câu này bắt buộc, không bỏ qua được." in province.text
    assert province.title == "Chỉ tiêu 1 · câu 1/7"


def test_back_on_the_first_question_says_so(province: Chat) -> None:
    open_q4(province)
    province.press("Quay lại")
    assert "Đây là câu đầu tiên." in province.text


def test_draft_then_resume_with_a_new_service_instance(app: App, province: Chat) -> None:
    open_q4(province)
    province.send("62/38")
    province.send("so sánh")
    province.press("Tạm ước tính")
    # the process restarts: a brand-new service (and engine) on the same database
    from conversations.engine import Engine
    from conversations.service import DialogueService

    restarted = Chat(DialogueService(app.uow, app.clock, Engine()), province.sender.user_id)
    restarted.send("/nop")
    assert restarted.title == "Chỉ tiêu 2 · câu 2/7"
    assert "(Giá trị sắp nhập sẽ được đánh dấu là số liệu tạm ước tính.)" in restarted.text
    restarted.send("120.500/150.000")
    assert "(tạm ước tính)" in restarted.text


def test_pause_keeps_the_draft_and_nop_continues(province: Chat) -> None:
    open_q4(province)
    province.send("62/38")
    province.press("Quay lại")  # back from the comparison to the value
    province.send("/huy")
    assert "Đã tạm dừng" in province.text
    province.send("nop")
    assert "kỳ nào" in province.text and any("nháp 1/7" in label for label in province.labels)
    province.press("2026-Q4")
    assert province.title == "Chỉ tiêu 2 · câu 2/7"


def test_cannot_send_with_missing_required_answers(province: Chat) -> None:
    open_q4(province)
    province.send("62/38")
    province.press("Bỏ qua")
    province.send("/huy")
    province.send("/nop 2026-Q4")
    assert province.title == "Chỉ tiêu 2 · câu 2/7"


def test_change_one_answer_from_the_review(app: App, province: Chat) -> None:
    fill_q4(province)
    province.press("Sửa một câu")
    assert "Anh/Chị muốn sửa câu nào?" in province.text
    province.press("2. Người dân")
    assert province.title == "Chỉ tiêu 2 · câu 2/7" and "Đã nhập: 120.500/150.000 (80,3%)" in province.text
    province.send("121.000/150.000")
    province.press("Bỏ qua")
    assert "Tóm tắt" in province.title and "121.000/150.000" in province.text
    with app.uow() as uow:
        revs = uow.submissions.revisions(1, "ct2")
        assert [(r.revision, r.raw_text) for r in revs] == [(1, "120.500/150.000"), (2, "121.000/150.000")]


def fill_q4(chat: Chat) -> None:
    """Answer every CL 2026-Q4 question of a province and reach the review."""
    open_q4(chat)
    for answer in ("62/38", None, "120.500/150.000", None, "xu hướng tăng", None, "không có", "đề xuất",
                   "tổng kết năm"):
        chat.press("Bỏ qua") if answer is None else chat.send(answer)
    assert "Tóm tắt" in chat.title, chat.text
