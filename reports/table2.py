"""Form 2's own table: one row per press agency and per collecting unit above, one column per item.

A collecting unit's row rolls up its agencies with its own targets (its subtree's summary): a share
target reads as units meeting it («2/3 cơ quan đạt (≥ 20%)»), and for revenue the summed figure goes
beside it («tổng: +13,6% (24.500/21.000)»), so nobody reads "100%" as revenue growth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from reports.aggregate import Aggregate, by_period, rule_text, show
from reports.chain import RollUp
from reports.chain import rollups as all_rollups
from reports.completeness import UnitRow, display_name
from reports.forms import FormInfo, Indicator
from reports.queries import grouped
from reports.rows import answer_rows
from reports.scope import Root, Scope
from reports.summary import Line, Summary, build_summary
from reports.texts import t
from storage.models import Period, SubmissionStatus
from storage.uow import UnitOfWork
from storage.values import Shape, Value, fmt_number, fmt_percent, format_value

SUMMED_BESIDE = (Shape.GROWTH, Shape.RATIO)  # share-meeting items whose summed figure is shown too


@dataclass(frozen=True)
class AgencyRow:
    """One press agency: its sending state and its answer to each item (as typed, normalised)."""

    unit: UnitRow
    name: str
    state: str
    cells: dict[str, str]


@dataclass(frozen=True)
class Group:
    """A collecting unit with its roll-up (its subtree's summary) and its agencies."""

    unit: UnitRow
    name: str
    summary: Summary
    cells: dict[str, str]
    agencies: list[AgencyRow]
    rollup: RollUp | None


@dataclass(frozen=True)
class Table2:
    """The table for a scope: groups, and the scope's own roll-up when it spans several groups."""

    form: FormInfo
    period: Period
    scope: Scope
    at: datetime
    items: tuple[Indicator, ...]
    groups: list[Group]
    total: Summary


def meeting_text(line: Line, lang: str) -> str:
    """`2/3 cơ quan đạt (≥ 20%)` for a share-meeting item, else the figure as the table writes it."""
    agg = line.agg
    if agg is None or agg.value is None:
        return "—"
    if agg.method.startswith("share_meeting"):
        return t("table2.meeting", lang, met=fmt_number(agg.numerator or 0, lang, 0),
                 n=fmt_number(agg.denominator or 0, lang, 0), rule=rule_text(line.q, lang),
                 share=fmt_percent(agg.value, lang, 1))
    return show(line.q, agg, lang)


def summed(uow: UnitOfWork, scope: Scope, period: Period, q: Indicator) -> Aggregate | None:
    """The item summed over units (Σ this year / Σ last year), whatever its roll-up rule."""
    weighted = replace(q, aggregation="weighted", meets=None)
    return by_period((weighted,), grouped(uow, scope, [period.id], (weighted,))).get(period.id, {}).get(q.key)


def group_cells(uow: UnitOfWork, s: Summary, lang: str) -> dict[str, str]:
    """The roll-up of each item for one scope, revenue with its summed figure beside the share meeting it."""
    cells = {}
    for line in s.lines:
        text = meeting_text(line, lang)
        if line.q.aggregation == "share_meeting" and line.q.shape in SUMMED_BESIDE:
            total = summed(uow, s.scope, s.period, line.q)
            if total is not None and total.value is not None:
                text += "\n" + t("table2.summed", lang, value=show(replace(line.q, aggregation="weighted"), total, lang))
        cells[line.q.key] = text
    return cells


def agency_rows(uow: UnitOfWork, s: Summary, parent_path: str, lang: str) -> list[AgencyRow]:
    """Agencies directly under `parent_path` that the period expects, with their sent answers."""
    rows, _ = answer_rows(uow, s.scope, s.period.id, s.form)
    by_unit: dict[int, dict[str, str]] = {}
    for r in rows:
        if r.status == SubmissionStatus.SUBMITTED and r.value is not None:
            by_unit.setdefault(r.unit_id, {})[r.key] = format_value(Value.from_json(r.value), lang) + (
                t("table2.provisional", lang) if r.provisional else "")
    out = []
    for u in s.expected:
        if u.kind != "agency" or u.path.rstrip("/").rsplit("/", 1)[0] + "/" != parent_path:
            continue
        state = s.states.get(u.id)
        sent = state is not None and state.status == SubmissionStatus.SUBMITTED and state.submitted_at
        status = t("table2.sent", lang, at=state.submitted_at.astimezone(s.at.tzinfo).strftime("%d/%m"),
                   timing=t("table2.on_time" if state.on_time else "table2.late", lang)) if sent else \
            t("table2.not_sent", lang)
        out.append(AgencyRow(u, display_name(u, s.units, lang), status, by_unit.get(u.id, {})))
    return out


def build_table2(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime, lang: str = "vi"
                 ) -> Table2:
    """Groups for every collecting unit of the scope with agencies, each with its own subtree's targets."""
    total = build_summary(uow, scope, form, period, at)
    parents = sorted({u.path.rstrip("/").rsplit("/", 1)[0] + "/" for u in total.expected if u.kind == "agency"})
    by_path = {u.path: u for u in total.units.values()}
    names = {u.id: display_name(u, total.units, lang) for u in total.units.values()}
    # the scope's own root included: its row shows whether it forwarded
    rollups = {r.unit.id: r for r in all_rollups(uow, Scope(), period, total.units, total.expected, names)}
    groups = []
    for path in parents:
        unit = by_path.get(path)
        if unit is None:
            continue
        sub = build_summary(uow, Scope((Root(unit.id, unit.code, unit.name, unit.path),)), form, period, at)
        groups.append(Group(unit, display_name(unit, total.units, lang), sub, group_cells(uow, sub, lang),
                            agency_rows(uow, sub, path, lang), rollups.get(unit.id)))
    return Table2(form, period, scope, at, form.indicators, groups, total)
