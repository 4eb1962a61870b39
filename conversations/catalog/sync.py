"""Write the validated catalog into storage: idempotent, a changed form becomes a new version."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from conversations.catalog.calendar import PeriodPlan, plan_periods
from conversations.catalog.loader import CatalogError, LoadedForm
from conversations.catalog.schema import FormDef, QuestionDef, UnitDef
from conversations.forms import answer_spec
from conversations.parsing import AnswerSpec, Refusal, parse_answer
from storage.models import Form, Period, Question, Target, Unit
from storage.uow import UnitOfWork
from storage.values import Shape, Value


@dataclass
class SyncReport:
    """What a load changed, line by line, for the CLI to print."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def touched(self) -> bool:
        """True when anything was written."""
        return bool(self.added or self.changed)


def _order(units: list[UnitDef], source: Path | str) -> list[UnitDef]:
    """Parents before children; a cycle is a catalog error."""
    by_code = {u.code: u for u in units}
    ordered: list[UnitDef] = []
    state: dict[str, int] = {}

    def visit(u: UnitDef, trail: list[str]) -> None:
        if state.get(u.code) == 2:
            return
        if state.get(u.code) == 1:
            raise CatalogError(source, f"units ({u.code})", f"parent cycle {' → '.join([*trail, u.code])}")
        state[u.code] = 1
        if u.parent and u.parent in by_code:
            visit(by_code[u.parent], [*trail, u.code])
        state[u.code] = 2
        ordered.append(u)

    for u in units:
        visit(u, [])
    return ordered


def sync_units(uow: UnitOfWork, units: list[UnitDef], source: Path | str = "units") -> SyncReport:
    """Insert new units and update changed ones by code; parents may be existing units."""
    report = SyncReport()
    for d in _order(units, source):
        unit = uow.units.by_code(d.code)
        parent = uow.units.by_code(d.parent) if d.parent else None
        if d.parent and parent is None:
            raise CatalogError(source, f"units ({d.code}).parent", f"no unit has code {d.parent!r}")
        fields = {"name": d.name, "kind": d.kind, "active_from": d.active_from, "active_to": d.active_to,
                  "note": d.note}
        if unit is None:
            unit = uow.units.add(Unit(code=d.code, path="", **fields))
            uow.session.flush()
            report.added.append(f"{d.code} {d.name}")
        else:
            diff = [k for k, v in fields.items() if getattr(unit, k) != v]
            diff += ["parent"] if unit.parent_id != (parent.id if parent else None) else []
            if diff:
                report.changed.append(f"{d.code}: {', '.join(diff)}")
            else:
                report.unchanged += 1
            for k, v in fields.items():
                setattr(unit, k, v)
        try:
            uow.units.set_parent(unit, parent)
        except ValueError as exc:
            raise CatalogError(source, f"units ({d.code}).parent", str(exc)) from None
    _link_successors(uow, units, source)
    return report


def _link_successors(uow: UnitOfWork, units: list[UnitDef], source: Path | str) -> None:
    """Point merged units at the unit that carries them on."""
    for d in units:
        if d.successor:
            successor = uow.units.by_code(d.successor)
            if successor is None:
                raise CatalogError(source, f"units ({d.code}).successor", f"no unit has code {d.successor!r}")
            unit = uow.units.by_code(d.code)
            assert unit is not None
            unit.successor_id = successor.id


def _target_value(q: QuestionDef, text: str, path: Path, where: str) -> Value:
    """Parse a target as written in the catalog; roll-up targets are shares of units."""
    # Targets are written as shares even where answers must give counts (e.g. "100%" for a ratio).
    spec = AnswerSpec(shape=Shape.PERCENT) if q.aggregation == "share_meeting" else \
        replace(answer_spec(q), counts_required=False)
    parsed = parse_answer(text, spec)
    if isinstance(parsed, Refusal):
        raise CatalogError(path, where, f"target {text!r} cannot be read: {parsed.render('en')}")
    return parsed


def sync_form(uow: UnitOfWork, loaded: LoadedForm) -> str:
    """Store a form file as a new version unless this exact content is already stored."""
    d = loaded.definition
    existing = uow.forms.by_hash(d.code, loaded.content_hash)
    if existing:
        return f"{d.code}: unchanged (version {existing.version})"
    version = uow.forms.next_version(d.code)
    form = uow.forms.add(Form(code=d.code, version=version, content_hash=loaded.content_hash, title=d.title,
                              definition=d.model_dump(mode="json"), source_file=str(loaded.path),
                              questions=[_question(q, i) for i, q in enumerate(d.questions)]))
    for qi, q in enumerate(d.questions):
        for ti, t in enumerate(q.targets):
            where = f"questions[{qi}] ({q.key}).targets[{ti}]"
            value = _target_value(q, t.value, loaded.path, where)
            scope = uow.units.by_code(t.scope) if t.scope else None
            uow.forms.add_target(Target(form_id=form.id, question_key=q.key, year=t.year,
                                        scope_unit_id=scope.id if scope else None, kind=t.kind,
                                        text=t.shown or t.value + (f" ({t.note})" if t.note else ""), value=value.to_json()))
    return f"{d.code}: new version {version} ({len(d.questions)} questions)"


def _question(q: QuestionDef, position: int) -> Question:
    return Question(key=q.key, position=position, kind=q.kind, number=q.number, label=q.label,
                    short_label=q.short_label, shape=q.shape.value, unit_of_measure=q.unit_of_measure,
                    aggregation=q.aggregation, optional=q.optional, providers=list(q.providers))


def ensure_periods(uow: UnitOfWork, forms: list[FormDef], until_year: int) -> list[str]:
    """Create missing periods through `until_year` and align existing ones with the calendar."""
    added: list[str] = []
    for form in forms:
        for plan in plan_periods(form, until_year):
            period = uow.periods.by_code(plan.form_code, plan.code)
            if period is None:
                period = uow.periods.add(Period(form_code=plan.form_code, code=plan.code))
                added.append(f"{plan.form_code} {plan.code}")
            _copy_plan(period, plan)
    uow.session.flush()
    return added


def _copy_plan(period: Period, plan: PeriodPlan) -> None:
    for name in ("year", "slot", "opens_on", "due_on", "lock_on", "covers", "deadlines", "sections",
                 "forward_deadlines"):
        value = getattr(plan, name)
        if getattr(period, name, None) != value:
            setattr(period, name, value)


def sync_catalog(uow: UnitOfWork, units: list[UnitDef], forms: list[LoadedForm], today: date,
                 units_source: Path | str = "units.yaml") -> list[str]:
    """Units, then forms, then periods through next year; lines describing what happened."""
    report = sync_units(uow, units, units_source)
    lines = [f"units: {len(report.added)} added, {len(report.changed)} changed, {report.unchanged} unchanged"]
    lines += [f"  + {x}" for x in report.added[:10]] + [f"  ~ {x}" for x in report.changed[:10]]
    lines += [sync_form(uow, f) for f in forms]
    added = ensure_periods(uow, [f.definition for f in forms], today.year + 1)
    lines.append(f"periods: {len(added)} added" + (f" ({', '.join(added[:6])}{'…' if len(added) > 6 else ''})"
                                                    if added else ""))
    return lines
