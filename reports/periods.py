"""Which period a request means: typed codes (`2026-Q3`, `Q3/2026`, `2026`), a form code, or the default.

The default is the latest period whose first due date has passed or is near. "Near" means within
the form's reminder lead time — the earliest reminder offset of its catalog file (7 days for CL,
14 for CDS; 7 when a form sets none): from then on focal persons are being nudged, so the round is
live and its progress is what an analyst asks about. Before that, the previous round is the news.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from reports.errors import ReportError
from reports.forms import FormInfo
from reports.texts import t
from storage.models import Period
from storage.period_names import period_name, read_period, with_codes
from storage.uow import UnitOfWork

DEFAULT_LEAD_DAYS = 7
_SLOT_COUNT = {"Q": 4, "H": 2, "M": 12}


@dataclass(frozen=True)
class Request:
    """What was typed after a command: a period code, a form code, other words (e.g. an indicator)."""

    period: str | None = None
    form: str | None = None
    rest: tuple[str, ...] = ()


def period_code(token: str) -> str | None:
    """`2026-Q3` for `2026-q3`, `2026Q3`, `Q3/2026`, `quý III/2026`; `2026` for `2026` or `năm 2026`; else None."""
    return read_period(token)


def parse_request(args: str, form_codes: set[str]) -> Request:
    """Split command arguments into period, form and the rest, in any order (period names read as codes)."""
    period = form = None
    rest: list[str] = []
    for token in with_codes(args.split()):
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
        return _named(uow, request.period, forms, today)
    return _default(uow, forms, today)


def _named(uow: UnitOfWork, code: str, forms: list[FormInfo], today: date | None = None) -> tuple[FormInfo, Period]:
    by_code = {f.code: f for f in forms}
    found = [p for p in uow.periods.by_code_any_form(code) if p.form_code in by_code]
    if not found:
        raise ReportError("no_such_period", period=code, valid=valid_periods(uow, forms, today))
    if len(found) > 1:
        raise ReportError("ambiguous_period", period=code, forms=", ".join(p.form_code for p in found))
    return by_code[found[0].form_code], found[0]


def valid_periods(uow: UnitOfWork, forms: list[FormInfo], today: date | None = None) -> Callable[[str], str]:
    """The periods there are (opened by `today`), in words, per form: `biểu CL từ Quý I/2023 đến Quý IV/2026; …`."""
    spans = []
    for f in forms:
        stmt = select(Period.code).where(Period.form_code == f.code).order_by(Period.due_on)
        codes = list(uow.session.scalars(stmt.where(Period.opens_on <= today) if today else stmt))
        if codes:
            spans.append((f.code, codes[0], codes[-1]))

    def words(lang: str) -> str:
        return "; ".join(t("errors.form_periods", lang, form=code, first=period_name(first, lang),
                           last=period_name(last, lang)) for code, first, last in spans) or "—"

    return words


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
