"""Periods from a form's calendar: codes such as 2026-Q4 or 2026, with open, due and lock dates.

A period stores the due dates *as they count* (`Period.due_on`, `deadlines`, `forward_deadlines`: the last
day a submission is on time, after the calendar's `inclusive` reading and the weekend/holiday shift), so
on-time judgement, reminders and reports read one value. The day the document names stays in the catalog;
`due_date` gives both, for messages that show the document's words next to the day that counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from conversations.catalog.forwarding import forward_deadlines
from conversations.catalog.schema import FormDef, PeriodSlot
from conversations.catalog.workdays import last_day


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
    cal = form.calendar
    named = {kind: _day(year, mmdd) for kind, mmdd in slot.due_by_collector.items()}
    named_due = _day(year, slot.due) if slot.due else max(named.values())
    deadlines = {kind: last_day(day, cal) for kind, day in named.items()}
    due = last_day(named_due, cal)
    earliest = min([named_due, *named.values()])
    latest = max([due, *deadlines.values()])
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


@dataclass(frozen=True)
class DueDate:
    """A due date as the document writes it and as it counts."""

    named: date  # the day the document names ("trước ngày 05/12")
    last: date  # the last day a submission is on time
    inclusive: bool  # the calendar's reading of "trước ngày": the named day itself counts

    @property
    def moved(self) -> bool:
        """True when a day off pushed the last day past the one the reading gives."""
        return self.last != (self.named if self.inclusive else self.named - timedelta(days=1))


def _slot(form: FormDef, slot: str) -> PeriodSlot | None:
    return next((s for s in form.calendar.periods if s.slot == slot), None)


def due_date(form: FormDef, year: int, slot: str, collector_kind: str | None) -> DueDate | None:
    """The due date of a unit whose collector is of `collector_kind` (as `Period.due_for` picks it)."""
    s = _slot(form, slot)
    if s is None:
        return None
    raw = s.due_by_collector.get(collector_kind or "") if collector_kind else None
    named = _day(year, raw) if raw else (_day(year, s.due) if s.due else
                                         max(_day(year, d) for d in s.due_by_collector.values()))
    return DueDate(named, last_day(named, form.calendar), form.calendar.inclusive)


def forward_due_date(form: FormDef, year: int, slot: str, collector_kind: str) -> DueDate | None:
    """When a collecting unit of `collector_kind` forwards its roll-up (as `Period.forward_due` picks it)."""
    s = _slot(form, slot)
    if s is None:
        return None
    raw = s.forward_by_collector.get(collector_kind) or s.forward_by
    if not raw:
        return None
    named = _day(year, raw)
    return DueDate(named, last_day(named, form.calendar), form.calendar.inclusive)


def plan_periods(form: FormDef, until_year: int) -> list[PeriodPlan]:
    """Every period from the form's first year through `until_year`, in date order."""
    plans = [plan_slot(form, y, s) for y in range(form.first_year, until_year + 1) for s in form.calendar.periods]
    return sorted(plans, key=lambda p: p.due_on)
