"""The official table (Phụ lục I of QĐ 531/QĐ-BTTTT) as an Excel workbook, plus the data behind it.

Sheet 1 keeps the layout of Phụ lục I: STT, indicator, provider, the year's rounds (Quý I–IV, each
followed by its international comparison), the year's target, the 2025 target, then the report
sections (III trend, IV comparison, V difficulties, VI proposals) as numbered lists. A note block
under the table says how each figure was formed and its status against the target. Further sheets:
the figures as numbers, each unit's submission, and every unit's raw answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.aggregate import method_text, show
from reports.rows import TextRow, comparison_rows, section_rows
from reports.sheets import answers_sheet, figures_sheet, progress_sheet
from reports.summary import Line, Summary
from reports.text import head_lines, number, status_text
from reports.texts import moment, t
from reports.xlsx import Book, Sheet
from storage.models import Period
from storage.uow import UnitOfWork

SECTION_ITEMS = 300  # per section; the raw sheet has them all
COMPARISONS_PER_CELL = 8
FIRST = 5  # first row of the table header


@dataclass(frozen=True)
class Column:
    """A column right of the provider: a round's figure, a comparison, or a target."""

    kind: str  # value | comparison | target | goal | blank
    period: Period | None = None


def columns(s: Summary) -> list[Column]:
    """Rounds of the year each with its comparison; the last round's comparison follows the year's target."""
    cols: list[Column] = []
    for i, p in enumerate(s.year):
        cols.append(Column("value", p))
        if i < len(s.year) - 1:
            cols.append(Column("comparison", p))
    last = s.year[-1] if s.year else None
    return [*cols, Column("target"), Column("comparison", last), Column("goal"), Column("blank")]


def _header(sh: Sheet, s: Summary, cols: list[Column], lang: str) -> None:
    top, sub = FIRST, FIRST + 1
    sh.merged((top, 0), (sub, 0), t("workbook.stt", lang))
    sh.merged((top, 1), (sub, 1), s.form.short_title)
    sh.merged((top, 2), (sub, 2), t("workbook.provider", lang))
    year_cols = len(cols) - 2
    sh.merged((top, 3), (top, 2 + year_cols), t("workbook.year", lang, year=s.period.year))
    for i, col in enumerate(cols[:-2], start=3):
        sh.text(sub, i, _col_title(col, s, lang), "header")
    sh.merged((top, 1 + len(cols)), (sub, 1 + len(cols)), t("workbook.goal", lang, year=s.form.goal_year(s.period.year) or ""))
    sh.merged((top, 2 + len(cols)), (sub, 2 + len(cols)), t("workbook.comparison", lang))


def _col_title(col: Column, s: Summary, lang: str) -> str:
    if col.kind == "value" and col.period is not None:
        return t(f"workbook.slot_{col.period.slot}", lang, year=col.period.year)
    if col.kind == "target":
        return t("workbook.target", lang, year=s.period.year)
    return t("workbook.comparison", lang)


def _comparisons(rows: list[TextRow], lang: str) -> dict[tuple[int, str], str]:
    """`Unit: text` lines per (period, indicator), a few per cell."""
    cells: dict[tuple[int, str], list[str]] = {}
    for r in rows:
        cells.setdefault((r.period_id, r.key), []).append(f"{r.unit_name}: {r.text}")
    return {k: "\n".join(v[:COMPARISONS_PER_CELL] + ([t("workbook.more", lang, count=len(v) - COMPARISONS_PER_CELL)]
                                                      if len(v) > COMPARISONS_PER_CELL else []))
            for k, v in cells.items()}


def _target_cell(line: Line, s: Summary, lang: str) -> str:
    if line.status.target:
        return line.status.target.text
    return status_text(line, lang, s.period.year).lstrip("⚪ ")


def _row(sh: Sheet, r: int, line: Line, s: Summary, cols: list[Column], cmp: dict, lang: str) -> None:
    q = line.q
    sh.text(r, 0, q.number, "cell_center")
    sh.text(r, 1, q.label, "cell")
    sh.text(r, 2, "; ".join(t(f"common.provider_{k}", lang) for k in q.providers), "cell")
    for i, col in enumerate(cols, start=3):
        value = ""
        if col.kind == "value" and col.period and col.period.due_on <= s.period.due_on:
            agg = s.year_aggregates.get(col.period.id, {}).get(q.key)
            value = "" if agg is None else show(q, agg, lang) + (t("workbook.provisional", lang) if agg.provisional else "")
        elif col.kind == "comparison" and col.period and col.period.due_on <= s.period.due_on:
            value = cmp.get((col.period.id, q.key), "")
        elif col.kind == "target":
            value = _target_cell(line, s, lang)
        elif col.kind == "goal":
            value = line.goal.text if line.goal else ""
        sh.text(r, i, value, "cell_center" if col.kind in ("value", "target", "goal") else "cell")


def _notes(sh: Sheet, r: int, s: Summary, lang: str) -> int:
    sh.text(r, 0, t("workbook.notes_title", lang), "heading")
    r += 1
    for text in head_lines(s, lang):
        sh.text(r, 1, text)
        r += 1
    for line in s.lines:
        parts = [f"{line.q.number}. {line.q.short_label}: {show(line.q, line.agg, lang)}"]
        if line.agg:
            parts.append(t("workbook.how", lang, method=method_text(line.q, line.agg, lang)))
        parts.append(t("workbook.status", lang, status=status_text(line, lang, s.period.year).lstrip("🟢🔴🔵⚪ ")))
        if line.status.judged and line.status.projected is not None:
            parts.append(t("workbook.projected", lang, value=number(line.q, line.status.projected, lang)))
        if line.status.code in ("at_risk", "far_exceeding"):
            parts.append(t(f"status.remedy_{line.status.code}", lang))
        sh.text(r, 1, " · ".join(parts), "plain")
        r += 1
    return r


def _sections(sh: Sheet, r: int, uow: UnitOfWork, s: Summary, lang: str) -> int:
    keys = [q.key for q in s.form.sections]
    rows = section_rows(uow, s.scope, s.period.id, keys, SECTION_ITEMS * max(1, len(keys)))
    for q in s.form.sections:
        items = [x for x in rows if x.key == q.key]
        sh.text(r, 0, f"{q.number}. {q.label}:", "heading")
        r += 1
        for n, item in enumerate(items[:SECTION_ITEMS], start=1):
            sh.text(r, 1, f"{n}. {item.unit_name}: {item.text}", "plain")
            r += 1
        if not items:
            sh.text(r, 1, t("workbook.no_items", lang), "subtitle")
            r += 1
        elif len(items) > SECTION_ITEMS:
            sh.text(r, 1, t("workbook.more_items", lang, count=len(items) - SECTION_ITEMS), "subtitle")
            r += 1
    return r


def annex_sheet(book: Book, uow: UnitOfWork, s: Summary, lang: str) -> None:
    """Sheet 1: the official table, the notes on each figure, then the report sections."""
    sh = book.sheet(t("workbook.sheet_annex", lang))
    cols = columns(s)
    sh.widths([6, 48, 24, *[16 if c.kind != "comparison" else 26 for c in cols]])
    sh.text(0, 0, s.form.title.upper(), "title")
    sh.text(1, 0, t("workbook.subtitle", lang, period=s.period.code, scope=s.scope.label(lang), at=moment(s.at)),
            "subtitle")
    sh.text(3, 0, t("workbook.table_title", lang), "heading")
    _header(sh, s, cols, lang)
    cmp = _comparisons(comparison_rows(uow, s.scope, [p.id for p in s.year], 5000), lang)
    r = FIRST + 2
    for line in s.lines:
        _row(sh, r, line, s, cols, cmp, lang)
        r += 1
    r = _notes(sh, r + 1, s, lang)
    _sections(sh, r + 1, uow, s, lang)
    sh.ws.freeze_panes(FIRST + 2, 3)
    sh.ws.set_landscape()
    sh.ws.set_paper(9)  # A4
    sh.ws.fit_to_pages(1, 0)
    sh.ws.repeat_rows(FIRST, FIRST + 1)


def summary_workbook(uow: UnitOfWork, s: Summary, lang: str = "vi") -> bytes:
    """The whole workbook as bytes; `s` must be built with `with_year=True` for the Quý columns."""
    book = Book()
    if s.form.report().get("layout") == "agencies":  # Form 2: its own table, one row per press agency
        from reports.table2 import build_table2
        from reports.table2_sheet import table2_sheet

        table2_sheet(book, build_table2(uow, s.scope, s.form, s.period, s.at, lang), lang)
    else:
        annex_sheet(book, uow, s, lang)
    figures_sheet(book, s, lang)
    progress_sheet(book, s, lang)
    answers_sheet(book, uow, s.scope, s.period, s.form, s.at.tzinfo, lang)
    return book.finish()
