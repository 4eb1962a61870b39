"""One spreadsheet cell as the text a person would have typed, so the chat's parsers read it.

A number cell is spelled the way the person's language writes it (1.234,5), a percentage-formatted
cell as a percentage (0,65 shown 65% -> "65%"), a boolean as có/không, a date cell as dd/mm/yyyy
where a date is asked. A date where no date is asked (Excel turned "1/2" into 1 February) and error
values (#DIV/0!) are refused with their own reason. Floats keep at most 15 significant digits, what
Excel itself stores.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from conversations.parsing import Refusal
from storage.values import Shape, fmt_number

ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"})
WORDS = {"vi": ("có", "không"), "en": ("yes", "no")}


def _decimal(x: float | int) -> Decimal:
    """The number as Excel holds it: 15 significant digits, no float noise (0.803*100 is 80.3)."""
    return Decimal(format(x, ".15g")) if isinstance(x, float) else Decimal(x)


def _number(x: float | int, number_format: str, lang: str) -> str:
    if "%" in (number_format or ""):
        return f"{fmt_number(_decimal(x * 100), lang)}%"
    return fmt_number(_decimal(x), lang)


def cell_text(value: Any, number_format: str, shape: Shape, lang: str, example: str) -> str | Refusal | None:
    """The text of a cell's value for a question of `shape`: None when empty, a Refusal when unusable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return WORDS.get(lang, WORDS["vi"])[0 if value else 1]
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return Refusal("workbook.cell_error", (("error", str(value)), ("example", example)))
        return _number(value, number_format, lang)
    if isinstance(value, datetime | date | time):
        return _when(value, shape, example)
    text = str(value)
    if text.strip().upper() in ERRORS:
        return Refusal("workbook.cell_error", (("error", text.strip()), ("example", example)))
    return text


def _when(value: date | time, shape: Shape, example: str) -> str | Refusal:
    """A date cell: the date where one is asked, otherwise the sign that Excel changed what was typed."""
    shown = value.strftime("%H:%M") if isinstance(value, time) else value.strftime("%d/%m/%Y")
    if shape is Shape.DATE and not isinstance(value, time):
        return shown
    return Refusal("workbook.cell_date", (("date", shown), ("example", example)))
