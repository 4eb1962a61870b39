"""Dates typed day first (05/4/2026, 5-4-2026, 05/04, ngày 5 tháng 4 năm 2026) or ISO (2026-04-05)."""

from __future__ import annotations

import re
from datetime import date

from storage.values import Shape, Value

from .problems import Problem, Refused
from .spec import Context
from .text import fold, shorten

FIRST_YEAR, LAST_YEAR = 1900, 2100
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", re.ASCII)
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})\s*([/.-])\s*(?P<m>\d{1,2})(?:\s*\2\s*(?P<y>\d{4}|\d{2}))?", re.ASCII)
_WORDS = re.compile(
    r"(?:ngay\s*)?(?P<d>\d{1,2})\s*thang\s*(?P<m>\d{1,2})(?:\s*(?:(?:nam|,)\s*)?(?P<y>\d{4}))?", re.ASCII
)


def _year(typed: str | None, today: date) -> int:
    """The year typed (26 -> 2026), or this year when none was typed."""
    if typed is None:
        return today.year
    return int(typed) + 2000 if len(typed) == 2 else int(typed)


def parse_date(text: str, ctx: Context) -> Value:
    """A calendar date, kept as ISO text (2026-04-05); impossible dates refused."""
    folded = fold(text)
    match = _ISO.fullmatch(folded) or _DAY_FIRST.fullmatch(folded) or _WORDS.fullmatch(folded)
    if match is None:
        raise Refused(Problem.DATE_FORMAT, text=shorten(text))
    year = _year(match["y"], ctx.today)
    try:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(year)
        day = date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        raise Refused(Problem.DATE_INVALID, text=shorten(text)) from None
    return Value(Shape.DATE, text=day.isoformat())
