"""The unit's own workbook, opened with openpyxl: one row per question asked, references, locks, the stamp."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.app import App
from conversations.workbook import workbook_name
from conversations.workbook.stamp import read_stamp
from tests.intake.drafts import open_sheet
from tests.reports.factories import filled as stored
from tests.workbook.books import own_workbook


@pytest.fixture
def book(app: App) -> openpyxl.Workbook:
    stored(app, ("QUANGTRI", "CL", "2026-Q3", {"ct1": "60/40", "ct2": "100.000/150.000"}, {}))
    stored(app, ("QUANGTRI", "CL", "2026-Q4", {"ct1": "62%/38%", "difficulties": "=thiếu người"},
                 {"sent": False, "provisional": ["ct1"], "notes": {"ct1": "nguồn: Sở"}}))
    data, _ = own_workbook(app)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_one_row_per_question_the_province_answers_in_q4(book: openpyxl.Workbook) -> None:
    ws = book["Số liệu"]
    assert [ws.cell(5, c).value for c in range(1, 11)] == [
        "STT", "Chỉ tiêu / câu hỏi", "Giá trị (nhập vào đây)", "Tạm ước tính", "Ví dụ", "Đơn vị đo", "Kỳ trước",
        "Chỉ tiêu năm 2026", "Ghi chú", "So sánh quốc tế (có thể gần tương đương)"]
    assert [ws.cell(r, 11).value for r in range(6, 13)] == [
        "ct1", "ct2", "trend", "intl", "difficulties", "proposals", "year_summary"]
    assert ws["A2"].value == ("Đơn vị: Quảng Trị · Kỳ: 2026-Q4 · Hạn nộp: 05/12/2026, chuyển sang thứ Hai 07/12/2026 "
                              "vì trùng ngày nghỉ")
    assert ws.column_dimensions["K"].hidden


def test_references_beside_each_question_and_answers_already_given(book: openpyxl.Workbook) -> None:
    ws = book["Số liệu"]
    assert [ws[f"{c}6"].value for c in "CDEGHI"] == [
        "62%/38%", "Có", "62%/38% hoặc 1.200.000/800.000", "60%/40%",
        "Năm 2026 chưa có chỉ tiêu (năm 2025: 60%/40%)", "nguồn: Sở"]
    assert ws["F7"].value.startswith("Số người dân tiếp cận") and ws["G7"].value == "100.000/150.000 (66,7%)"
    assert ws["C10"].value == "=thiếu người" and ws["C10"].data_type == "s", "text, never a formula"
    assert ws["C10"].quotePrefix


def test_only_answer_cells_are_unlocked_and_the_sheet_is_protected(book: openpyxl.Workbook) -> None:
    ws = book["Số liệu"]
    assert ws.protection.sheet and not ws.protection.password
    unlocked = {c.coordinate for row in ws.iter_rows(min_row=1, max_row=12, max_col=11) for c in row
                if not c.protection.locked}
    assert unlocked == {f"{col}{r}" for r in range(6, 13) for col in "CI"} | {"D6", "D7", "J6", "J7"}
    assert ws["C6"].number_format == "@", "typed answers stay text (65/35 is not a date)"


def test_lists_for_fixed_sets_and_input_messages_with_the_example(book: openpyxl.Workbook) -> None:
    ws = book["Số liệu"]
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert rules["D6"].type == "list" and rules["D6"].formula1 == '"Có"'
    assert rules["C7"].promptTitle == "Chỉ tiêu 2" and rules["C7"].prompt.startswith("Ví dụ: 120.500/150.000")
    assert rules["C8"].promptTitle == "Mục III"


def test_yes_no_questions_get_a_list_and_no_provisional(app: App) -> None:
    data, _ = own_workbook(app, unit="QT-BAO", form="CDS", period="2026")
    ws = openpyxl.load_workbook(io.BytesIO(data))["Số liệu"]
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert ws["K6"].value == "ke_hoach" and rules["C6"].formula1 == '"Có,Không"'
    assert "D6" not in rules and ws["D6"].protection.locked


def test_the_stamp_is_hidden_protected_and_also_a_document_property(book: openpyxl.Workbook) -> None:
    stamp_sheet = book["_chitieu"]
    assert stamp_sheet.sheet_state == "veryHidden" and stamp_sheet.protection.sheet
    stamp = read_stamp(book)
    assert (stamp.form, stamp.version, stamp.period, stamp.unit, stamp.sheet) == ("CL", 1, "2026-Q4", "QUANGTRI",
                                                                                "Số liệu")
    assert stamp.rows["ct2"] == ("ratio", 7)
    assert [p.value for p in book.custom_doc_props.props if p.name == "chitieu_stamp"] == ["1|CL|1|2026-Q4|QUANGTRI"]


def test_file_name_is_plain_ascii(app: App) -> None:
    with app.uow() as uow:
        assert workbook_name(open_sheet(uow, "QT-BAO", "CDS", "2026")) == "ChiTieu_CDS_2026_QT-BAO.xlsx"
