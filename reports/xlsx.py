"""A thin layer over XlsxWriter: named cell styles, and text that can never run as a formula.

User-typed text starting with `=`, `+`, `-`, `@` (or a tab / carriage return) is written as a string
cell with Excel's quote prefix, so it shows as typed and stays text even when the cell is edited.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # xlsxwriter is imported when a workbook is made, not at start-up
    from xlsxwriter.worksheet import Worksheet

RISKY = ("=", "+", "-", "@", "\t", "\r")
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
STYLES: dict[str, dict[str, Any]] = {
    "plain": {"valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "title": {"bold": True, "font_size": 13},
    "subtitle": {"italic": True},
    "heading": {"bold": True},
    "header": {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"},
    "cell": {"text_wrap": True, "valign": "top", "border": 1},
    "cell_center": {"text_wrap": True, "valign": "top", "align": "center", "border": 1},
    "number": {"num_format": "#,##0.##", "valign": "top"},
    "integer": {"num_format": "0", "valign": "top"},
    "when": {"num_format": "dd/mm/yyyy hh:mm", "valign": "top"},
}


def risky(text: str) -> bool:
    """True when Excel could take `text` for a formula."""
    return text.startswith(RISKY)


class Book:
    """An in-memory workbook with cached styles."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(self._out, OPTIONS)
        self._formats: dict[tuple[str, bool], Any] = {}

    def style(self, name: str, quote: bool = False) -> Any:
        """The format `name`, with the quote prefix when asked."""
        key = (name, quote)
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format({**STYLES[name], **({"quote_prefix": True} if quote else {})})
        return self._formats[key]

    def sheet(self, name: str) -> Sheet:
        """A new worksheet."""
        return Sheet(self, self.workbook.add_worksheet(name[:31]))

    def finish(self) -> bytes:
        """Close the workbook and return its bytes."""
        self.workbook.close()
        return self._out.getvalue()


class Sheet:
    """Writes typed cells on one worksheet."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book, self.ws = book, ws

    def text(self, row: int, col: int, value: str | None, style: str = "plain") -> None:
        """A string cell (never a formula); empty values leave the cell blank but styled."""
        if value is None or value == "":
            self.ws.write_blank(row, col, None, self.book.style(style))
            return
        self.ws.write_string(row, col, value, self.book.style(style, risky(value)))

    def number(self, row: int, col: int, value: float | int | None, style: str = "number") -> None:
        """A numeric cell (blank when None)."""
        if value is None:
            self.ws.write_blank(row, col, None, self.book.style(style))
        else:
            self.ws.write_number(row, col, float(value), self.book.style(style))

    def when(self, row: int, col: int, value: datetime | None) -> None:
        """A local date-time cell."""
        if value is None:
            self.ws.write_blank(row, col, None, self.book.style("when"))
        else:
            self.ws.write_datetime(row, col, value.replace(tzinfo=None), self.book.style("when"))

    def merged(self, first: tuple[int, int], last: tuple[int, int], value: str, style: str = "header") -> None:
        """A merged range holding one text (a single cell when first == last)."""
        if first == last:
            self.text(*first, value, style)
        else:
            self.ws.merge_range(*first, *last, value, self.book.style(style, risky(value)))

    def widths(self, widths: list[float]) -> None:
        """Column widths, from column A."""
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)
