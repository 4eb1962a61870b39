"""Database engines for SQLite (embedded default) and PostgreSQL, and the session factory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    """A SQLite engine in WAL mode; writers take the lock at BEGIN so they queue instead of failing."""
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
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
