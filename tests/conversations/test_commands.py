"""Commands, typed words, language, help by role, stale buttons, files, outliers, other forms and units."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from conversations.messages import ButtonIn
from tests.conversations.test_submission import open_q4
from tests.helpers.chat import Chat
from tests.helpers.clock import vn


def test_deadlines_list_open_periods_with_days_left_or_late(province: Chat) -> None:
    province.send("hạn")
    assert "Các kỳ đang mở" in province.title
    assert "• Chỉ tiêu Chiến lược báo chí Quý III/2026 — Quảng Trị: hạn 05/10/2026 (quá hạn 47 ngày), chưa bắt đầu" in province.text
    assert "Quý IV/2026 — Quảng Trị: hạn 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ (còn 16 ngày), chưa bắt đầu" in province.text


def test_commands_typed_without_slash_or_diacritics(province: Chat) -> None:
    province.send("nộp")
    assert "kỳ nào" in province.text
    province.send("huong dan")
    assert province.title == "Hướng dẫn" and "/nop" in province.text


def test_help_depends_on_the_role(registered: Callable[..., Chat]) -> None:
    focal = registered("QUANGTRI")
    focal.send("/help")
    assert "Nộp số liệu:" in focal.text and "Tổng hợp:" not in focal.text
    analyst = registered("CBC", "analyst")
    analyst.send("/huongdan")
    assert "Tổng hợp:" in analyst.text and "Nộp số liệu:" not in analyst.text and "Quản trị:" not in analyst.text
    admin = registered("CBC", "admin")
    admin.send("/huongdan")
    assert "Quản trị:" in admin.text


def test_analyst_without_focal_role_cannot_submit(registered: Callable[..., Chat]) -> None:
    analyst = registered("HANOI", "analyst")  # Hà Nội collects from nobody: no part of a roll-up to write
    analyst.send("/nop")
    assert "không phải đầu mối" in analyst.text
    analyst.send("/han")
    assert "Hiện không có kỳ báo cáo nào đang mở" in analyst.text


def test_an_analyst_of_a_collecting_unit_writes_its_own_part(registered: Callable[..., Chat]) -> None:
    analyst = registered("CBC", "analyst")  # Cục Báo chí collects Form 1 and answers indicators 3-9 itself
    analyst.send("/nop")
    assert "Anh/Chị muốn nộp số liệu cho kỳ nào?" in analyst.text and "2. CL 2026-Q4 · hạn 05/12, chuyển sang 07/12 · chưa bắt đầu" in \
        analyst.labels


def test_cancel_when_idle_and_in_a_dialogue(province: Chat) -> None:
    province.send("/huy")
    assert "không có phần nào đang làm dở" in province.text
    open_q4(province)
    province.send("hủy")
    assert "Đã tạm dừng" in province.text and province.labels == ["Tiếp tục"]


def test_language_switch_to_english_and_back(province: Chat) -> None:
    province.send("/lang")
    assert province.labels == ["Tiếng Việt", "English"]
    province.press("English")
    assert "Switched to English." in province.text
    open_q4(province)
    assert province.title == "Chỉ tiêu 1 · question 1/7" and "Example: 62%/38%" in province.text
    province.send("65/30")
    assert province.text.startswith("Chỉ tiêu 1 · ") and "Not accepted:" in province.text
    province.send("/lang vi")
    assert "Đã chuyển sang tiếng Việt." in province.text


def test_unknown_command_and_small_talk(province: Chat) -> None:
    province.send("/abc")
    assert "Bot chưa hiểu lệnh /abc" in province.text
    province.send("chào bot")
    assert "Anh/Chị muốn làm gì?" in province.text and "Nộp số liệu" in province.labels


def test_stale_question_button_shows_the_current_question(province: Chat) -> None:
    open_q4(province)
    old_skip_note = province.button("Ghi chú")
    province.send("62/38")
    province.press("Bỏ qua")
    province.event(ButtonIn(old_skip_note.data))
    assert "Nút này thuộc câu hỏi trước" in province.text and "Chỉ tiêu 2 · " in province.title


def test_unknown_button_data(province: Chat) -> None:
    province.event(ButtonIn("nonsense"))
    assert "Nút này đã cũ" in province.text
    province.event(ButtonIn("open:x:y"))
    assert "Nút này đã cũ" in province.text


def test_files_where_text_is_expected(province: Chat) -> None:
    open_q4(province)
    for kind, word in (("photo", "ảnh"), ("sticker", "nhãn dán"), ("document", "tệp đính kèm"),
                       ("voice", "tin nhắn thoại"), ("video", "video"), ("location", "vị trí"),
                       ("contact", "danh thiếp"), ("other", "nội dung này")):
        province.file(kind)
        assert f"Bot chưa nhận {word} ở bước này" in province.text
        assert "Chỉ tiêu 1 · " in province.text, "the same question again"


def test_outlier_needs_confirmation_and_can_be_retyped(app: App, province: Chat) -> None:
    province.send("/nop 2026-Q3")
    province.send("1.000/1.000")  # 50% urban share in Q3
    province.send("/huy")
    open_q4(province)
    assert "Kỳ trước: 1.000/1.000 (50%/50%)" in province.text
    province.send("90/10")  # 50% -> 90%: a jump of 40 percentage points (not "+80%")
    assert "Giá trị 90%/10% tăng 40 điểm phần trăm so với kỳ trước (1.000/1.000 (50%/50%))" in province.text
    assert province.labels == ["Đúng, giữ giá trị này", "Nhập lại"]
    province.press("Nhập lại")
    assert "Mời Anh/Chị nhập lại giá trị." in province.text and "Chỉ tiêu 1 · " in province.title
    province.send("90/10")
    province.send("55/45")  # typed again during the confirmation: checked afresh
    assert "Đã lưu: 55%/45%" in province.text
    province.press("Quay lại")
    province.send("95/5")
    province.press("Đúng, giữ giá trị này")
    assert "Đã lưu: 95%/5%" in province.text


def test_press_agency_answers_form2_with_yes_no_buttons(registered: Callable[..., Chat]) -> None:
    agency = registered("QT-BAO")
    agency.send("/nop")
    assert "Chuyển đổi số báo chí Năm 2026 — Báo Quảng Trị" in agency.text
    assert "Hạn nộp: 25/11/2026" in agency.text and agency.title == "Câu 1/23"
    assert agency.labels[:2] == ["Có", "Không"]
    agency.press("Có")
    assert "Đã lưu: Có" in agency.text and agency.title == "Câu 2/23"
    # a share target says what it counts (Quảng Trị's plan, II.1 and II.2), not a bare "75%"
    assert ("Năm 2026 chưa có chỉ tiêu (năm 2025: 75% cơ quan báo chí đưa nội dung lên các nền tảng số; "
            "mục tiêu năm 2030: 100% cơ quan báo chí đưa nội dung lên các nền tảng số)") in agency.text
    agency.send("ko")
    assert "Đã lưu: Không" in agency.text


def test_ministry_press_unit_has_the_ministry_due_date(registered: Callable[..., Chat]) -> None:
    unit = registered("BTC-TCTC")
    unit.send("/han")
    assert "hạn 15/12/2026 (còn 24 ngày)" in unit.text


def test_central_unit_answers_indicators_3_to_9(registered: Callable[..., Chat]) -> None:
    cbc = registered("CBC")
    cbc.send("/nop 2026-Q4")
    assert cbc.title == "Chỉ tiêu 3 · câu 1/12"
    cbc.send("1.150/1.000")
    assert "Đã lưu: 1.150/1.000 (+15%)" in cbc.text


def test_nothing_open_for_an_agency_in_spring(app: App, registered: Callable[..., Chat]) -> None:
    agency = registered("QT-DAI")
    app.clock.set(vn(2027, 3, 1))  # type: ignore[attr-defined]
    agency.send("/nop")
    assert "Hiện không có kỳ báo cáo nào đang mở" in agency.text
