"""The overview's data: the same completeness `/tonghop` reports, and one line per expected unit.

Built from the reports layer only: `tally` (expected units, their submissions, the counts the chat's
summary prints), `head_lines` (the summary's own sentences), `provisional_keys` and `focal_contacts`
(what `/thieu` shows). Nothing here aggregates answers, so the page stays fast at 10,000 units; the
indicator figures are on the chart and on the indicator page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from reports.completeness import Completeness, Counts, UnitRow, display_name, due_of, tally
from reports.contacts import Contact, contact_text, focal_contacts
from reports.forms import FormInfo
from reports.missing import provisional_keys
from reports.queries import SubmissionState
from reports.scope import Scope
from reports.summary import Summary
from reports.text import head_lines
from reports.texts import t
from storage.models import Period, SubmissionStatus
from storage.uow import UnitOfWork

# Status of a unit in a period, in the order "sort by status" puts them (most in need first).
STATUSES = ("none", "draft", "provisional", "late", "on_time")


@dataclass(frozen=True)
class UnitLine:
    """One expected unit on the overview."""

    unit: UnitRow
    name: str
    status: str
    submitted_at: datetime | None
    on_time: bool | None
    answered: int
    overdue_days: int
    provisional: tuple[str, ...]


@dataclass(frozen=True)
class Collector:
    """A province or ministry and the press agencies it collects from (Form 2), with their counts."""

    code: str
    name: str
    counts: Counts


@dataclass
class Overview:
    """Everything the overview page shows for a form's period in a scope."""

    form: FormInfo
    period: Period
    scope: Scope
    at: datetime
    summary: Summary
    head: list[str]
    provisional_values: int
    lines: list[UnitLine]
    collectors: list[Collector] = field(default_factory=list)

    @property
    def counts(self) -> Completeness:
        """The completeness counts, exactly as the summary has them."""
        return self.summary.completeness

    def by_status(self) -> dict[str, int]:
        """How many expected units are in each status."""
        found = dict.fromkeys(STATUSES, 0)
        for line in self.lines:
            found[line.status] += 1
        return found


def status_of(state: SubmissionState | None, provisional: bool) -> str:
    """`none`, `draft`, `provisional` (sent with provisional values), `late` or `on_time`."""
    if state is None:
        return "none"
    if state.status != SubmissionStatus.SUBMITTED:
        return "draft"
    if provisional:
        return "provisional"
    return "on_time" if state.on_time else "late"


@dataclass(frozen=True)
class Tallied:
    """The costly part of an overview (kept between clicks while the data is unchanged)."""

    summary: Summary
    provisional_values: int
    lines: list[UnitLine]
    collectors: list[Collector]


Keep = Callable[[Callable[[], Tallied]], Tallied]


def overview(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime, lang: str,
             keep: Keep | None = None) -> Overview:
    """The overview of `form`'s `period` in `scope`, as of `at` (local time); `keep` may reuse a tally."""
    def make() -> Tallied:
        return tallied(uow, scope, form, period, at, lang)

    kept = keep(make) if keep else make()
    summary = replace(kept.summary, at=at)
    extra = [t("summary.provisional", lang, count=kept.provisional_values)] if kept.provisional_values else []
    return Overview(form, period, scope, at, summary, head_lines(summary, lang) + extra, kept.provisional_values,
                    kept.lines, kept.collectors)


def tallied(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime, lang: str) -> Tallied:
    """Expected units, their submissions and the counts (`tally`, as the summary has them), one line each."""
    today = at.date()
    units, expected, states, counts = tally(uow, scope, form, period, today)
    summary = Summary(form, period, scope, at, today, units, expected, states, counts, None, [])
    provisional = provisional_keys(uow, scope, period.id)
    counted = {q.key for q in form.indicators if q.aggregation != "none"}  # what the summary's figures count
    values = sum(1 for keys in provisional.values() for key in keys if key in counted)
    numbers = {q.key: q.number for q in form.indicators}
    due = _dues(period)
    lines = []
    for u in expected:
        state = states.get(u.id)
        keys = tuple(numbers.get(k, k) for k in provisional.get(u.id, ()))
        status = status_of(state, bool(keys))
        late = max(0, (today - due(u)).days) if status in ("none", "draft") else 0
        lines.append(UnitLine(u, display_name(u, units, lang), status, state.submitted_at if state else None,
                              state.on_time if state else None, state.answered if state else 0, late, keys))
    return Tallied(summary, values, lines, collectors(units, expected, states, due, today, lang))


def _dues(period: Period) -> Callable[[UnitRow], date]:
    """`due_of` for many units: one due date per collecting level, worked out once."""
    found: dict[str | None, date] = {}

    def due(u: UnitRow) -> date:
        if u.parent_kind not in found:
            found[u.parent_kind] = due_of(u, period)
        return found[u.parent_kind]

    return due


def collectors(units: dict[int, UnitRow], expected: list[UnitRow], states: dict[int, SubmissionState],
               due: Callable[[UnitRow], date], today: date, lang: str) -> list[Collector]:
    """The collecting units (parents) of the expected units, when there are several (Form 2's provinces)."""
    by_code = {u.code: u for u in units.values()}
    groups: dict[str, Counts] = {}
    for u in expected:
        parts = u.path.strip("/").split("/")
        parent = parts[-2] if len(parts) > 1 else None
        if parent in by_code:
            groups.setdefault(parent, Counts()).add(states.get(u.id), due(u) < today)
    if len(groups) < 2:
        return []
    return [Collector(code, display_name(by_code[code], units, lang), c) for code, c in groups.items()]


def contacts_of(uow: UnitOfWork, scope: Scope, unit_ids: list[int], lang: str) -> dict[int, str]:
    """`/thieu`'s focal-person text for each of these units."""
    found: dict[int, list[Contact]] = focal_contacts(uow, scope)
    return {uid: contact_text(found.get(uid, []), lang) for uid in unit_ids}
