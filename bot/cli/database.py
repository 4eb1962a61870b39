"""`chitieu db upgrade|current|backup|restore`."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.base import app_from_env, db_cli, one_line_errors
from storage import backup as backups
from storage.migrate import current_revision, head_revision, upgrade


@db_cli.command("upgrade")
@one_line_errors
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    app = app_from_env()
    upgrade(app.settings.database_url)
    typer.echo(f"database at revision {current_revision(app.db.engine)}")


@db_cli.command("current")
@one_line_errors
def db_current() -> None:
    """Show the schema revision of the database and the newest one available."""
    app = app_from_env()
    typer.echo(f"database: {current_revision(app.db.engine) or 'empty'}; newest: {head_revision()}")


@db_cli.command("backup")
@one_line_errors
def db_backup(file: Path = typer.Argument(..., help="Where to write the backup.")) -> None:
    """Back up the database (SQLite: online backup, safe while the bot runs; PostgreSQL: pg_dump)."""
    app = app_from_env()
    try:
        typer.echo(backups.backup(app.settings.database_url, file))
    except backups.BackupError as exc:
        raise ValueError(str(exc)) from None


@db_cli.command("restore")
@one_line_errors
def db_restore(file: Path = typer.Argument(..., help="A file written by `chitieu db backup`.")) -> None:
    """Replace the database's content with a backup (stop the bot first; PostgreSQL: pg_restore)."""
    app = app_from_env()
    app.close()
    try:
        typer.echo(backups.restore(app.settings.database_url, file))
    except backups.BackupError as exc:
        raise ValueError(str(exc)) from None
