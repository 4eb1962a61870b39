"""`/chitieu N`: one indicator across the scope's units — sorted, outliers flagged, missing units named.

Outliers, two tests on each unit's headline figure (share, growth or value):
- Tukey's fences: below Q1 − 1.5·IQR or above Q3 + 1.5·IQR of this period's figures (quartiles by
  the inclusive method; at least 4 figures; not for yes/no answers, whose spread means nothing);
- a jump: more than the form's outlier limit (`outlier.max_change_pct`, 50% by default) away from
  the unit's own figure of the previous period, relative to it — the rule the dialogue already uses
  to ask a focal person to confirm such a value.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from reports.completeness import UnitRow, display_name, tally
from reports.forms import FormInfo, Indicator
from reports.scope import Scope, scope_clause
from reports.summary import Line, figures_for
from storage.models import Answer, Period, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork
from storage.values import Shape, Value, format_value


@dataclass(frozen=True)
class UnitValue:
    """One unit's answer to the indicator."""

    unit: UnitRow
    name: str
    shown: str
    number: Decimal | None
    provisional: bool
    note: str | None
    previous: Decimal | None
    flags: tuple[str, ...]


@dataclass
class IndicatorTable:
    """Everything `/chitieu` shows."""

    form: FormInfo
    period: Period
    scope: Scope
    at: datetime
    line: Line
    values: list[UnitValue]
    missing: list[tuple[UnitRow, str, str]]
    fences: tuple[Decimal, Decimal] | None


def _answers(uow: UnitOfWork, scope: Scope, period_ids: list[int], key: str) -> list[tuple]:
    stmt = (select(Submission.period_id, Submission.unit_id, Answer.value, Answer.provisional, Answer.note)
            .join(Submission, Submission.id == Answer.submission_id).join(Unit, Unit.id == Submission.unit_id)
            .where(Submission.period_id.in_(period_ids), Submission.status == SubmissionStatus.SUBMITTED,
                   Answer.question_key == key, Answer.value.is_not(None), scope_clause(uow, scope)))
    return list(uow.session.execute(stmt))


def fences(q: Indicator, numbers: list[Decimal]) -> tuple[Decimal, Decimal] | None:
    """Tukey's fences of the figures, or None when they do not apply."""
    if q.shape is Shape.YES_NO or len(numbers) < 4:
        return None
    q1, _, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
    spread = (q3 - q1) * Decimal("1.5")
    return q1 - spread, q3 + spread


def _flags(q: Indicator, number: Decimal | None, previous: Decimal | None,
           limits: tuple[Decimal, Decimal] | None) -> tuple[str, ...]:
    if number is None:
        return ()
    flags = []
    if limits and number < limits[0]:
        flags.append("low")
    if limits and number > limits[1]:
        flags.append("high")
    if previous not in (None, 0) and abs(number - previous) * 100 / abs(previous) > Decimal(str(q.outlier_pct)):
        flags.append("jump")
    return tuple(flags)


def indicator_table(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, q: Indicator, at: datetime,
                    lang: str = "vi") -> IndicatorTable:
    """The indicator across the scope's units for the period."""
    units, expected, states, _ = tally(uow, scope, form, period, at.date())
    figures = figures_for(uow, scope, form, period, (q,), expected)
    previous = figures.previous_period
    rows = _answers(uow, scope, [period.id] + ([previous.id] if previous else []), q.key)
    before = {uid: Value.from_json(v).number for pid, uid, v, _, _ in rows if previous and pid == previous.id}
    now = [(uid, Value.from_json(v), prov, note) for pid, uid, v, prov, note in rows if pid == period.id]
    limits = fences(q, [v.number for _, v, _, _ in now if v.number is not None])
    values = [UnitValue(units[uid], display_name(units[uid], units, lang), format_value(v, lang), v.number, prov,
                        note, before.get(uid), _flags(q, v.number, before.get(uid), limits))
              for uid, v, prov, note in now if uid in units]
    values.sort(key=lambda x: (x.number is None, -(x.number or 0) * q.sign, x.unit.path))
    answered = {x.unit.id for x in values}
    missing = [(u, display_name(u, units, lang), "draft" if u.id in states else "none")
               for u in expected if u.kind in q.providers and u.id not in answered]
    return IndicatorTable(form, period, scope, at, figures.lines[0], values, missing, limits)
