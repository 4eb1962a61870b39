"""The official Phụ lục I table (written by reports/workbook.py), filled in for one province, read back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.app import App
from conversations.intake import Draft, Reading
from conversations.workbook import Rejected, read_workbook
from reports.forms import form_info
from reports.scope import Scope
from reports.summary import build_summary
from reports.workbook import summary_workbook
from tests.intake.drafts import draft


def annex(app: App, period: str = "2026-Q4") -> bytes:
    """The national Phụ lục I workbook an analyst sends around (`/tonghop`)."""
    with app.read_uow() as uow:
        s = build_summary(uow, Scope(), form_info(uow, "CL"), uow.periods.by_code("CL", period), app.clock.local(),
                          with_year=True)
        return summary_workbook(uow, s, "vi")


def fill_rows(data: bytes, values: dict[str, str], column: str = "Quý IV") -> tuple[bytes, dict[str, str]]:
    """Type `values` (by STT) into the round's column as a province would; the cells used, by STT."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Phụ lục I"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "STT")
    col = next(c for c in range(4, 30) if ws.cell(header + 1, c).value == column)
    comparison = next(c for c in range(col + 1, 30) if str(ws.cell(header + 1, c).value).startswith("So sánh"))
    used = {}
    for r in range(header + 2, header + 12):
        number = str(ws.cell(r, 1).value)
        if number in values:
            ws.cell(r, col, values[number])
            used[number] = ws.cell(r, col).coordinate
        if number == "1":
            ws.cell(r, comparison, "Quảng Trị: Thái Lan 55%/45%")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), used


@pytest.fixture
def province(app: App) -> Draft:
    return draft(app)


def test_a_province_fills_its_rows_of_phu_luc_i(app: App, province: Draft) -> None:
    data, used = fill_rows(annex(app), {"1": "65%/35%", "2": "120.500/150.000 (tạm ước tính)", "3": "15%"})
    reading = read_workbook(data, "Phu luc I.xlsx", province)
    assert isinstance(reading, Reading), reading
    assert [(a.key, a.raw, a.provisional, a.where) for a in reading.accepted] == [
        ("ct1", "65%/35%", False, used["1"]), ("ct2", "120.500/150.000 (tạm ước tính)", True, used["2"])]
    assert reading.accepted[0].comparison == "Thái Lan 55%/45%", "the unit's own line, without its name"
    assert reading.extra["kind"] == "annex"
    assert "Đã đọc cột «Quý IV» của bảng Phụ lục I, các dòng của Quảng Trị." in reading.review_lines(province)


def test_a_wrong_cell_in_phu_luc_i_names_the_cell(app: App, province: Draft) -> None:
    data, used = fill_rows(annex(app), {"2": "150.000/120.500"})
    reading = read_workbook(data, "Phu luc I.xlsx", province)
    lines = reading.review_lines(province)
    assert "• 1. Mất cân đối thụ hưởng báo chí (thành thị/nông thôn): So sánh quốc tế: Thái Lan 55%/45%" in lines
    assert [x for x in lines if x.startswith("Ô ")][0].startswith(f"Ô {used['2']} (chỉ tiêu 2): 150.000/120.500 — Tử")


def test_phu_luc_i_of_another_year_is_refused_naming_both(app: App, province: Draft) -> None:
    data, _ = fill_rows(annex(app, "2025-Q4"), {"1": "65%/35%"})
    result = read_workbook(data, "Phu luc I 2025.xlsx", province)
    assert isinstance(result, Rejected)
    assert result.render("vi").startswith("Bảng Phụ lục I trong tệp «Phu luc I 2025.xlsx» là của năm 2025, còn "
                                          "Anh/Chị đang nộp kỳ 2026-Q4.")


def test_phu_luc_i_left_empty_changes_nothing(app: App, province: Draft) -> None:
    reading = read_workbook(annex(app), "Phu luc I.xlsx", province)
    assert isinstance(reading, Reading) and reading.changes == ()
    assert reading.review_lines(province)[-1].startswith("Không có ô nào được điền nên không có gì thay đổi.")
