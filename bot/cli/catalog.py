"""`chitieu catalog load`, `chitieu units import|list`, `chitieu periods list`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.base import app_from_env, catalog_cli, echo_lines, one_line_errors, periods_cli, units_cli
from conversations.catalog.loader import load_catalog
from conversations.catalog.sync import sync_catalog, sync_units
from conversations.catalog.units_import import read_sheet, rows_to_units


@catalog_cli.command("load")
@one_line_errors
def catalog_load(folder: Path = typer.Argument(None, help="Catalog folder (default: the shipped catalog).")) -> None:
    """Load units, forms and targets; a changed form becomes a new version. Safe to run twice."""
    app = app_from_env()
    folder = folder or app.settings.catalog_dir
    units, forms = load_catalog(folder)
    with app.uow() as uow:
        lines = sync_catalog(uow, units, forms, app.clock.today(), folder / "units.yaml")
        uow.commit()
    echo_lines(lines)


@units_cli.command("import")
@one_line_errors
def units_import(file: Path = typer.Argument(..., help="CSV or Excel file with code,name,kind,parent,…")) -> None:
    """Add or update units from a sheet; if any row is refused nothing is written."""
    units, refused = rows_to_units(read_sheet(file), file)
    if refused:
        echo_lines([f"refused: {r}" for r in refused])
        raise ValueError(f"{len(refused)} row(s) refused in {file}; nothing was imported")
    app = app_from_env()
    with app.uow() as uow:
        report = sync_units(uow, units, file)
        uow.commit()
    echo_lines([f"added: {a}" for a in report.added] + [f"changed: {c}" for c in report.changed])
    typer.echo(f"{len(report.added)} added, {len(report.changed)} changed, {report.unchanged} unchanged, 0 refused")


@units_cli.command("list")
@one_line_errors
def units_list() -> None:
    """Show the unit tree."""
    app = app_from_env()
    table = Table("code", "name", "kind", "parent", "active")
    with app.uow() as uow:
        by_id = {u.id: u for u in uow.units.all()}
        for u in by_id.values():
            parent = by_id[u.parent_id].code if u.parent_id in by_id else ""
            active = f"until {u.active_to:%d/%m/%Y}" if u.active_to else "yes"
            table.add_row(u.code, u.name, u.kind, parent, active)
    Console().print(table)


@periods_cli.command("list")
@one_line_errors
def periods_list(form: str = typer.Option(None, "--form", help="Only this form (e.g. CL, CDS).")) -> None:
    """Show periods with their open, due and lock dates."""
    app = app_from_env()
    today = app.clock.today()
    table = Table("form", "period", "covers", "opens", "due", "lock", "state")
    with app.uow() as uow:
        for p in uow.periods.list(form.upper() if form else None):
            state = "open" if p.opens_on <= today <= p.lock_on else ("closed" if p.lock_on < today else "future")
            due = p.due_on.strftime("%d/%m/%Y")
            if p.deadlines:
                due = ", ".join(f"{k} {v[8:10]}/{v[5:7]}" for k, v in p.deadlines.items())
            table.add_row(p.form_code, p.code, f"{p.covers[0]}…{p.covers[-1]}", f"{p.opens_on:%d/%m/%Y}", due,
                          f"{p.lock_on:%d/%m/%Y}", state)
    Console(width=140).print(table)
