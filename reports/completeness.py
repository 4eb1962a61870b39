"""Who was expected to report, who did, on time or late: DHIS2's reporting rate and rate on time.

Expected units: active on their own due date for the period (which may depend on the collecting
level), inside the scope, of a kind that answers at least one question of the form. A unit merged
away (`successor_id`) is shown under its current name; its own submissions still count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import aliased

from reports.forms import FormInfo
from reports.queries import SubmissionState, submission_states
from reports.scope import Scope, scope_clause
from reports.texts import t
from storage.models import Period, SubmissionStatus, Unit
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class UnitRow:
    """A unit of the scope, with what reports need to place and name it."""

    id: int
    code: str
    name: str
    kind: str
    path: str
    parent_kind: str | None
    active_from: date | None
    active_to: date | None
    successor_id: int | None

    def active_on(self, day: date) -> bool:
        """True when the unit existed on `day`."""
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to)


def scope_units(uow: UnitOfWork, scope: Scope) -> dict[int, UnitRow]:
    """Every unit of the scope (merged ones included), by id, in path order."""
    parent = aliased(Unit)
    stmt = (select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.path, parent.kind, Unit.active_from,
                   Unit.active_to, Unit.successor_id)
            .outerjoin(parent, parent.id == Unit.parent_id).where(scope_clause(uow, scope)).order_by(Unit.path))
    return {r[0]: UnitRow(*r) for r in uow.session.execute(stmt)}


def display_name(unit: UnitRow, units: dict[int, UnitRow], lang: str) -> str:
    """The unit's name; a merged unit appears under its current name: `Quảng Trị (Quảng Bình cũ)`."""
    current, seen = unit, {unit.id}
    while current.successor_id and current.successor_id in units and current.successor_id not in seen:
        current = units[current.successor_id]
        seen.add(current.id)
    return unit.name if current is unit else t("common.merged_name", lang, current=current.name, former=unit.name)


def due_of(unit: UnitRow, period: Period) -> date:
    """The unit's due date: yearly rounds differ by collecting level (province, ministry, central)."""
    return period.due_for(unit.parent_kind)


def expected_units(units: dict[int, UnitRow], form: FormInfo, period: Period) -> list[UnitRow]:
    """Units that should report for the period, in path order."""
    return [u for u in units.values() if form.provides(u.kind) and u.active_on(due_of(u, period))]


@dataclass
class Counts:
    """Expected units by state; rates in percent."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    drafts: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Reporting rate: submitted / expected × 100."""
        return Decimal(self.submitted * 100) / self.expected if self.expected else None

    @property
    def rate_on_time(self) -> Decimal | None:
        """Reporting rate on time: submitted by the due date / expected × 100."""
        return Decimal(self.on_time * 100) / self.expected if self.expected else None

    def add(self, state: SubmissionState | None, overdue: bool) -> None:
        """Count one expected unit."""
        self.expected += 1
        if state is not None and state.status == SubmissionStatus.SUBMITTED:
            self.submitted += 1
            self.on_time += 1 if state.on_time else 0
            self.late += 0 if state.on_time else 1
            return
        self.drafts += 1 if state is not None else 0
        self.not_started += 1 if state is None else 0
        self.overdue += 1 if overdue else 0


@dataclass
class Completeness(Counts):
    """Counts for the whole scope, per unit kind, and `extra`: sent by units not expected (kept in totals)."""

    by_kind: dict[str, Counts] = field(default_factory=dict)
    extra: int = 0


def completeness(expected: list[UnitRow], states: dict[int, SubmissionState], period: Period,
                 today: date) -> Completeness:
    """Tally expected units, overall and by kind."""
    c = Completeness()
    for u in expected:
        state, overdue = states.get(u.id), due_of(u, period) < today
        c.add(state, overdue)
        c.by_kind.setdefault(u.kind, Counts()).add(state, overdue)
    ids = {u.id for u in expected}
    c.extra = sum(1 for uid, s in states.items() if uid not in ids and s.status == SubmissionStatus.SUBMITTED)
    return c


def tally(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, today: date
          ) -> tuple[dict[int, UnitRow], list[UnitRow], dict[int, SubmissionState], Completeness]:
    """Units of the scope, the expected ones, their submission states and the counts."""
    units = scope_units(uow, scope)
    expected = expected_units(units, form, period)
    states = submission_states(uow, scope, period.id)
    return units, expected, states, completeness(expected, states, period, today)
