"""Collecting levels' due dates: by when each collecting unit forwards its roll-up upward.

`forward_by: MM-DD` applies to every collecting level of the form (Form 1: Cục Báo chí before 10/4,
10/7, 10/10, 10/12); `forward_by_collector: {province: MM-DD, ministry: MM-DD}` to one kind of
collecting unit (Form 2). The dates are stored on each period when the catalog is loaded
(`Period.forward_deadlines`, key `*` for `forward_by`), so dialogue, reminders and reports read one value.
"""

from __future__ import annotations

from datetime import date

from conversations.catalog.schema import FormDef, PeriodSlot
from conversations.catalog.workdays import last_day

ANY_LEVEL = "*"


def effective_due_date(nominal: date, form: FormDef) -> date:
    """The collecting-level due date as it counts, from the day the catalog names.

    Every collecting-level due date goes through this one function: the same rule as the units'
    own due dates (`workdays.last_day`: the calendar's `inclusive` reading, then the weekend/holiday
    shift of Bộ luật Dân sự 2015 Điều 148 khoản 5), so collecting levels move exactly like the units they
    collect from.
    """
    return last_day(nominal, form.calendar)


def _day(year: int, mmdd: str) -> date:
    month, day = (int(x) for x in mmdd.split("-"))
    return date(year, month, day)


def forward_deadlines(form: FormDef, year: int, slot: PeriodSlot) -> dict[str, str]:
    """ISO due dates of the roll-up by collecting kind (`*`: any kind), for the period of `slot` in `year`."""
    nominal = {kind: _day(year, mmdd) for kind, mmdd in slot.forward_by_collector.items()}
    if slot.forward_by:
        nominal[ANY_LEVEL] = _day(year, slot.forward_by)
    return {kind: effective_due_date(day, form).isoformat() for kind, day in nominal.items()}
