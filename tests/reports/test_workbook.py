"""The Phụ lục I workbook opened back with openpyxl, cell by cell; the chart decoded with Pillow."""

from __future__ import annotations

import io

import openpyxl
import pytest
from PIL import Image, ImageStat

from bot.app import App
from reports.chart import summary_chart
from reports.export import export_csv
from reports.forms import form_info
from reports.scope import Scope
from reports.summary import build_summary
from reports.workbook import summary_workbook
from tests.reports.data import CL_Q2, CL_Q3, load
from tests.reports.factories import filled

COMPARISON = "So sánh quốc tế (có thể gần tương đương)"


@pytest.fixture
def book(app: App) -> openpyxl.Workbook:
    load(app, CL_Q2, CL_Q3)
    with app.uow() as uow:
        person = uow.people.add_person("Lê Thị B")
        uow.commit()
    filled(app, ("CBC", "CL", "2025-Q3", {"ct4": "-5%"}, {"person_id": person.id,
                                                         "notes": {"ct4": "@cục trưởng"},
                                                         "comparisons": {"ct4": "+84 ASEAN"}}))
    with app.read_uow() as uow:
        s = build_summary(uow, Scope(), form_info(uow, "CL"), uow.periods.by_code("CL", "2025-Q3"),
                          app.clock.local(), with_year=True)
        data = summary_workbook(uow, s, "vi")
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Phụ lục I", "Tổng hợp số liệu", "Tiến độ nộp", "Số liệu đơn vị"]


def test_annex_header_follows_phu_luc_i(book: openpyxl.Workbook) -> None:
    ws = book["Phụ lục I"]
    assert ws["A1"].value == "BỘ CHỈ TIÊU CHIẾN LƯỢC PHÁT TRIỂN BÁO CHÍ GIAI ĐOẠN 2021-2025"
    assert ws["A2"].value == "Kỳ 2025-Q3 · Phạm vi: Toàn quốc · Số liệu lúc 09:00 21/11/2026"
    assert [ws.cell(6, c).value for c in (1, 2, 3, 4, 13, 14)] == [
        "STT", "Chỉ tiêu Chiến lược báo chí", "Đơn vị cung cấp số liệu", "Năm 2025", "Mục tiêu 2025", COMPARISON]
    assert [ws.cell(7, c).value for c in range(4, 13)] == [
        "Quý I", COMPARISON, "Quý II", COMPARISON, "Quý III", COMPARISON, "Quý IV", "Mục tiêu 2025", COMPARISON]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A6:A7", "B6:B7", "C6:C7", "D6:L6", "M6:M7", "N6:N7"} <= merged


def test_annex_rows_hold_each_quarter_and_targets(book: openpyxl.Workbook) -> None:
    ws = book["Phụ lục I"]
    row1 = [ws.cell(8, c).value for c in range(1, 15)]
    assert row1[0] == "1" and row1[1].startswith("Giảm tỷ lệ mất cân đối")
    assert row1[2] == "Sở TT&TT các tỉnh, thành phố trực thuộc TW"
    assert row1[3:] == [None, None, "60%/40%", None, "50%/50% (tạm ước tính)", "Quảng Trị: Thái Lan 55%/45%",
                        None, "60%/40%", None, "60%/40%", None]
    row2 = [ws.cell(9, c).value for c in range(4, 14)]
    assert row2[2] == "70,4% (190.000/270.000)" and row2[4] == "82% (229.500/280.000) (tạm ước tính)"
    assert ws.cell(10, 3).value == "Cục Báo chí" and ws.cell(10, 8).value == "+15% (1.150/1.000)"
    assert ws.cell(11, 8).value == "-5%" and ws.cell(11, 9).value == "Cục Báo chí: +84 ASEAN"
    assert ws.cell(15, 11).value == "15 cơ quan (5,6%; mục tiêu 5–10%)"


def test_annex_notes_and_sections(book: openpyxl.Workbook) -> None:
    ws = book["Phụ lục I"]
    texts = [ws.cell(r, c).value for r in range(17, ws.max_row + 1) for c in (1, 2) if ws.cell(r, c).value]
    assert texts[0].startswith("Ghi chú: tình hình nộp")
    assert "Đã nộp 4/35 đơn vị: đúng hạn 3, muộn 1." in texts
    note2 = next(x for x in texts if x.startswith("2. Người dân"))
    assert "Cách tính: tổng tử số / tổng mẫu số của 3 đơn vị" in note2 and "Đánh giá: có nguy cơ không đạt" in note2
    assert "Đề xuất giải pháp thúc đẩy kịp thời." in note2
    at = texts.index("III. Đánh giá xu hướng:")
    assert texts[at + 1] == "1. Cục Báo chí: 1. Tăng đều."
    assert texts[texts.index("V. Khó khăn, vướng mắc:") + 1] == '1. Cục Báo chí: =HYPERLINK("http://x")'
    assert texts[texts.index("VI. Đề xuất:") + 1] == "1. Cục Báo chí: 1. Hỗ trợ công cụ đo."


def test_figures_sheet_has_numbers(book: openpyxl.Workbook) -> None:
    ws = book["Tổng hợp số liệu"]
    assert ws["A1"].value == "STT" and ws["C1"].value == "Giá trị"
    assert ws["C2"].value == 50 and ws["E2"].value == 1_500_000 and ws["F2"].value == 1_500_000
    assert ws["I2"].value == 3 and ws["J2"].value == 34 and ws["K2"].value == 1
    assert ws["N3"].value.startswith("🔴 có nguy cơ không đạt")


def test_progress_sheet_lists_expected_units(book: openpyxl.Workbook) -> None:
    ws = book["Tiến độ nộp"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 35
    assert rows["HANOI"][4:6] == ("đã gửi", "Không") and rows["LAICHAU"][4] == "nháp"
    assert rows["ANGIANG"][4] == "chưa bắt đầu" and rows["HANOI"][3] == "06/10/2025"  # Sunday 05/10 counts on Monday


def test_raw_answers_with_flags_notes_and_who(book: openpyxl.Workbook) -> None:
    ws = book["Số liệu đơn vị"]
    header = [c.value for c in ws[1]]
    assert header == ["Mã đơn vị", "Đơn vị", "Trạng thái", "Câu", "Chỉ tiêu / câu hỏi", "Trả lời (nguyên văn)",
                      "Giá trị (bot hiểu)", "Bỏ qua", "Tạm ước tính", "Ghi chú", "So sánh quốc tế", "Người cập nhật",
                      "Cập nhật lúc"]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    qt = next(r for r in rows if r["Mã đơn vị"] == "QUANGTRI" and r["Câu"] == "2")
    assert qt["Trả lời (nguyên văn)"] == "120.500/150.000" and qt["Giá trị (bot hiểu)"] == "120.500/150.000 (80,3%)"
    assert qt["Tạm ước tính"] == "Có" and qt["Ghi chú"] == "Số liệu Bưu điện tỉnh" and qt["Trạng thái"] == "đã gửi"
    ct4 = next(r for r in rows if r["Mã đơn vị"] == "CBC" and r["Câu"] == "4")
    assert ct4["Người cập nhật"] == "Lê Thị B" and ct4["Cập nhật lúc"] is not None
    assert any(r["Trạng thái"] == "nháp" and r["Mã đơn vị"] == "LAICHAU" for r in rows)


def test_user_text_never_runs_as_a_formula(book: openpyxl.Workbook, app: App) -> None:
    ws = book["Số liệu đơn vị"]
    risky = [c for row in ws.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= {'=HYPERLINK("http://x")', "-5%", "@cục trưởng", "+84 ASEAN"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    with app.read_uow() as uow:
        csv = export_csv(uow, Scope(), uow.periods.by_code("CL", "2025-Q3"), form_info(uow, "CL"), None).decode("utf-8-sig")
    assert "'=HYPERLINK(\"\"http://x\"\")" in csv and ",'-5%," in csv and "'@cục trưởng" in csv
    assert "\n=" not in csv and ",=" not in csv


def test_chart_is_a_real_picture(app: App) -> None:
    load(app, CL_Q3)
    with app.read_uow() as uow:
        s = build_summary(uow, Scope(), form_info(uow, "CL"), uow.periods.by_code("CL", "2025-Q3"), app.clock.local())
    image = Image.open(io.BytesIO(summary_chart(s, "vi")))
    assert image.format == "PNG" and image.width >= 1000 and image.height >= 600
    stats = ImageStat.Stat(image.convert("L"))
    assert stats.stddev[0] > 20  # not blank: bars, text and axes
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert any(c == (0xC6, 0x28, 0x28) for _, c in colours)  # an "at risk" bar is drawn
