"""Test databases: a migrated SQLite file per test, and a private PostgreSQL schema per test session."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from storage.migrate import upgrade
from storage.models import Base

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_admin_url() -> str:
    """The PostgreSQL server the suite may use (TEST_DATABASE_URL)."""
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)


def pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = sa.create_engine(pg_admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "skip PostgreSQL runs"
        return f"PostgreSQL not reachable at {pg_admin_url()}: {type(exc).__name__}"


def with_schema(url: str, schema: str) -> str:
    """`url` whose connections use `schema` first."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


class PgSchema:
    """A private schema on the shared server, migrated once, truncated between tests."""

    def __init__(self) -> None:
        self.name = f"t_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin = sa.create_engine(pg_admin_url())
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        self.url = with_schema(pg_admin_url(), self.name)
        upgrade(self.url)
        self.tables = ", ".join(f'"{self.name}"."{t.name}"' for t in Base.metadata.sorted_tables)

    def reset(self) -> None:
        """Empty every table and restart ids."""
        with self.admin.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {self.tables} RESTART IDENTITY CASCADE"))

    def drop(self) -> None:
        """Remove the schema."""
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


class SqliteTemplate:
    """A migrated SQLite file copied for each test (migrating once is much faster)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"
        upgrade(f"sqlite:///{self.path}")

    def fresh(self, folder: Path) -> str:
        """A new database URL holding a copy of the template."""
        target = folder / "test.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"


def iter_backends() -> Iterator[str]:
    """Backends the storage tests run on."""
    yield "sqlite"
    yield "postgresql"
