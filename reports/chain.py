"""The roll-ups the level above waits for: each collecting unit of the scope, its due date, its forwarding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reports.completeness import UnitRow
from reports.scope import Scope
from reports.texts import t
from storage.models import Period
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class RollUp:
    """A collecting unit's roll-up for the period: due (None: no due date), forwarded or not."""

    unit: UnitRow
    name: str
    due: date | None
    forwarded_at: datetime | None
    on_time: bool | None
    reference: str | None
    changed_units: str | None


def _parent_path(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[0] + "/"


def rollups(uow: UnitOfWork, scope: Scope, period: Period, units: dict[int, UnitRow], expected: list[UnitRow],
            names: dict[int, str]) -> list[RollUp]:
    """Units of the scope that collect from expected units (not the scope's own roots), with their forwarding."""
    parents = {_parent_path(u.path) for u in expected}
    roots = {r.id for r in scope.roots}
    collectors = [u for u in units.values() if u.path in parents and u.id not in roots]
    if not collectors:
        return []
    records = uow.chain.rounds(period.id, [u.id for u in collectors])
    out = []
    for u in collectors:
        rec = records.get(u.id)
        forwarded = rec.last_forwarded_at if rec else None
        out.append(RollUp(u, names.get(u.id, u.name), period.forward_due(u.kind), forwarded,
                          rec.on_time if rec else None, rec.reference if rec else None,
                          rec.changed_units if rec and rec.changed_at else None))
    return out


def summary_line(items: list[RollUp], lang: str) -> str:
    """`Báo cáo tổng hợp của đơn vị thu thập: đã nhận 1/2 (đúng hạn 1).`"""
    sent = [r for r in items if r.forwarded_at is not None]
    return t("chain.summary_line", lang, sent=len(sent), total=len(items), on_time=sum(1 for r in sent if r.on_time))


def rollup_lines(items: list[RollUp], at: datetime, lang: str) -> list[str]:
    """For `/thieu`: the count, then each roll-up not forwarded (with its due date), then those forwarded."""
    if not items:
        return []
    lines = [t("chain.rollups", lang, sent=sum(1 for r in items if r.forwarded_at), total=len(items))]
    for r in sorted(items, key=lambda r: (r.forwarded_at is not None, r.due or date.max, r.unit.path)):
        lines.append(_line(r, at, lang))
    return lines


def _line(r: RollUp, at: datetime, lang: str) -> str:
    if r.forwarded_at is not None:
        timing = t("chain.no_due" if r.on_time is None else "chain.on_time" if r.on_time else "chain.late", lang)
        line = t("chain.forwarded", lang, unit=r.name, at=r.forwarded_at.astimezone(at.tzinfo).strftime("%d/%m/%Y"),
                 timing=timing)
        return line + (t("chain.changed", lang, units=r.changed_units) if r.changed_units else "")
    if r.due is None:
        return t("chain.not_forwarded_no_due", lang, unit=r.name)
    late = (at.date() - r.due).days
    key = "chain.not_forwarded_late" if late > 0 else "chain.not_forwarded"
    return t(key, lang, unit=r.name, due=r.due.strftime("%d/%m"), days=late)
