"""The database, its -wal/-shm, its folder and backups are readable by the bot's user only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.cli.base import cli
from storage.db import Database

BIN = Path(sys.executable).parent / "chitieu"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def chitieu(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


def test_db_upgrade_on_a_fresh_folder_makes_it_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # what a default shell gives: the files must not follow it
    try:
        result = chitieu(["db", "upgrade"], "sqlite:///data/chitieu.sqlite3", tmp_path)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "chitieu.sqlite3") == 0o600
    backup = tmp_path / "b.sqlite3"
    assert chitieu(["db", "backup", str(backup)], "sqlite:///data/chitieu.sqlite3", tmp_path).returncode == 0
    assert mode(backup) == 0o600


def test_an_existing_database_and_its_wal_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    url = f"sqlite:///{folder / 'chitieu.sqlite3'}"
    code = CliRunner().invoke(cli, ["db", "upgrade"], env={"DATABASE_URL": url, "LOG_LEVEL": "WARNING"}).exit_code
    assert code == 0
    db_file = folder / "chitieu.sqlite3"
    db_file.chmod(0o644)
    folder.chmod(0o755)  # as an earlier version left them
    db = Database.connect(url)
    with db.engine.begin() as conn:  # a write keeps -wal and -shm on disk while the engine is open
        conn.execute(sa.text("create table if not exists probe (x int)"))
        conn.execute(sa.text("insert into probe values (1)"))
    try:
        assert mode(folder) == 0o700 and mode(db_file) == 0o600
        side = [folder / "chitieu.sqlite3-wal", folder / "chitieu.sqlite3-shm"]
        assert all(p.exists() for p in side)
        assert [mode(p) for p in side] == [0o600, 0o600]
    finally:
        db.dispose()


def test_a_shared_working_directory_is_left_alone(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    tmp_path.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    db = Database.connect("sqlite:///here.sqlite3")
    with db.engine.connect() as conn:
        conn.execute(sa.text("select 1"))
    db.dispose()
    assert mode(tmp_path) == 0o755, "the folder is the operator's, not ours"
    assert mode(tmp_path / "here.sqlite3") == 0o600


def test_sqlite_backup_written_by_the_cli_is_private(sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    result = CliRunner().invoke(cli, ["db", "backup", str(target)], env={"DATABASE_URL": sqlite_url})
    assert result.exit_code == 0, result.stderr
    assert mode(target) == 0o600
