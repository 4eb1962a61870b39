"""The workbook's data sheets: figures as numbers, each unit's submission, every raw answer."""

from __future__ import annotations

import csv
import io
from datetime import tzinfo

from reports.aggregate import method_text, show
from reports.completeness import display_name, due_of
from reports.export import BRIEF, csv_cell, records, write_records
from reports.forms import FormInfo
from reports.scope import Scope
from reports.summary import Summary
from reports.text import status_text
from reports.texts import t
from reports.xlsx import Book
from storage.models import Period, SubmissionStatus
from storage.uow import UnitOfWork

RAW_LIMIT = 15_000  # rows of raw answers in the summary workbook (~2 s); `chitieu export` has them all
FIGURE_COLUMNS = ("number", "indicator", "value", "shown", "numerator", "denominator", "method", "units",
                  "answered", "expected", "provisional", "previous", "target", "status", "projected", "goal")
NUMERIC = {"value", "numerator", "denominator", "units", "answered", "expected", "provisional", "previous",
           "projected"}
COUNTS = {"units", "answered", "expected", "provisional"}


def figure_records(s: Summary, lang: str) -> list[dict]:
    """One dict of FIGURE_COLUMNS per indicator: the figure as a number, how it was formed, its status."""
    out = []
    for line in s.lines:
        agg, st = line.agg, line.status
        out.append({
            "number": line.q.number, "indicator": line.q.short_label, "value": agg.value if agg else None,
            "shown": show(line.q, agg, lang), "numerator": agg.numerator if agg else None,
            "denominator": agg.denominator if agg else None,
            "method": method_text(line.q, agg, lang) if agg else "", "units": agg.units if agg else 0,
            "answered": agg.answered if agg else 0, "expected": line.expected,
            "provisional": agg.provisional if agg else 0,
            "previous": line.previous.value if line.previous else None,
            "target": st.target.text if st.target else "", "status": status_text(line, lang, s.period.year),
            "projected": st.projected, "goal": line.goal.text if line.goal else "",
        })
    return out


def figures_sheet(book: Book, s: Summary, lang: str) -> None:
    """Sheet 2: one row per indicator (numbers as numbers)."""
    sh = book.sheet(t("workbook.sheet_figures", lang))
    sh.widths([6, 40, 12, 24, 14, 14, 50, 8, 8, 8, 8, 12, 18, 30, 12, 18])
    for c, col in enumerate(FIGURE_COLUMNS):
        sh.text(0, c, t(f"workbook.fig_{col}", lang), "header")
    for r, rec in enumerate(figure_records(s, lang), start=1):
        for c, col in enumerate(FIGURE_COLUMNS):
            value = rec[col]
            if col in NUMERIC:
                sh.number(r, c, value, "integer" if col in COUNTS else "number")
            else:
                sh.text(r, c, value, "wrap" if col == "method" else "plain")
    sh.ws.freeze_panes(1, 2)


def figures_csv(s: Summary, lang: str) -> bytes:
    """The figures as CSV (UTF-8 with BOM), same columns as sheet 2."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t(f"workbook.fig_{c}", lang) for c in FIGURE_COLUMNS])
    for rec in figure_records(s, lang):
        writer.writerow([csv_cell(rec[c]) for c in FIGURE_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def progress_sheet(book: Book, s: Summary, lang: str) -> None:
    """Each expected unit: due date, state, on time, when sent."""
    sh = book.sheet(t("workbook.sheet_progress", lang))
    sh.widths([14, 34, 18, 12, 14, 10, 18])
    for c, col in enumerate(("unit_code", "unit", "kind", "due", "status", "on_time", "submitted_at")):
        sh.text(0, c, t(f"export.col_{col}", lang), "header")
    for r, u in enumerate(s.expected, start=1):
        state = s.states.get(u.id)
        sent = state is not None and state.status == SubmissionStatus.SUBMITTED
        status = "sent" if sent else "draft" if state else "not_started"
        sh.text(r, 0, u.code)
        sh.text(r, 1, display_name(u, s.units, lang))
        sh.text(r, 2, t(f"common.kind_{u.kind}", lang))
        sh.text(r, 3, due_of(u, s.period).strftime("%d/%m/%Y"))
        sh.text(r, 4, t(f"common.{status}", lang))
        sh.text(r, 5, "" if not sent else t("common.answer_yes" if state.on_time else "common.answer_no", lang))
        sh.when(r, 6, state.submitted_at.astimezone(s.at.tzinfo) if sent and state.submitted_at else None)
    sh.ws.freeze_panes(1, 2)
    sh.ws.autofilter(0, 0, max(0, len(s.expected)), 6)


def answers_sheet(book: Book, uow: UnitOfWork, scope: Scope, period: Period, form: FormInfo,
                  zone: tzinfo | None, lang: str) -> None:
    """Every unit's raw answers (sent and drafts) with provisional flags, notes, who and when."""
    sh = book.sheet(t("workbook.sheet_answers", lang))
    rows, shown, total = records(uow, scope, period, form, zone, lang, RAW_LIMIT)
    first = 0
    if shown < total:
        sh.text(0, 0, t("workbook.raw_cut", lang, shown=shown, total=total, period=period.code), "heading")
        first = 1
    write_records(sh, rows, lang, first, BRIEF)
