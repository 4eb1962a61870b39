"""Which period a request means: typed codes (`2026-Q3`, `Q3/2026`, `2026`), a form code, or the default.

The default is the latest period whose first due date has passed or is near. "Near" means within
the form's reminder lead time — the earliest reminder offset of its catalog file (7 days for CL,
14 for CDS; 7 when a form sets none): from then on focal persons are being nudged, so the round is
live and its progress is what an analyst asks about. Before that, the previous round is the news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from reports.errors import ReportError
from reports.forms import FormInfo
from storage.models import Period
from storage.uow import UnitOfWork

DEFAULT_LEAD_DAYS = 7
_CODE = re.compile(r"^(\d{4})(?:[-/ ]?([QHM]\d{1,2}))?$")
_SLOT_FIRST = re.compile(r"^([QHM]\d{1,2})[-/ ](\d{4})$")
_SLOT_COUNT = {"Q": 4, "H": 2, "M": 12}


@dataclass(frozen=True)
class Request:
    """What was typed after a command: a period code, a form code, other words (e.g. an indicator)."""

    period: str | None = None
    form: str | None = None
    rest: tuple[str, ...] = ()


def period_code(token: str) -> str | None:
    """`2026-Q3` for `2026-q3`, `2026Q3`, `Q3/2026`, `q3-2026`; `2026` for a year; None otherwise."""
    text = token.strip().upper()
    if m := _CODE.match(text):
        return f"{m[1]}-{m[2]}" if m[2] else m[1]
    if m := _SLOT_FIRST.match(text):
        return f"{m[2]}-{m[1]}"
    return None


def parse_request(args: str, form_codes: set[str]) -> Request:
    """Split command arguments into period, form and the rest, in any order."""
    period = form = None
    rest: list[str] = []
    for token in args.split():
        if token.upper() in form_codes and form is None:
            form = token.upper()
        elif (code := period_code(token)) and period is None:
            period = code
        else:
            rest.append(token)
    return Request(period, form, tuple(rest))


def first_due(period: Period) -> date:
    """The earliest due date of a period (yearly rounds have one per collecting level)."""
    dates = [date.fromisoformat(d) for d in (period.deadlines or {}).values()]
    return min([period.due_on, *dates])


def year_fraction(period: Period) -> float:
    """How much of the year the period closes: Q1 ¼ … Q4 1, H1 ½, M03 ¼, a yearly round 1."""
    slot = period.slot.upper()
    if slot[:1] in _SLOT_COUNT and slot[1:].isdigit():
        return min(1.0, int(slot[1:]) / _SLOT_COUNT[slot[0]])
    return 1.0


def lead_days(form: FormInfo) -> int:
    """How long before the due date a period counts as near (the form's first reminder)."""
    early = [-d for d in form.reminder_offsets if d < 0]
    return max(early) if early else DEFAULT_LEAD_DAYS


def resolve(uow: UnitOfWork, request: Request, forms: list[FormInfo], today: date) -> tuple[FormInfo, Period]:
    """The form and period a request names, or the default period of the forms given."""
    if request.form:
        forms = [f for f in forms if f.code == request.form]
        if not forms:
            raise ReportError("unknown_form", form=request.form)
    if request.period:
        return _named(uow, request.period, forms)
    return _default(uow, forms, today)


def _named(uow: UnitOfWork, code: str, forms: list[FormInfo]) -> tuple[FormInfo, Period]:
    by_code = {f.code: f for f in forms}
    found = [p for p in uow.periods.by_code_any_form(code) if p.form_code in by_code]
    if not found:
        names = ", ".join(by_code)
        raise ReportError("unknown_period", period=code, forms=names)
    if len(found) > 1:
        raise ReportError("ambiguous_period", period=code, forms=", ".join(p.form_code for p in found))
    return by_code[found[0].form_code], found[0]


def _default(uow: UnitOfWork, forms: list[FormInfo], today: date) -> tuple[FormInfo, Period]:
    best: tuple[date, str, FormInfo, Period] | None = None
    for form in forms:
        horizon = today + timedelta(days=lead_days(form))
        periods = uow.session.scalars(select(Period).where(Period.form_code == form.code,
                                                           Period.opens_on <= horizon)).all()
        live = [p for p in periods if first_due(p) <= horizon]
        for p in live:
            key = (first_due(p), form.code, form, p)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        raise ReportError("no_period")
    return best[2], best[3]


def previous_year_last(uow: UnitOfWork, period: Period) -> Period | None:
    """The last period of the year before `period`'s year (the baseline of the year's progress)."""
    return uow.session.scalar(select(Period).where(Period.form_code == period.form_code,
                                                   Period.year == period.year - 1)
                              .order_by(Period.due_on.desc()).limit(1))


def year_periods(uow: UnitOfWork, period: Period) -> list[Period]:
    """Every period of the same form and year, in order (Q1…Q4, or the single yearly round)."""
    return list(uow.session.scalars(select(Period).where(Period.form_code == period.form_code,
                                                         Period.year == period.year).order_by(Period.due_on)))
