"""Forms as reports read them: indicators, sections and targets of a form's newest version.

Read straight from `Form.definition` (the validated catalog file stored as JSON), so reports need
nothing from the dialogue package: `aggregation`, `direction`, `meets`, `providers`, `outlier`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from reports.errors import ReportError
from storage.models import Form, Target, Unit
from storage.uow import UnitOfWork
from storage.values import Shape, Value

PERCENT_SHAPES = (Shape.SHARE_PAIR, Shape.RATIO, Shape.PERCENT, Shape.GROWTH)


@dataclass(frozen=True)
class Indicator:
    """One question of a form: an indicator (aggregated) or a free-text section."""

    key: str
    number: str
    label: str
    short_label: str
    shape: Shape
    aggregation: str
    direction: str
    meets: dict[str, Any] | None
    providers: tuple[str, ...]
    is_section: bool
    optional: bool
    unit_of_measure: str | None
    outlier_pct: float

    @property
    def percent_like(self) -> bool:
        """True when the headline figure is a percentage (shares, growth, share of units meeting)."""
        return self.aggregation == "share_meeting" or (
            self.shape in PERCENT_SHAPES and self.aggregation not in ("sum",))

    @property
    def sign(self) -> int:
        """+1 when more is better, -1 when less is better (direction: down)."""
        return -1 if self.direction == "down" else 1


@dataclass(frozen=True)
class TargetInfo:
    """A yearly target for one indicator; `number` is comparable with the aggregate's headline."""

    key: str
    year: int
    scope: str | None
    text: str
    kind: str
    number: Decimal | None
    wording: str = ""  # "50% cơ quan báo chí có doanh thu tăng từ 20% trở lên" (what a share counts)
    source: str | None = None  # document and clause
    among: str | None = None  # the share counts only units answering yes to this question

    @property
    def shown(self) -> str:
        """The target as people read it: its wording, else the value as written."""
        return self.wording or self.text


@dataclass(frozen=True)
class FormInfo:
    """The newest version of a form with its targets."""

    form_id: int
    code: str
    title: str
    short_title: str
    numbering: str
    indicators: tuple[Indicator, ...]
    sections: tuple[Indicator, ...]
    targets: tuple[TargetInfo, ...]
    reminder_offsets: tuple[int, ...]
    definition: dict[str, Any] | None = None

    def goal_year(self, year: int) -> int | None:
        """The goal shown beside year `year`: the first goal year from `year` on (2025, then 2030), else the last."""
        years = sorted({x.year for x in self.targets if x.kind == "goal"})
        return next((y for y in years if y >= year), years[-1] if years else None)

    def report(self) -> dict[str, Any]:
        """The catalog's `report:` block (titles, outline, addressee), empty when the form has none."""
        return (self.definition or {}).get("report") or {}

    def indicator(self, key: str) -> Indicator:
        """The indicator or section with this key."""
        return next(q for q in (*self.indicators, *self.sections) if q.key == key)

    def by_number(self, number: str) -> Indicator | None:
        """The indicator numbered `number` (as printed) or keyed `number`."""
        wanted = number.strip().lower()
        return next((q for q in self.indicators if q.number.lower() == wanted or q.key == wanted), None)

    def provides(self, kind: str) -> bool:
        """True when units of `kind` answer any question of this form."""
        return any(kind in q.providers for q in (*self.indicators, *self.sections))

    def target_for(self, key: str, year: int, scopes: list[str]) -> TargetInfo | None:
        """The target of `year`: the nearest scope in `scopes` (a unit, then its ancestors), else national."""
        of_year = [x for x in self.targets if x.key == key and x.year == year]
        for scope in scopes:
            found = next((x for x in of_year if x.scope == scope), None)
            if found:
                return found
        return next((x for x in of_year if x.scope is None), None)

    def reference_target(self, key: str, year: int, scopes: list[str]) -> TargetInfo | None:
        """For a year without a target: the latest earlier one, else the nearest later one."""
        years = sorted({x.year for x in self.targets if x.key == key})
        earlier = [y for y in years if y < year][::-1]
        later = [y for y in years if y > year]
        return next((found for y in (*earlier, *later) if (found := self.target_for(key, y, scopes))), None)


def _indicator(q: dict[str, Any], default_outlier: float, position: int) -> Indicator:
    outlier = (q.get("outlier") or {}).get("max_change_pct") or default_outlier
    return Indicator(
        key=q["key"], number=str(q.get("number") or position + 1), label=q["label"],
        short_label=q.get("short_label") or q["label"], shape=Shape(q.get("shape", "text")),
        aggregation=q.get("aggregation", "sum"), direction=q.get("direction", "up"), meets=q.get("meets"),
        providers=tuple(q.get("providers", ())), is_section=q.get("kind") == "section",
        optional=bool(q.get("optional")), unit_of_measure=q.get("unit_of_measure"), outlier_pct=float(outlier))


def _target(t: Target, codes: dict[int, str], questions: dict[str, dict[str, Any]]) -> TargetInfo:
    value = Value.from_json(t.value)
    scope = codes.get(t.scope_unit_id) if t.scope_unit_id else None
    q = questions.get(t.question_key) or {}
    d = next((d for d in q.get("targets") or () if d["year"] == t.year and d.get("scope") == scope), {})
    counts = d.get("counts") or q.get("target_counts")
    wording = f"{d['value']} {counts}" if d and counts else ""
    return TargetInfo(t.question_key, t.year, scope, t.text, t.kind, value.number, wording, d.get("source"),
                      d.get("among"))


def form_info(uow: UnitOfWork, code: str) -> FormInfo:
    """The newest version of form `code` as reports use it."""
    form = uow.forms.latest(code.upper())
    if form is None:
        raise ReportError("unknown_form", form=code)
    return _build(uow, form)


def _build(uow: UnitOfWork, form: Form) -> FormInfo:
    d = form.definition
    default_outlier = float((d.get("outlier") or {}).get("max_change_pct") or 50)
    questions = [_indicator(q, default_outlier, i) for i, q in enumerate(d["questions"])]
    targets = list(uow.forms.targets(form.id))
    scope_ids = {x.scope_unit_id for x in targets if x.scope_unit_id}
    codes = dict(uow.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(scope_ids))).all()) \
        if scope_ids else {}
    offsets = tuple((d.get("reminders") or {}).get("offsets_days") or ())
    by_key = {q["key"]: q for q in d["questions"]}
    return FormInfo(form.id, form.code, form.title, d.get("short_title") or form.title, d.get("numbering", "Câu"),
                    tuple(q for q in questions if not q.is_section), tuple(q for q in questions if q.is_section),
                    tuple(_target(x, codes, by_key) for x in targets), offsets, d)


def all_forms(uow: UnitOfWork) -> list[FormInfo]:
    """The newest version of every form, by code."""
    return [_build(uow, f) for f in uow.forms.latest_all()]
