"""The unit's own workbook as bytes (XlsxWriter): answer cells unlocked, everything else locked.

Sheet protection has no password: it guards against editing the wrong cell by accident, not against a
person (Excel's sheet password is a 16-bit hash anyone can undo, so a secret one would only get in the
way). The reader trusts no layout it cannot check: rows are found through the stamp, and the stamp's
unit and period must be the submission's.
"""

from __future__ import annotations

import io
import math
import re
from datetime import datetime
from typing import Any

from conversations.parsing.problems import catalog
from conversations.render import Sheet
from storage.uow import UnitOfWork
from storage.values import Shape

from . import layout as L
from .content import Content, Row, content_of
from .stamp import Stamp, write_stamp

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
RISKY = ("=", "+", "-", "@", "\t", "\r")
BASE = {"text_wrap": True, "valign": "top", "border": 1, "font_size": 11}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 13},
    "plain": {"italic": True, "text_wrap": True, "valign": "top"},
    "header": {**BASE, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"},
    "cell": BASE,
    "center": {**BASE, "align": "center"},
    "input": {**BASE, "locked": False, "bg_color": "#FFF2CC", "num_format": "@"},
    "closed": {**BASE, "bg_color": "#EDEDED"},
}
ROW_LINE_HEIGHT = 15
INPUT_TITLE_MAX, INPUT_MESSAGE_MAX = 32, 255


class _Styles:
    """XlsxWriter formats by name, with Excel's quote prefix for text that could pass for a formula."""

    def __init__(self, workbook: Any) -> None:
        self.workbook, self.cache = workbook, {}

    def __call__(self, name: str, text: str = "") -> Any:
        quote = text.startswith(RISKY)
        if (name, quote) not in self.cache:
            extra = {"quote_prefix": True} if quote else {}
            self.cache[name, quote] = self.workbook.add_format({**STYLES[name], **extra})
        return self.cache[name, quote]


def workbook_name(sheet: Sheet) -> str:
    """`ChiTieu_CL_2026-Q4_QUANGTRI.xlsx`: ASCII, the same on every channel."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{sheet.spec.code}_{sheet.period.code}_{sheet.unit.code}")
    return f"ChiTieu_{safe}.xlsx"


def unit_workbook(uow: UnitOfWork, sheet: Sheet, lang: str, now: datetime) -> bytes:
    """The workbook the unit fills in for this submission (answers already given filled in); `now` local."""
    return write_content(content_of(uow, sheet, lang, now))


def write_content(content: Content) -> bytes:
    """The workbook of `content` as bytes."""
    import xlsxwriter  # imported when a workbook is made, not at start-up

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, OPTIONS)
    styles = _Styles(workbook)
    t, lang, sheet = catalog().text, content.lang, content.sheet
    ws = workbook.add_worksheet(t("workbook.sheet", lang))
    _head(ws, styles, content)
    rows: dict[str, tuple[str, int]] = {}
    for i, row in enumerate(content.rows):
        r = L.FIRST_ROW + i
        _row(ws, styles, row, r - 1, content)
        rows[row.q.key] = (row.q.definition.shape.value, r)
    _page(ws, content)
    write_stamp(workbook, Stamp(sheet.spec.code, sheet.spec.version, sheet.period.code, sheet.unit.code,
                                sheet.unit.name, ws.name, rows))
    ws.activate()
    workbook.close()
    return out.getvalue()


def _head(ws: Any, styles: _Styles, c: Content) -> None:
    t, lang, sheet = catalog().text, c.lang, c.sheet
    ws.write_string(0, 0, sheet.spec.definition.title, styles("title"))
    ws.write_string(1, 0, t("workbook.subtitle", lang, unit=sheet.unit.name, period=sheet.period.code,
                            due=c.due_text or c.due.strftime("%d/%m/%Y")), styles("plain"))
    ws.write_string(2, 0, t("workbook.instructions", lang), styles("plain"))
    ws.write_string(3, 0, t("workbook.made", lang, at=c.made_at.strftime("%H:%M %d/%m/%Y"),
                            version=sheet.spec.version), styles("plain"))
    ws.set_row(2, ROW_LINE_HEIGHT * 2)
    ws.set_row(L.HEADER_ROW - 1, ROW_LINE_HEIGHT * 3)
    for col, name in enumerate(L.COLUMNS):
        ws.write_string(L.HEADER_ROW - 1, col, t(f"workbook.col_{name}", lang, year=sheet.period.year),
                        styles("header"))
        ws.set_column(col, col, L.WIDTHS[col], None, {"hidden": col + 1 == L.KEY})
    for r in (1, 2, 3):
        ws.merge_range(r, 0, r, L.TARGET - 1, None)


def _text(ws: Any, styles: _Styles, r: int, col: int, text: str, style: str) -> None:
    if text:
        ws.write_string(r, col - 1, text, styles(style, text))
    else:
        ws.write_blank(r, col - 1, None, styles(style))


def _row(ws: Any, styles: _Styles, row: Row, r: int, c: Content) -> None:
    d, lang = row.q.definition, c.lang
    t = catalog().text
    yes = t("workbook.list_yes", lang)
    _text(ws, styles, r, L.NUMBER, d.number or "", "center")
    _text(ws, styles, r, L.LABEL, d.label, "cell")
    _text(ws, styles, r, L.VALUE, row.value, "input")
    _text(ws, styles, r, L.PROVISIONAL, yes if row.provisional else "", "input" if row.takes_provisional else "closed")
    _text(ws, styles, r, L.EXAMPLE, d.example or "", "cell")
    _text(ws, styles, r, L.UNIT, d.unit_of_measure or "", "cell")
    _text(ws, styles, r, L.PREVIOUS, row.previous, "cell")
    _text(ws, styles, r, L.TARGET, row.target, "cell")
    _text(ws, styles, r, L.NOTE, row.note, "input")
    _text(ws, styles, r, L.COMPARISON, row.comparison, "input" if row.takes_comparison else "closed")
    _text(ws, styles, r, L.KEY, row.q.key, "cell")
    _validations(ws, row, r, c)
    ws.set_row(r, _height(row))


def _height(row: Row) -> float:
    """Enough lines for the longest wrapped text of the row (XlsxWriter cannot autofit)."""
    texts = ((row.q.definition.label, L.WIDTHS[L.LABEL - 1]), (row.target, L.WIDTHS[L.TARGET - 1]),
             (row.value, L.WIDTHS[L.VALUE - 1]), (row.q.definition.unit_of_measure or "", L.WIDTHS[L.UNIT - 1]))
    lines = max(math.ceil(len(text) * 1.1 / width) for text, width in texts if width) or 1
    if row.q.is_section:
        lines = max(lines, 4)
    return ROW_LINE_HEIGHT * max(1, lines)


def _validations(ws: Any, row: Row, r: int, c: Content) -> None:
    """Lists for yes/no cells, an input message with the example on every answer cell."""
    t, lang, d = catalog().text, c.lang, row.q.definition
    title = _name(row, c)[:INPUT_TITLE_MAX]
    example = d.example or catalog().text(f"parse.example.{d.shape.value}", lang)
    message = t("workbook.input_value", lang, example=example)
    if d.unit_of_measure:
        message += "\n" + t("workbook.input_unit", lang, unit=d.unit_of_measure)
    rule: dict[str, Any] = {"validate": "any"}
    if d.shape is Shape.YES_NO:
        rule = {"validate": "list", "source": _yes_no(lang), "error_title": t("workbook.list_error_title", lang),
                "error_message": t("workbook.list_error", lang)}
    ws.data_validation(r, L.VALUE - 1, r, L.VALUE - 1, {**rule, "input_title": title,
                                                         "input_message": message[:INPUT_MESSAGE_MAX]})
    if row.takes_provisional:
        ws.data_validation(r, L.PROVISIONAL - 1, r, L.PROVISIONAL - 1, {
            "validate": "list", "source": [t("workbook.list_yes", lang)], "input_title": title,
            "input_message": t("workbook.input_provisional", lang), "error_title": t("workbook.list_error_title", lang),
            "error_message": t("workbook.provisional_error", lang)})


def _yes_no(lang: str) -> list[str]:
    t = catalog().text
    return [t("workbook.list_yes", lang), t("workbook.list_no", lang)]


def _name(row: Row, c: Content) -> str:
    numbering = c.sheet.spec.definition.numbering
    kind = "section" if row.q.is_section and numbering != "Câu" else "indicator"
    return catalog().text(f"workbook.input_{kind}", c.lang, label=numbering, number=row.q.definition.number or "")


def _page(ws: Any, c: Content) -> None:
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                    "format_rows": True})
    ws.freeze_panes(L.HEADER_ROW, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(L.HEADER_ROW - 1)
    ws.set_zoom(100)
