"""Form 2's own workbook table: a row per agency and per collecting unit, shares against its own targets."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl

from bot.app import App
from conversations.messages import DocumentOut
from tests.helpers.chat import Chat
from tests.reports.factories import filled

ROWS = (
    ("QT-BAO", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "12.500/10.000", "dao_tao": "40/50",
                               "dien_tu": "có", "attt": "có"}),
    ("QT-DAI", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "11.000/10.000", "dao_tao": "60/60",
                               "dien_tu": "có", "attt": "có"}),
    ("QT-CUAVIET", "CDS", "2025", {"nen_tang_so": "không", "tang_doanh_thu": "1.000/1.000", "dao_tao": "5/10",
                                   "dien_tu": "không", "attt": "không"}),
    ("BTC-TBTC", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "30.000/20.000", "dien_tu": "có",
                                 "attt": "có"}),
)


def sheet_rows(doc: DocumentOut) -> list[list[str]]:
    ws = openpyxl.load_workbook(io.BytesIO(doc.data)).worksheets[0]
    return [[str(c) if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


def test_the_form2_workbook_has_its_own_table(app: App, registered: Callable[..., Chat]) -> None:
    filled(app, *ROWS)
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/tonghop 2025 CDS")
    doc = next(r for r in analyst.replies if isinstance(r, DocumentOut))
    book = openpyxl.load_workbook(io.BytesIO(doc.data))
    assert book.sheetnames[0] == "Biểu tổng hợp CĐS" and "Phụ lục I" not in book.sheetnames
    rows = sheet_rows(doc)
    assert rows[0][0] == "BẢNG TỔNG HỢP SỐ LIỆU CHUYỂN ĐỔI SỐ BÁO CHÍ NĂM 2025"
    header = rows[3]
    revenue = header.index("6. Tổng doanh thu (năm nay/năm trước)")
    trained = header.index("8. Lãnh đạo, phóng viên, biên tập viên được đào tạo CĐS")
    group = next(r for r in rows if r[1].startswith("A. Quảng Trị"))
    assert group[1] == "A. Quảng Trị — tổng hợp 3 cơ quan báo chí"
    # the share of agencies meeting «≥ 20%» and, beside it, revenue summed: never «revenue grew 100%»
    assert group[revenue] == "1/3 cơ quan đạt (≥ 20%), tức 33,3%\ntổng cộng: +16,7% (24.500/21.000)"
    assert group[trained].startswith("87,5% (105/120)")  # people trained / people, summed
    target = next(r for r in rows if r[1] == "Mục tiêu năm 2025 của Quảng Trị")
    assert target[revenue].startswith("50% cơ quan báo chí có doanh thu tăng từ 20% trở lên\n🔴")
    goal = next(r for r in rows if r[1] == "Mục tiêu năm 2030 của Quảng Trị")
    assert goal[revenue] == "100% cơ quan báo chí có doanh thu tăng từ 20% trở lên"
    bao = next(r for r in rows if r[1] == "Báo Quảng Trị")
    assert bao[0] == "1" and bao[revenue] == "12.500/10.000 (+25%)" and bao[2].startswith("đã gửi 20/11")
    assert not any("Thời báo Tài chính" in r[1] for r in rows), "only the analyst's subtree"
    assert any("Kế hoạch UBND tỉnh Quảng Trị, mục II.1" in r[1] for r in rows), "each target's source"


def test_the_press_department_sees_one_group_per_collecting_unit(app: App, registered: Callable[..., Chat]) -> None:
    filled(app, *ROWS)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2025 CDS")
    rows = sheet_rows(next(r for r in analyst.replies if isinstance(r, DocumentOut)))
    groups = [r[1] for r in rows if r[1][:2] in ("A.", "B.")]
    assert groups == ["A. Bộ Tài chính (Cục Tin học và Thống kê tài chính) — tổng hợp 6 cơ quan báo chí",
                      "B. Quảng Trị — tổng hợp 3 cơ quan báo chí"]
    ministry = next(r for r in rows if r[1].startswith("A. Bộ Tài chính"))
    assert ministry[2] == "chưa gửi tổng hợp"
