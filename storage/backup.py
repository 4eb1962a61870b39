"""Backups: SQLite's online backup API (safe while the bot runs); pg_dump / pg_restore for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from storage.db import PRIVATE_FILE, is_sqlite, private_dir, private_file, private_sqlite_files


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as the libpq URL pg_dump understands (driver suffix removed), without its password,
    and the environment that carries the password instead (PGPASSWORD): a command line is readable by every
    user of the machine (`ps`, /proc/PID/cmdline), a process's environment only by its owner."""
    parsed = make_url(url).set(drivername="postgresql")
    password = parsed.password
    query = dict(parsed.query)
    if password is None and "password" in query:  # ?password=… is a libpq keyword too
        given = query.pop("password")
        password = given[0] if isinstance(given, tuple) else given
        parsed = parsed.set(query=query)
    env = {**os.environ}
    if password is not None:
        env["PGPASSWORD"] = str(password)
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database,
                      parsed.query)
    return bare.render_as_string(hide_password=False), env


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
        _private_target(target)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        private_sqlite_files(target)
        return f"SQLite online backup of {source} written to {target}"
    libpq, env = _libpq(url)
    tool = _tool("pg_dump")
    _private_target(target)
    _run([tool, "--format=custom", "--no-owner", f"--file={target}", libpq], env)
    private_file(target)
    return f"pg_dump (custom format) written to {target}"


def _private_target(target: Path) -> None:
    """Create the backup file empty at 0600 before anything is written to it (no readable moment)."""
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder; create it first")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    private_file(target)


def restore(url: str, source: Path) -> str:
    """Replace the database's content with the backup in `source` (stop the bot first)."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if is_sqlite(url):
        target = _sqlite_path(url)
        with sqlite3.connect(source) as src:
            _check_sqlite_backup(src, source)
            private_dir(target.parent)
            with sqlite3.connect(target) as dst:
                src.backup(dst)
        private_sqlite_files(target)
        return f"{target} restored from {source}"
    libpq, env = _libpq(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={libpq}", str(source)], env)
    return f"PostgreSQL database restored from {source} with pg_restore"


def _check_sqlite_backup(conn: sqlite3.Connection, source: Path) -> None:
    """Refuse files that are not a chitieu-bot SQLite database."""
    try:
        row = conn.execute("select version_num from alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise BackupError(f"{source} is not a chitieu-bot SQLite backup (no schema version)")


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{Path(command[0]).name}: {last}")
