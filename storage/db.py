"""Database engines for SQLite (embedded default) and PostgreSQL, and the session factory."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def private_dir(path: Path) -> None:
    """Create `path` (and its parents) readable by this user only; tighten it if it is the bot's own folder.

    An existing folder is made 0700 only when it is ours and not a shared place (the working directory, the
    home directory, a temporary folder, the root): `sqlite:///chitieu.sqlite3` must not lock the cwd.
    """
    existed = path.exists()
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if not existed:
        path.chmod(PRIVATE_DIR)  # mkdir's mode is cut by the umask, never widened: say it exactly
        return
    resolved = path.resolve()
    shared = {Path.cwd().resolve(), Path.home().resolve(), Path("/"), Path(tempfile.gettempdir()).resolve()}
    try:
        st = resolved.stat()
    except OSError:
        return
    if resolved not in shared and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
        resolved.chmod(stat.S_IMODE(st.st_mode) & 0o700)


def private_file(path: Path) -> None:
    """Make an existing file readable and writable by this user only (databases, their -wal/-shm, backups)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if stat.S_IMODE(st.st_mode) != PRIVATE_FILE and st.st_uid == os.getuid():
        path.chmod(PRIVATE_FILE)


def private_sqlite_files(database: Path) -> None:
    """The database file and SQLite's side files (-wal, -shm, -journal) at 0600."""
    for suffix in SQLITE_SIDE_FILES:
        private_file(database.with_name(database.name + suffix))


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    """A SQLite engine in WAL mode; writers take the lock at BEGIN so they queue instead of failing.

    The database holds live channel tokens and every answer: its folder is 0700 and its files 0600 (SQLite
    gives -wal and -shm the mode of the database file, so it is tightened before WAL mode is set).
    """
    parsed = make_url(url)
    database = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
    if database is not None:
        private_dir(database.parent)
        private_sqlite_files(database)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        if database is not None:
            private_sqlite_files(database)  # a database created by this connection, before its -wal/-shm
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    """The engines of one database: `engine` for writes, `read_engine` for long read-only reports."""

    url: str
    engine: Engine
    read_engine: Engine

    @classmethod
    def connect(cls, url: str, pool_size: int = 10) -> Database:
        """Open engines for `url` (no connection is made until first use)."""
        if is_sqlite(url):
            return cls(url, _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False))
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                               hide_parameters=True)  # bound values (answers, tokens) never in logs or errors
        return cls(url, engine, engine)

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def sessions(self) -> sessionmaker[Session]:
        """Session factory for units of work."""
        return sessionmaker(self.engine, expire_on_commit=False)

    def read_sessions(self) -> sessionmaker[Session]:
        """Session factory for read-only reporting queries."""
        return sessionmaker(self.read_engine, expire_on_commit=False)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
