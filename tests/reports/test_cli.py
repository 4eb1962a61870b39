"""`chitieu report` and `chitieu export` through typer's CliRunner, including bad arguments (exit code 2)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command on the typer app)
from bot.app import App
from bot.cli.base import cli
from tests.reports.data import CL_Q3, load

runner = CliRunner()


@pytest.fixture
def env(app: App, catalog_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The CLI pointed at the test database, run in a scratch folder."""
    load(app, CL_Q3)
    monkeypatch.setenv("DATABASE_URL", catalog_sqlite_url)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):  # noqa: ANN201 - click's Result
    return runner.invoke(cli, list(args))


def test_report_text_to_stdout(env: Path) -> None:
    result = run("report", "--period", "2025-Q3")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Tổng hợp Chỉ tiêu Chiến lược báo chí · Quý III/2025\nPhạm vi: Toàn quốc")
    assert "Đã nộp 4/35 đơn vị" in result.stdout


def test_report_of_a_subtree_in_english_as_csv(env: Path) -> None:
    result = run("report", "--period", "2025-Q3", "--form", "cl", "--unit", "quangtri", "--format", "csv",
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("No.,Indicator,Value,Shown as")
    assert lines[2].startswith('2,"Người dân vùng sâu, xa tiếp cận báo chí thiết yếu",80.333333,'
                               '"80.3% (120,500/150,000)",120500,150000,')


def test_report_files(env: Path) -> None:
    assert run("report", "--period", "2025-Q3", "--format", "xlsx").exit_code == 0
    book = openpyxl.load_workbook(env / "tonghop-CL-2025-Q3.xlsx")
    assert book["Phụ lục I"]["D6"].value == "Năm 2025"
    result = run("report", "--period", "2025-Q3", "--format", "png", "-o", "chart.png")
    assert result.exit_code == 0 and "wrote chart.png" in result.stderr
    assert Image.open(env / "chart.png").format == "PNG"


def test_export_raw_answers(env: Path) -> None:
    result = run("export", "--period", "2025-Q3")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].startswith("Mã đơn vị,Đơn vị,Loại đơn vị,Trạng thái,Gửi lúc,Đúng hạn,Câu")
    assert any(r.startswith("QUANGTRI,Quảng Trị,\"Tỉnh, thành phố\",đã gửi,20/11/2026 10:00,Có,2,") for r in rows)
    assert run("export", "--period", "2025-Q3", "--format", "xlsx", "-o", "raw.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(env / "raw.xlsx").active
    assert ws.max_row == 1 + 2 + 2 + 2 + 2 + 10  # header, 3 provinces and a draft (2 each), CBC 10 answers


@pytest.mark.parametrize(("args", "message"), [
    (("report", "--period", "2025-Q9"), "error: There is no period «2025-Q9»"),
    (("report", "--period", "2025-Q3", "--form", "XX"), "error: There is no form «XX»"),
    (("report", "--period", "2026", "--form", "CL"), "error: There is no period «2026». Periods there are: form CL from Q1 2023"),
    (("report", "--period", "2025-Q3", "--unit", "NOWHERE"), "error: There is no unit with code «NOWHERE»"),
    (("report", "--period", "2025-Q3", "--format", "pdf"), "error: Format «pdf» is not available"),
    (("export", "--period", "2025-Q3", "--format", "png"), "error: Format «png» is not available"),
    (("report", "--period", "soon"), "error: There is no period «soon»"),
])
def test_bad_arguments_are_one_line_errors_with_exit_code_2(env: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_report_without_a_period_takes_the_default_of_tonghop(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOCK_NOW", "2026-11-21T09:00:00+07:00")
    result = run("report", "--form", "CL", "--format", "png")  # CL's latest round due or near on 21/11/2026
    assert result.exit_code == 0 and "wrote tonghop-CL-2026-Q3.png" in result.stderr

