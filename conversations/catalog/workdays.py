"""Days off in Vietnam (weekends and public holidays) and the last day of a time limit as the law reads it.

Bộ luật Dân sự 2015, Điều 148 khoản 5: when the last day of a time limit is a weekly rest day or a public
holiday, the limit ends at the end of the next working day. A form's calendar applies it unless it says
`roll_to_working_day: false`; `inclusive` says whether "trước ngày 05/4" lets the 5th itself count.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from conversations.catalog.schema import CalendarDef


@lru_cache(maxsize=64)
def vn_holidays(year: int) -> frozenset[date]:
    """Vietnamese public holidays of `year` (Tết, 30/4, 1/5, 2/9, …, with observed days), from `holidays`."""
    return frozenset(holidays.country_holidays("VN", years=year))


def is_holiday(day: date) -> bool:
    """True on a Vietnamese public holiday."""
    return day in vn_holidays(day.year)


def is_day_off(day: date) -> bool:
    """True on Saturday, Sunday or a public holiday (the days offices are closed)."""
    return day.weekday() >= 5 or is_holiday(day)


def last_day(nominal: date, calendar: CalendarDef) -> date:
    """The last day a submission counts as on time, for a due date the document gives as `nominal`.

    `inclusive` (default): "trước ngày 05/12" allows the 5th itself; otherwise the 4th is the last day.
    `roll_to_working_day` (default): a last day that is a day off moves to the next working day.
    """
    day = nominal if calendar.inclusive else nominal - timedelta(days=1)
    while calendar.roll_to_working_day and is_day_off(day):
        day += timedelta(days=1)
    return day
