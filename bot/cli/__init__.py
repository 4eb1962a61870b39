"""The `chitieu` command line: one module per area, all registered on one typer app."""

from bot.cli import catalog, database, people, remind, report, run  # noqa: F401  (each registers its commands)
from bot.cli.base import cli


def main() -> None:
    """Entry point of the `chitieu` console script."""
    cli(prog_name="chitieu")
