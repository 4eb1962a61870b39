"""Periods from a form's calendar: codes such as 2026-Q4 or 2026, with open, due and lock dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from conversations.catalog.forwarding import forward_deadlines
from conversations.catalog.schema import FormDef, PeriodSlot


@dataclass(frozen=True)
class PeriodPlan:
    """A period as the calendar defines it, before it is stored."""

    form_code: str
    code: str
    year: int
    slot: str
    opens_on: date
    due_on: date
    lock_on: date
    covers: list[str]
    deadlines: dict[str, str] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    forward_deadlines: dict[str, str] = field(default_factory=dict)


def _day(year: int, mmdd: str) -> date:
    month, day = (int(x) for x in mmdd.split("-"))
    return date(year, month, day)


def period_code(year: int, slot: str) -> str:
    """`2026-Q4` for a quarter, `2026` for a yearly round."""
    return str(year) if slot == "Y" else f"{year}-{slot}"


def _covered(year: int, months: list[int]) -> list[str]:
    """Covered months as YYYY-MM; a negative month is that month of the previous year."""
    return [f"{year - 1}-{-m:02d}" if m < 0 else f"{year}-{m:02d}" for m in months]


def plan_slot(form: FormDef, year: int, slot: PeriodSlot) -> PeriodPlan:
    """The period of `slot` in `year`."""
    deadlines = {kind: _day(year, mmdd) for kind, mmdd in slot.due_by_collector.items()}
    due = _day(year, slot.due) if slot.due else max(deadlines.values())
    earliest = min([due, *deadlines.values()])
    latest = max([due, *deadlines.values()])
    cal = form.calendar
    return PeriodPlan(
        form_code=form.code,
        code=period_code(year, slot.slot),
        year=year,
        slot=slot.slot,
        opens_on=earliest - timedelta(days=cal.opens_days_before_due),
        due_on=due,
        lock_on=latest + timedelta(days=cal.lock_days_after_due),
        covers=_covered(year, slot.covers),
        deadlines={k: d.isoformat() for k, d in deadlines.items()},
        sections=list(slot.sections),
        forward_deadlines=forward_deadlines(form, year, slot),
    )


def plan_periods(form: FormDef, until_year: int) -> list[PeriodPlan]:
    """Every period from the form's first year through `until_year`, in date order."""
    plans = [plan_slot(form, y, s) for y in range(form.first_year, until_year + 1) for s in form.calendar.periods]
    return sorted(plans, key=lambda p: p.due_on)
