"""`chitieu report --format docx`: the same draft as `/baocao`, written to a file named by form, period, scope."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command on the typer app)
from bot.app import App
from bot.cli.base import cli
from tests.chain.docx_text import paragraphs
from tests.reports.data import CDS_2025, CL_Q3, load


def test_report_as_docx_for_a_unit_and_for_everything(app: App, catalog_sqlite_url: str, tmp_path: Path,
                                                       monkeypatch) -> None:  # noqa: ANN001
    load(app, CL_Q3, CDS_2025)
    monkeypatch.setenv("DATABASE_URL", catalog_sqlite_url)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", "--period", "2025", "--form", "CDS", "--unit", "BTC",
                                      "--format", "docx"])
    assert result.exit_code == 0, result.output
    lines = paragraphs((tmp_path / "baocao-CDS-2025-BTC.docx").read_bytes())
    assert "Kính gửi: Cục Báo chí." in lines
    assert any(line.startswith("- Đưa nội dung lên nền tảng số: 2/2 cơ quan đạt (trả lời Có)") for line in lines)
    result = CliRunner().invoke(cli, ["report", "--period", "2025-Q3", "--format", "docx", "-o", "q3.docx"])
    assert result.exit_code == 0, result.output
    assert "Kính gửi: Viện Chiến lược Thông tin và Truyền thông." in paragraphs((tmp_path / "q3.docx").read_bytes())
    result = CliRunner().invoke(cli, ["report", "--period", "2025-Q3", "--format", "odt"])
    assert result.exit_code == 2 and "docx" in result.output
