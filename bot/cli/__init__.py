"""The `chitieu` command line: one module per area, all registered on one typer app."""

import os

from bot.cli import catalog, database, people, remind, report, run, tokens  # noqa: F401  (each registers its commands)
from bot.cli.base import cli


def main() -> None:
    """Entry point of the `chitieu` console script."""
    # Files the bot creates (database, -wal/-shm, backups, exported files, data/) are this user's only.
    os.umask(0o077)
    cli(prog_name="chitieu")
