"""Every answer of a period, one row each: unit, question, raw text, parsed value, provisional, note,
comparison, who and when. As CSV (UTF-8 with BOM, for Excel) or as an Excel sheet.

CSV cells of text starting with `=`, `+`, `-`, `@` get a leading apostrophe (OWASP's advice against
CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import tzinfo
from decimal import Decimal

from reports.completeness import display_name, scope_units
from reports.forms import FormInfo
from reports.rows import AnswerRow, answer_rows
from reports.scope import Scope
from reports.texts import t
from reports.xlsx import Book, Sheet, risky
from storage.models import Period
from storage.uow import UnitOfWork
from storage.values import Value, format_value

COLUMNS = ("unit_code", "unit", "kind", "status", "submitted_at", "on_time", "number", "question", "raw_text",
           "value", "a", "b", "basis", "skipped", "provisional", "note", "comparison", "updated_by", "updated_at")
WIDTHS = (14, 30, 14, 10, 16, 8, 6, 36, 24, 24, 12, 12, 9, 7, 8, 30, 30, 20, 16)


BRIEF = ("unit_code", "unit", "status", "number", "question", "raw_text", "value", "skipped", "provisional", "note",
         "comparison", "updated_by", "updated_at")  # the workbook's raw sheet: unit-level facts are on another sheet


def headers(lang: str, columns: tuple[str, ...] = COLUMNS) -> list[str]:
    """Column titles of the raw answers."""
    return [t(f"export.col_{c}", lang) for c in columns]


def _yes(flag: bool | None, lang: str) -> str:
    return "" if flag is None else t("common.answer_yes" if flag else "common.answer_no", lang)


def record(row: AnswerRow, form: FormInfo, names: dict[int, str], zone: tzinfo | None, lang: str) -> dict:
    """One answer as a dict of COLUMNS (datetimes local, value shown as a person writes it)."""
    try:
        q = form.indicator(row.key)
        number, question = q.number, q.short_label
    except StopIteration:
        number, question = "", row.key
    value = format_value(Value.from_json(row.value), lang) if row.value else ""
    return {
        "unit_code": row.unit_code, "unit": names.get(row.unit_id, row.unit_name),
        "kind": t(f"common.kind_{row.unit_kind}", lang), "status": t(f"common.{'sent' if row.status == 'submitted' else 'draft'}", lang),
        "submitted_at": row.submitted_at.astimezone(zone) if row.submitted_at else None,
        "on_time": _yes(row.on_time, lang) if row.status == "submitted" else "", "number": number,
        "question": question, "raw_text": row.raw_text or "", "value": value, "a": row.a, "b": row.b,
        "basis": row.basis or "", "skipped": _yes(row.skipped, lang) if row.skipped else "",
        "provisional": _yes(True, lang) if row.provisional else "", "note": row.note or "",
        "comparison": row.comparison or "", "updated_by": row.updated_by or "",
        "updated_at": row.updated_at.astimezone(zone) if row.updated_at else None,
    }


def records(uow: UnitOfWork, scope: Scope, period: Period, form: FormInfo, zone: tzinfo | None, lang: str,
            limit: int | None = None) -> tuple[Iterator[dict], int, int]:
    """The period's answers as records, how many are given and how many there are."""
    units = scope_units(uow, scope)
    names = {uid: display_name(u, units, lang) for uid, u in units.items()}
    rows, total = answer_rows(uow, scope, period.id, form, limit)
    return (record(r, form, names, zone, lang) for r in rows), len(rows), total


def csv_cell(value: object) -> object:
    """A CSV cell: text neutralised against formula injection, datetimes as dd/mm/yyyy HH:MM."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M")  # type: ignore[union-attr]
    if isinstance(value, str) and risky(value):
        return "'" + value
    if isinstance(value, Decimal):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return value


def export_csv(uow: UnitOfWork, scope: Scope, period: Period, form: FormInfo, zone: tzinfo | None,
               lang: str = "vi") -> bytes:
    """The period's answers as CSV bytes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(lang))
    rows, _, _ = records(uow, scope, period, form, zone, lang)
    for rec in rows:
        writer.writerow([csv_cell(rec[c]) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def write_records(sh: Sheet, rows: Iterator[dict], lang: str, first_row: int = 0,
                  columns: tuple[str, ...] = COLUMNS) -> int:
    """Header and records on a sheet (text never as a formula); returns the next free row."""
    widths = dict(zip(COLUMNS, WIDTHS, strict=True))
    sh.widths([widths[c] for c in columns])
    for c, title in enumerate(headers(lang, columns)):
        sh.text(first_row, c, title, "header")
    r = first_row + 1
    for rec in rows:
        for c, col in enumerate(columns):
            if col in ("a", "b"):
                sh.number(r, c, rec[col])
            elif col in ("submitted_at", "updated_at"):
                sh.when(r, c, rec[col])
            else:
                sh.text(r, c, rec[col])
        r += 1
    sh.ws.freeze_panes(first_row + 1, 2)
    sh.ws.autofilter(first_row, 0, max(first_row, r - 1), len(columns) - 1)
    return r


def export_xlsx(uow: UnitOfWork, scope: Scope, period: Period, form: FormInfo, zone: tzinfo | None,
                lang: str = "vi") -> bytes:
    """The period's answers as a one-sheet workbook."""
    book = Book()
    rows, _, _ = records(uow, scope, period, form, zone, lang)
    write_records(book.sheet(t("export.sheet", lang)), rows, lang)
    return book.finish()
