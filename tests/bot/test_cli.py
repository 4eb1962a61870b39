"""The `chitieu` command line: database, catalog, units import, invites, periods; clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.cli.base import cli


@pytest.fixture
def run(sqlite_url: str):  # noqa: ANN201
    """Invoke `chitieu ARGS` against a fresh database; returns (exit code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, list(args), env={"DATABASE_URL": sqlite_url, "LOG_LEVEL": "WARNING"})
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_upgrade_then_load_twice(run) -> None:  # noqa: ANN001
    assert run("db", "upgrade")[0] == 0
    code, out, _ = run("catalog", "load")
    assert code == 0 and "units: 74 added" in out and "CL: new version 1" in out
    code, out, _ = run("catalog", "load")
    assert "units: 0 added, 0 changed, 74 unchanged" in out and "CL: unchanged (version 1)" in out
    assert "periods: 0 added" in out


def test_invite_prints_code_and_deep_link(run) -> None:  # noqa: ANN001
    run("catalog", "load")
    code, out, _ = run("invite", "--unit", "quangtri", "--role", "focal", "--expires", "7")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("code: ") and len(lines[0].split()[1]) == 14
    assert lines[1].startswith("telegram: https://t.me/") and "?start=" in lines[1]
    assert "valid for 7 days, single use, role focal of QUANGTRI" in out


@pytest.mark.parametrize(("args", "message"), [
    (("invite", "--unit", "NOPE"), "error: no unit has code 'NOPE'"),
    (("invite", "--unit", "HANOI", "--role", "boss"), "error: role must be one of focal, analyst, admin"),
    (("invite", "--unit", "HANOI", "--expires", "0"), "error: --expires must be between 1 and 365 days"),
])
def test_bad_arguments_exit_2_with_one_line(run, args: tuple[str, ...], message: str) -> None:  # noqa: ANN001
    run("catalog", "load")
    code, out, err = run(*args)
    assert code == 2 and err.strip().startswith(message) and len(err.strip().splitlines()) == 1


def test_periods_list_shows_open_and_future(run) -> None:  # noqa: ANN001
    run("catalog", "load")
    code, out, _ = run("periods", "list", "--form", "cl")
    assert code == 0 and "2026-Q4" in out and "open" in out and "future" in out


def test_bad_catalog_folder_is_one_line(run, tmp_path: Path) -> None:  # noqa: ANN001
    code, _, err = run("catalog", "load", str(tmp_path))
    assert code == 2 and err.strip() == f"error: {tmp_path}/units.yaml: file not found"


def test_units_import_csv_adds_and_changes(run, tmp_path: Path) -> None:  # noqa: ANN001
    run("catalog", "load")
    sheet = tmp_path / "units.csv"
    sheet.write_text("code,name,kind,parent\nHN-BAO,Báo Hà Nội mới,agency,HANOI\nHANOI,Thủ đô Hà Nội,province,CBC\n",
                     encoding="utf-8")
    code, out, _ = run("units", "import", str(sheet))
    assert code == 0 and "added: HN-BAO Báo Hà Nội mới" in out and "changed: HANOI: name" in out
    assert "1 added, 1 changed, 0 unchanged, 0 refused" in out


def test_units_import_refuses_bad_rows_and_imports_nothing(run, tmp_path: Path) -> None:  # noqa: ANN001
    run("catalog", "load")
    sheet = tmp_path / "units.csv"
    sheet.write_text("code,name,kind,parent\nOK-1,Báo tốt,agency,HANOI\nBAD-1,Báo xấu,tinh lo,HANOI\n",
                     encoding="utf-8")
    code, out, err = run("units", "import", str(sheet))
    assert code == 2 and "refused: row 3 (BAD-1): kind:" in out
    assert err.strip() == f"error: 1 row(s) refused in {sheet}; nothing was imported"
    _, listing, _ = run("units", "list")
    assert "OK-1" not in listing


def test_units_import_missing_column_and_excel(run, tmp_path: Path) -> None:  # noqa: ANN001
    run("catalog", "load")
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nX,Y\n", encoding="utf-8")
    code, _, err = run("units", "import", str(bad))
    assert code == 2 and "missing column(s) kind" in err
    book = Workbook()
    book.active.append(["Mã", "Tên", "Loại", "Cấp trên"])
    book.active.append(["QT-TV", "Truyền hình số Quảng Trị", "agency", "QUANGTRI"])
    path = tmp_path / "units.xlsx"
    book.save(path)
    code, out, _ = run("units", "import", str(path))
    assert code == 0 and "added: QT-TV" in out


def test_python_dash_m_bot_refuses_xls_and_broken_xlsx_in_one_line(sqlite_url: str, tmp_path: Path) -> None:
    """`python -m bot` is the `chitieu` command line; an old .xls is refused with what to do instead."""
    import os
    import subprocess
    import sys

    old = tmp_path / "units.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # an OLE2 (Excel 97-2003) header
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    env = {**os.environ, "DATABASE_URL": sqlite_url, "LOG_LEVEL": "WARNING"}

    def chitieu(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)

    shown = chitieu("--help")
    assert shown.returncode == 0 and "Usage: chitieu" in shown.stdout and "units" in shown.stdout
    refused = chitieu("units", "import", str(old))
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.strip() == (f"error: {old}: old Excel 97-2003 (.xls) files cannot be read; open it in "
                                      "Excel or LibreOffice, save it as .xlsx (or .csv) and import that file")
    refused = chitieu("units", "import", str(broken))
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert refused.stderr.startswith(f"error: {broken}: cannot read the sheet")
