"""The typer apps and helpers every `chitieu` command module shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.app import App, build_app
from conversations.catalog.loader import CatalogError

F = TypeVar("F", bound=Callable[..., Any])

cli = typer.Typer(help="chitieu-bot: collect indicator data by chat.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_cli = typer.Typer(help="Database: migrations, backup and restore.", no_args_is_help=True)
catalog_cli = typer.Typer(help="Forms, units and targets from catalog files.", no_args_is_help=True)
units_cli = typer.Typer(help="Reporting units.", no_args_is_help=True)
periods_cli = typer.Typer(help="Collection periods.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(catalog_cli, name="catalog")
cli.add_typer(units_cli, name="units")
cli.add_typer(periods_cli, name="periods")


class UsageError(Exception):
    """Bad input on the command line: printed as one line, exit code 2."""


def one_line_errors(func: F) -> F:
    """Turn expected errors into `error: …` on stderr and exit code 2, changing nothing."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (CatalogError, UsageError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except (OperationalError, ProgrammingError) as exc:
            if not missing_schema(exc):
                raise
            typer.echo(f"error: the database {where()} has no tables yet (or an older schema); "
                       "run `chitieu db upgrade`, then `chitieu catalog load`", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def missing_schema(exc: Exception) -> bool:
    """True when the database lacks the tables or columns (never migrated, or migrated long ago)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return any(words in text for words in ("no such table", "no such column", "undefinedtable", "undefinedcolumn")) \
        or type(getattr(exc, "orig", None)).__name__ in ("UndefinedTable", "UndefinedColumn")


def where() -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    from bot.settings import Settings

    return make_url(Settings().database_url).render_as_string(hide_password=True)


def app_from_env() -> App:
    """The application built from the environment."""
    return build_app()


def echo_lines(lines: list[str]) -> None:
    """Print report lines."""
    for line in lines:
        typer.echo(line)


__all__ = ["App", "catalog_cli", "cli", "db_cli", "echo_lines", "one_line_errors", "periods_cli", "units_cli"]
