"""Where things are in the unit's workbook: the writer and the reader share these, nothing else does."""

from __future__ import annotations

STAMP_SHEET = "_chitieu"
STAMP_PROPERTY = "chitieu_stamp"
STAMP_FORMAT = "1"
HEADER_ROW = 5  # 1-based, as Excel shows it
FIRST_ROW = HEADER_ROW + 1
# Columns, 1-based: the answer right after the question so a phone shows both; references after it.
NUMBER, LABEL, VALUE, PROVISIONAL, EXAMPLE, UNIT, PREVIOUS, TARGET, NOTE, COMPARISON, KEY = range(1, 12)
COLUMNS = ("number", "label", "value", "provisional", "example", "unit", "previous", "target", "note",
           "comparison", "key")
WIDTHS = (6, 34, 20, 10, 20, 24, 18, 22, 28, 28, 8)
INPUTS = (VALUE, PROVISIONAL, NOTE, COMPARISON)
LAST_COLUMN = KEY
MAX_QUESTIONS = 200  # rows read below the header; a form has a few dozen
