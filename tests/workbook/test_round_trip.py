"""The round trip: the bot's workbook filled in with openpyxl as a person would, read back, saved, exported."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command on the typer app)
from bot.app import App
from bot.cli.base import cli
from conversations.intake import Reading, save_reading
from conversations.workbook import read_workbook
from storage.values import Value
from tests.intake.drafts import open_sheet
from tests.reports.factories import filled as stored
from tests.workbook.books import filled, own_workbook

NAME = "ChiTieu_CL_2026-Q4_QUANGTRI.xlsx"


def read(data: bytes, d) -> Reading:  # noqa: ANN001
    reading = read_workbook(data, NAME, d)
    assert isinstance(reading, Reading), reading.render("vi")
    return reading


def test_a_province_fills_numbers_text_percentages_a_wrong_cell_and_an_empty_row(app: App) -> None:
    data, d = own_workbook(app)
    back = filled(data, {
        "C6": "65%/35%", "D6": "Có", "I6": "nguồn: Sở VHTTDL", "J6": "Thái Lan 55%/45%",  # text as typed
        "C7": "150.000/120.500",  # wrong: numerator above denominator
        "C8": "1. Tăng đều.\n2. Ổn định.",  # a section
        # row 9 (IV, optional) left empty
        "C10": 0.5, "C11": "Không có", "C12": "Năm 2026 đạt kế hoạch",
    }, formats={"C10": "0%"})
    reading = read(back, d)
    assert {a.key: a.raw for a in reading.accepted} == {
        "ct1": "65%/35%", "trend": "1. Tăng đều.\n2. Ổn định.", "difficulties": "50%", "proposals": "Không có",
        "year_summary": "Năm 2026 đạt kế hoạch"}
    ct1 = reading.accepted[0]
    assert (ct1.provisional, ct1.note, ct1.comparison, ct1.where) == (True, "nguồn: Sở VHTTDL", "Thái Lan 55%/45%", "C6")
    [refused] = reading.review_lines(d)[6:7]
    assert refused.startswith("Ô C7 (chỉ tiêu 2): 150.000/120.500 — Tử số 150.000 lớn hơn mẫu số 120.500")
    assert "ví dụ: 120.500/150.000" in refused
    assert reading.source.name == NAME and reading.source.sha256 == hashlib.sha256(back).hexdigest()


def test_number_and_percentage_cells_are_read_as_the_number_typed(app: App) -> None:
    data, d = own_workbook(app, unit="QT-BAO", form="CDS", period="2026")
    cells = {"C6": True, "C7": "có", "C8": "Không", "C9": "x", "C10": False, "C11": 0.25, "C12": "3.200/12.500",
             "C13": "45/50", "C14": "có", "C15": 18, "C16": 512.5}
    reading = read(filled(data, cells, formats={"C11": "0%"}), d)
    values = {a.key: a.value for a in reading.accepted}
    assert reading.refused == ()
    assert values["ke_hoach"].flag and values["nen_tang_so"].flag and not values["du_lieu_ai"].flag
    assert values["tang_doanh_thu"].growth == 25 and values["doc_gia"].growth == 18
    assert values["truong_thanh"].number == Value.from_json('{"shape":"number","a":"512.5"}').number


def test_a_date_excel_made_of_a_ratio_is_refused_with_the_reason(app: App) -> None:
    import datetime

    data, d = own_workbook(app)
    reading = read(filled(data, {"C7": datetime.datetime(2026, 2, 1)}, formats={"C7": "dd/mm/yyyy"}), d)
    [line] = [x for x in reading.review_lines(d) if x.startswith("Ô C7")]
    assert "Excel đã đổi giá trị thành ngày 01/02/2026" in line and "Văn bản (Text)" in line


def test_saved_as_revisions_from_the_file_and_exported_exactly(app: App, catalog_sqlite_url: str,
                                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stored(app, ("QUANGTRI", "CL", "2026-Q4", {"ct1": "70/30"}, {"sent": False, "provisional": ["ct1"]}))
    data, d = own_workbook(app)
    back = filled(data, {"C6": "1.200.000/800.000", "D6": None, "C7": "120.500/150.000 tạm"})
    reading = read(back, d)
    assert [(c.key, c.before, c.after) for c in reading.changes] == [
        ("ct1", "70%/30% (tạm ước tính)", "1.200.000/800.000 (60%/40%)"),
        ("ct2", None, "120.500/150.000 (80,3%) (tạm ước tính)")]
    with app.uow() as uow:
        sheet = open_sheet(uow, "QUANGTRI", "CL", "2026-Q4")
        assert save_reading(uow, sheet.submission, d, reading, None, "telegram") == ["ct1", "ct2"]
        uow.commit()
    with app.uow() as uow:
        sheet = open_sheet(uow, "QUANGTRI", "CL", "2026-Q4")
        last = [r for r in uow.submissions.revisions(sheet.submission.id) if r.source_name]
        assert [(r.question_key, r.action, r.source_name, r.source_sha256) for r in last] == [
            ("ct1", "official", NAME, hashlib.sha256(back).hexdigest()),
            ("ct2", "answer", NAME, hashlib.sha256(back).hexdigest())]
    again, d2 = own_workbook(app)
    assert read(again, d2).changes == (), "the bot's next workbook holds exactly what was saved"
    monkeypatch.setenv("DATABASE_URL", catalog_sqlite_url)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "--period", "2026-Q4", "--unit", "QUANGTRI", "--format", "csv",
                                      "-o", "out.csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    exported = {r["Câu"]: (r["Trả lời (nguyên văn)"], r["Giá trị (bot hiểu)"], r["Tạm ước tính"]) for r in rows}
    assert exported == {"1": ("1.200.000/800.000", "1.200.000/800.000 (60%/40%)", ""),
                        "2": ("120.500/150.000 tạm", "120.500/150.000 (80,3%)", "Có")}
