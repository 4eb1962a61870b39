"""`chitieu report` (a period's summary as text, xlsx, png or csv) and `chitieu export` (raw answers)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.base import app_from_env, cli, one_line_errors
from reports.errors import ReportError
from reports.export import export_csv, export_xlsx
from reports.requests import choose_exactly, file_stem, summary_request
from reports.scope import subtree_scope
from reports.sheets import figures_csv
from reports.summary import build_summary
from reports.text import summary_text, title

REPORT_FORMATS = ("text", "xlsx", "png", "csv", "docx")
EXPORT_FORMATS = ("csv", "xlsx")


def _check(fmt: str, allowed: tuple[str, ...]) -> str:
    fmt = fmt.lower()
    if fmt not in allowed:
        raise ReportError("bad_format", format=fmt, formats=", ".join(allowed))
    return fmt


def _emit(data: bytes | str, output: Path | None, default_name: str) -> None:
    """Text goes to stdout unless `-o` is given; files go to `-o` or to `default_name` here."""
    if isinstance(data, str) and output is None:
        typer.echo(data)
        return
    path = output or Path(default_name)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    typer.echo(f"wrote {path}", err=True)


@cli.command("report")
@one_line_errors
def report(
    period: Annotated[str | None, typer.Option("--period", help="Period code or name, e.g. 2026-Q3, 'Quý III/2026' or "
                                                "2026 (default: the one /tonghop shows).")] = None,
    form: Annotated[str | None, typer.Option("--form", help="Form code (CL, CDS); only if the period is ambiguous.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Only this unit's subtree (default: every unit).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | xlsx | png | csv | docx (the report draft)")] = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout for text/csv).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="vi | en")] = "vi",
) -> None:
    """A period's summary: completeness, each indicator's aggregate, target and status (docx: the report draft).

    Without `--period` the period is `/tonghop`'s default; as text with several forms and no `--form`,
    the same short section per form as `/tonghop`.
    """
    fmt = _check(fmt, REPORT_FORMATS)
    app = app_from_env()
    with app.read_uow() as uow:
        scope = subtree_scope(uow, unit)
        at = app.clock.local()
        if period is None and form is None and fmt == "text":
            result = summary_request(uow, scope, "", at, lang, outputs=("text",))
            _emit(f"{result.title}\n{result.text}", output, "tonghop.txt")
            return
        found, chosen = choose_exactly(uow, scope, period, form, at)
        if fmt == "docx":
            from reports.drafts import draft_bytes

            name, data, _ = draft_bytes(uow, scope, found, chosen, at, lang)
            _emit(data, output, name)
            return
        s = build_summary(uow, scope, found, chosen, at, with_year=fmt == "xlsx")
        stem = file_stem("tonghop", found, chosen)
        if fmt == "text":
            _emit(f"{title(s, lang)}\n{summary_text(s, lang)}", output, stem + ".txt")
        elif fmt == "csv":
            data = figures_csv(s, lang)
            _emit(data.decode("utf-8-sig") if output is None else data, output, stem + ".csv")
        elif fmt == "png":
            from reports.chart import summary_chart

            _emit(summary_chart(s, lang), output, stem + ".png")
        else:
            from reports.workbook import summary_workbook

            _emit(summary_workbook(uow, s, lang), output, stem + ".xlsx")


@cli.command("export")
@one_line_errors
def export(
    period: Annotated[str, typer.Option("--period", help="Period code, e.g. 2026-Q3 or 2026.")],
    form: Annotated[str | None, typer.Option("--form", help="Form code (CL, CDS); only if the period is ambiguous.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Only this unit's subtree (default: every unit).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv | xlsx")] = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout for csv).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="vi | en")] = "vi",
) -> None:
    """Every answer of a period: unit, question, raw text, parsed value, provisional, note, comparison, who/when."""
    fmt = _check(fmt, EXPORT_FORMATS)
    app = app_from_env()
    with app.read_uow() as uow:
        scope = subtree_scope(uow, unit)
        at = app.clock.local()
        found, chosen = choose_exactly(uow, scope, period, form, at)
        stem = file_stem("export", found, chosen)
        if fmt == "csv":
            data = export_csv(uow, scope, chosen, found, at.tzinfo, lang)
            _emit(data.decode("utf-8-sig") if output is None else data, output, stem + ".csv")
        else:
            _emit(export_xlsx(uow, scope, chosen, found, at.tzinfo, lang), output, stem + ".xlsx")
