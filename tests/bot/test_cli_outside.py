"""Issue 11 §7: `chitieu` run from another folder (cron) finds its data, says what to do on an empty
database, defaults like `/tonghop`, and the console saves files with scope and time in their names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command on the typer app)
import bot.settings
from bot.app import App
from bot.cli.base import cli
from bot.settings import Settings
from tests.helpers.app import make_app
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reports.data import CL_Q3, load

BIN = Path(sys.executable).parent / "chitieu"
REPO = Path(bot.settings.__file__).resolve().parents[1]
runner = CliRunner()


def chitieu(args: list[str], cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    environ.update({"LOG_LEVEL": "WARNING", "CLOCK_NOW": "2026-11-21T09:00:00+07:00", **env})
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, env=environ, timeout=120,
                          cwd=cwd)


def test_from_a_checkout_the_database_is_the_projects_whatever_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite:///{(REPO / 'data' / 'chitieu.sqlite3').as_posix()}"
    assert settings.exports_dir == REPO / "data" / "exports"


def test_installed_elsewhere_data_goes_to_the_user_data_dir_not_the_cwd(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cd /tmp && chitieu db upgrade / catalog load / report`: nothing appears in /tmp."""
    here, xdg = tmp_path / "cron", tmp_path / "xdg"
    here.mkdir()
    monkeypatch.setattr(bot.settings, "project_root", lambda: None)
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CLOCK_NOW", "2026-11-21T09:00:00+07:00")
    monkeypatch.chdir(here)
    for args in (["db", "upgrade"], ["catalog", "load"], ["report"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    assert result.stdout.startswith("Tổng hợp 2 biểu Anh/Chị theo dõi\nPhạm vi: Toàn quốc")
    assert (xdg / "chitieu-bot" / "chitieu.sqlite3").is_file()
    assert list(here.iterdir()) == []


def test_an_empty_database_is_one_line_naming_the_command_to_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    result = chitieu(["report", "--period", "2026-Q3"], tmp_path, DATABASE_URL=f"sqlite:///{empty}")
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: the database sqlite:///{empty} has no tables yet")
    assert "run `chitieu db upgrade`, then `chitieu catalog load`" in result.stderr
    assert not (tmp_path / "data").exists()


def test_report_without_a_period_says_what_tonghop_says(
        app: App, registered, catalog_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: ANN001
    load(app, CL_Q3)
    admin: Chat = registered("CBC", "admin")
    admin.send("/tonghop")
    monkeypatch.setenv("DATABASE_URL", catalog_sqlite_url)
    monkeypatch.setenv("CLOCK_NOW", "2026-11-21T09:00:00+07:00")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stdout == admin.text + "\n"  # title, then the same text
    assert "■ Chỉ tiêu Chiến lược báo chí — Quý III/2026" in result.stdout
    result = runner.invoke(cli, ["report", "--unit", "QUANGTRI", "--format", "xlsx"])  # the form Quảng Trị collects
    assert result.exit_code == 0 and "wrote tonghop-CDS-2026.xlsx" in result.stderr
    result = runner.invoke(cli, ["report", "--period", "Quý III/2025"])  # a period by its name
    assert result.exit_code == 0 and result.stdout.startswith("Tổng hợp Chỉ tiêu Chiến lược báo chí · Quý III/2025")


def test_the_console_saves_files_named_by_scope_and_time_in_the_exports_dir(
        catalog_sqlite_url: str, tmp_path: Path) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    load(app, CL_Q3)
    app.close()
    exports, here = tmp_path / "exports", tmp_path / "cwd"
    here.mkdir()
    result = chitieu(["chat", "--as", "QUANGTRI", "--role", "analyst"], here, "/tonghop 2025-Q3 CL\n",
                     DATABASE_URL=catalog_sqlite_url, EXPORTS_DIR=str(exports),
                     CLOCK_NOW=vn(2026, 12, 3, 15, 12).isoformat())
    assert result.returncode == 0, result.stderr
    saved = sorted(p.name for p in exports.iterdir())
    assert saved == ["tonghop-CL-2025-Q3-QUANGTRI-20261203-1512.png", "tonghop-CL-2025-Q3-QUANGTRI-20261203-1512.xlsx"]
    assert f"[tệp: {exports / saved[1]}]" in result.stdout
    assert list(here.iterdir()) == []
