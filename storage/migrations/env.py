"""Alembic environment: migrations run with our engine settings on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context

from storage.db import Database
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    """Emit SQL without a connection (`alembic upgrade --sql`)."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run migrations on a live connection (batch mode so SQLite can alter tables)."""
    url = config.get_main_option("sqlalchemy.url")
    db = Database.connect(url, pool_size=1)
    try:
        with db.engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        db.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
