"""Backups: SQLite's online backup API (safe while the bot runs); pg_dump / pg_restore for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import is_sqlite


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as the libpq URL pg_dump understands (driver suffix removed)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found; install the PostgreSQL client tools (e.g. apt install postgresql-client)")
    return found


def backup(url: str, target: Path) -> str:
    """Write a consistent copy of the database to `target`; returns a one-line description."""
    if is_sqlite(url):
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"{source} does not exist")
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return f"SQLite online backup of {source} written to {target}"
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _libpq(url)])
    return f"pg_dump (custom format) written to {target}"


def restore(url: str, source: Path) -> str:
    """Replace the database's content with the backup in `source` (stop the bot first)."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if is_sqlite(url):
        target = _sqlite_path(url)
        with sqlite3.connect(source) as src:
            _check_sqlite_backup(src, source)
            target.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(target) as dst:
                src.backup(dst)
        return f"{target} restored from {source}"
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq(url)}", str(source)])
    return f"PostgreSQL database restored from {source} with pg_restore"


def _check_sqlite_backup(conn: sqlite3.Connection, source: Path) -> None:
    """Refuse files that are not a chitieu-bot SQLite database."""
    try:
        row = conn.execute("select version_num from alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise BackupError(f"{source} is not a chitieu-bot SQLite backup (no schema version)")


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{Path(command[0]).name}: {last}")
