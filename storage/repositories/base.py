"""Helpers shared by repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, values: dict[str, Any], conflict: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was new (portable SQLite/PostgreSQL)."""
    make = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    key = next(iter(table.primary_key.columns))
    stmt = make(table).values(**values).on_conflict_do_nothing(index_elements=conflict).returning(key)
    # RETURNING rather than rowcount: psycopg reports -1 for rowcount here
    return session.execute(stmt).first() is not None


class Repository:
    """A repository works inside the session of the unit of work that created it; it never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
