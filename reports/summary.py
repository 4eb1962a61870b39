"""Everything a summary shows, gathered once and rendered as text, chart or workbook."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func

from reports.aggregate import Aggregate, by_period
from reports.among import restricted
from reports.chain import RollUp, rollups
from reports.completeness import Completeness, UnitRow, display_name, tally
from reports.forms import FormInfo, Indicator, TargetInfo
from reports.periods import previous_year_last, year_fraction, year_periods
from reports.queries import SubmissionState, grouped, submitted_answers
from reports.scope import Scope
from reports.status import Status, assess
from storage.models import Answer, Period, Submission, Unit
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Line:
    """One indicator in the summary."""

    q: Indicator
    agg: Aggregate | None
    previous: Aggregate | None
    status: Status
    expected: int
    goal: TargetInfo | None


@dataclass
class Summary:
    """A form's period in a scope: completeness, one line per indicator, and the year so far."""

    form: FormInfo
    period: Period
    scope: Scope
    at: datetime
    today: date
    units: dict[int, UnitRow]
    expected: list[UnitRow]
    states: dict[int, SubmissionState]
    completeness: Completeness
    previous_period: Period | None
    lines: list[Line]
    year: list[Period] = field(default_factory=list)
    year_aggregates: dict[int, dict[str, Aggregate]] = field(default_factory=dict)
    rollups: list[RollUp] = field(default_factory=list)  # the collecting units' forwardings in the scope

    @property
    def provisional(self) -> int:
        """Provisional values counted in this period's figures."""
        return sum(line.agg.provisional for line in self.lines if line.agg)


def build_summary(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime,
                  with_year: bool = False) -> Summary:
    """Gather a summary; `with_year` adds every period of the year (the workbook's Q1–Q4 columns)."""
    today = at.date()
    units, expected, states, counts = tally(uow, scope, form, period, today)
    year = year_periods(uow, period) if with_year else [period]
    figures = figures_for(uow, scope, form, period, form.indicators, expected, year)
    names = {u.id: display_name(u, units, "vi") for u in units.values()}
    return Summary(form, period, scope, at, today, units, expected, states, counts, figures.previous_period,
                   figures.lines, year, {p.id: figures.aggregates.get(p.id, {}) for p in year},
                   rollups(uow, scope, period, units, expected, names))


@dataclass(frozen=True)
class Figures:
    """Lines of some indicators, and every aggregate computed on the way (by period id)."""

    lines: list[Line]
    aggregates: dict[int, dict[str, Aggregate]]
    previous_period: Period | None


def figures_for(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, indicators: tuple[Indicator, ...],
                expected: list[UnitRow], more: list[Period] | None = None) -> Figures:
    """One SQL aggregation for this period, the previous one, last year's last one (and `more`)."""
    previous, baseline = uow.periods.previous(period), previous_year_last(uow, period)
    ids = sorted({p.id for p in (period, previous, baseline, *(more or [])) if p is not None})
    aggregates = by_period(indicators, grouped(uow, scope, ids, indicators))
    _name_left_out(uow, scope, period, aggregates.get(period.id, {}))

    def at(p: Period | None, key: str) -> Aggregate | None:
        return aggregates.get(p.id, {}).get(key) if p else None

    kinds: dict[str, int] = {}
    for u in expected:
        kinds[u.kind] = kinds.get(u.kind, 0) + 1
    lines = [_line(form, scope, period, q, at(period, q.key), at(previous, q.key), at(baseline, q.key), kinds)
             for q in indicators]
    lines = [restricted(uow, scope, form, period, line) for line in lines]  # targets counting some units only
    return Figures(lines, aggregates, previous)


def _name_left_out(uow: UnitOfWork, scope: Scope, period: Period, found: dict[str, Aggregate]) -> None:
    """Name the units a weighted figure left out (they gave only percentages): the method says who."""
    keys = [key for key, agg in found.items() if agg.left_out]
    if not keys:
        return
    stmt = submitted_answers(uow, scope, [period.id]).add_columns(Answer.question_key, Unit.name) \
        .where(Answer.question_key.in_(keys), func.coalesce(Answer.basis, "") != "counts")
    if scope.everything:  # submitted_answers joins units only for a subtree
        stmt = stmt.join(Unit, Unit.id == Submission.unit_id)
    names: dict[str, list[str]] = {}
    for key, name in uow.session.execute(stmt.order_by(Unit.path)):
        names.setdefault(key, []).append(name)
    for key in keys:
        found[key] = replace(found[key], left_out_names=tuple(names.get(key, ())))


def _line(form: FormInfo, scope: Scope, period: Period, q: Indicator, agg: Aggregate | None,
          previous: Aggregate | None, base: Aggregate | None, kinds: dict[str, int]) -> Line:
    scopes = scope.target_scopes()
    target = form.target_for(q.key, period.year, scopes)
    reference = None if target else form.reference_target(q.key, period.year, scopes)
    last_target = form.target_for(q.key, period.year - 1, scopes)
    baseline = base.value if base and base.value is not None else (last_target.number if last_target else None)
    status = assess(q, agg.value if agg else None, target, reference, baseline, year_fraction(period))
    providers = sum(kinds.get(kind, 0) for kind in q.providers)
    goal_year = form.goal_year(period.year)
    goal = form.target_for(q.key, goal_year, scopes) if goal_year else None
    return Line(q, agg, previous, status, providers, goal)
