"""Migrations and models agree, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.migrate import current_revision, head_revision
from storage.models import Base


def test_upgraded_schema_matches_the_models(db_url: str) -> None:
    db = Database.connect(db_url)
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert current_revision(db.engine) == head_revision()
    db.dispose()
