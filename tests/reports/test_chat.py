"""The analysts' commands through the real dialogue engine: who may ask, what each sees, what comes back."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from conversations.messages import DocumentOut, ImageOut, TextOut
from tests.helpers.chat import Chat
from tests.reports.data import CL_Q3, load


def kinds(chat: Chat) -> list[str]:
    return [type(r).__name__ for r in chat.replies]


def test_a_focal_person_is_refused_politely(app: App, registered: Callable[..., Chat]) -> None:
    focal = registered("QUANGTRI")
    for command in ("/tonghop", "/thieu", "/chitieu 2"):
        focal.send(command)
        name = command.split()[0]
        assert focal.text.strip() == f"Lệnh {name} chỉ dành cho cán bộ tổng hợp hoặc quản trị viên."
        assert kinds(focal) == ["TextOut"]


def test_tonghop_sends_text_chart_and_workbook(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2025-Q3 CL")
    assert kinds(analyst) == ["TextOut", "ImageOut", "DocumentOut"]
    text, image, doc = analyst.replies
    assert isinstance(text, TextOut) and isinstance(image, ImageOut) and isinstance(doc, DocumentOut)
    assert text.title == "Tổng hợp Chỉ tiêu Chiến lược báo chí · Quý III/2025"
    assert len(text.title) + len(text.text) < 4096
    assert "Phạm vi: Cục Báo chí" in text.text  # the analyst's unit, whose subtree is every unit
    assert "Đã nộp 4/35 đơn vị: đúng hạn 3, muộn 1." in text.text
    assert "2. Người dân vùng sâu, xa tiếp cận báo chí thiết yếu: 82% (229.500/280.000) (tạm: 1)" in text.text
    assert image.data.startswith(b"\x89PNG") and image.filename == "tonghop-CL-2025-Q3-CBC-20261121-0900.png"
    assert doc.filename == "tonghop-CL-2025-Q3-CBC-20261121-0900.xlsx" and doc.data.startswith(b"PK")


def test_analyst_of_a_province_sees_only_its_subtree(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/tonghop 2025-Q3")
    assert "Phạm vi: Quảng Trị" in analyst.text and "Đã nộp 1/1 đơn vị" in analyst.text
    assert "80,3% (120.500/150.000)" in analyst.text
    analyst.send("/chitieu 2 2025-Q3")
    assert "1. Quảng Trị: 120.500/150.000 (80,3%) (tạm)" in analyst.text
    assert "Hà Nội" not in analyst.text and "Huế" not in analyst.text
    analyst.send("/thieu 2025-Q3")
    assert "Quảng Trị — tạm ước tính ở chỉ tiêu 2" in analyst.text and "Hà Nội" not in analyst.text


def test_admin_sees_everything(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    admin = registered("QUANGTRI", "admin")  # an admin's grant is on some unit, yet sees all
    admin.send("/tonghop 2025-Q3")
    assert "Phạm vi: Toàn quốc" in admin.text and "Đã nộp 4/35 đơn vị" in admin.text
    admin.send("/chitieu 2 2025-Q3")
    assert "1. Huế: 9.000/10.000 (90%)" in admin.text and "Hà Nội" in admin.text and "Quảng Trị" in admin.text


def test_commands_typed_without_slash_and_bad_arguments(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("tong hop 2025-Q3")
    assert analyst.title == "Tổng hợp Chỉ tiêu Chiến lược báo chí · Quý III/2025"
    analyst.send("/tonghop 2031-Q1")
    assert kinds(analyst) == ["TextOut"] and "Không có kỳ «2031-Q1»" in analyst.text
    analyst.send("/chitieu 42 2025-Q3")
    assert "không có chỉ tiêu «42»" in analyst.text
    analyst.send("/chitieu")
    assert "Anh/Chị ghi số chỉ tiêu" in analyst.text


def test_default_period_and_english(app: App, registered: Callable[..., Chat]) -> None:
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop CDS")  # 21/11/2026: CDS 2026 is due for provinces' agencies on 25/11 (within 14 days)
    assert analyst.title == "Tổng hợp Chuyển đổi số báo chí · Năm 2026"
    analyst.send("/tonghop CL")  # CL 2026-Q4 is due 05/12, beyond CL's 7-day lead: the latest is Q3
    assert analyst.title.endswith("· Quý III/2026")
    analyst.send("/lang en")
    analyst.send("/thieu CL")
    assert analyst.title == "Units not submitted or still provisional: Chỉ tiêu Chiến lược báo chí · Q3 2026"


def test_answers_given_in_the_dialogue_are_summarised(app: App, registered: Callable[..., Chat]) -> None:
    focal = registered("QUANGTRI", name="Lê Thị B")
    focal.send("/nop")
    focal.press("2026-Q4")
    focal.send("1.200.000/800.000 tạm")
    focal.send("Thái Lan 55%/45%")
    analyst = registered("CBC", "analyst")
    analyst.send("/chitieu 1 2026-Q4")
    assert "Chưa có số liệu (34)" in analyst.text  # a draft is not a submission
    for answer in ("120.500/150.000", None, "xu hướng tăng", None, "không có", "đề xuất", "tổng kết năm"):
        focal.press("Bỏ qua") if answer is None else focal.send(answer)
    focal.press("Gửi")
    assert focal.title == "Đã nhận số liệu"
    analyst.send("/chitieu 1 2026-Q4")
    assert "1. Quảng Trị: 1.200.000/800.000 (60%/40%) (tạm)" in analyst.text
    assert "⚪ năm 2026 chưa có chỉ tiêu (gần nhất: năm 2025 là 60%/40%)" in analyst.text
