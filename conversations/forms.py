"""Forms as the dialogue uses them: built once per stored version from its validated definition."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from conversations.catalog.schema import FormDef, QuestionDef
from conversations.parsing import AnswerSpec
from storage.models import Form, Target
from storage.uow import UnitOfWork
from storage.values import Value


@dataclass(frozen=True)
class TargetSpec:
    """A target of one year, national (`scope` None) or for a collecting unit."""

    year: int
    scope: str | None
    text: str
    value: Value
    kind: str
    wording: str = ""  # "50% cơ quan báo chí có doanh thu tăng từ 20% trở lên" (a share says what it counts)
    source: str | None = None

    @property
    def shown(self) -> str:
        """The target as people read it: its wording, else the value as written."""
        return self.wording or self.text


@dataclass(frozen=True)
class QuestionSpec:
    """One question of a form version: its definition, how answers are parsed, its targets."""

    definition: QuestionDef
    answer: AnswerSpec
    targets: tuple[TargetSpec, ...]

    @property
    def key(self) -> str:
        """The question's key."""
        return self.definition.key

    @property
    def is_section(self) -> bool:
        """True for a free-text report section."""
        return self.definition.kind == "section"

    def target_for(self, year: int, scopes: list[str]) -> TargetSpec | None:
        """The target of `year` for the nearest scope in `scopes` (unit, then ancestors), else national."""
        of_year = [t for t in self.targets if t.year == year]
        for scope in scopes:
            for t in of_year:
                if t.scope == scope:
                    return t
        return next((t for t in of_year if t.scope is None), None)

    def nearest_targets(self, year: int, scopes: list[str]) -> tuple[TargetSpec | None, TargetSpec | None]:
        """The latest target before `year` and the first goal after it (for "no target set yet")."""
        years = sorted({t.year for t in self.targets})
        before = next((t for y in reversed(years) if y < year and (t := self.target_for(y, scopes))), None)
        after = next((t for y in years if y > year and (t := self.target_for(y, scopes))), None)
        return before, after


def answer_spec(q: QuestionDef) -> AnswerSpec:
    """How the answers to `q` are parsed."""
    def dec(x: float | None) -> Decimal | None:
        return None if x is None else Decimal(str(x))

    return AnswerSpec(shape=q.shape, counts_required=q.counts_required, min_value=dec(q.min_value),
                      max_value=dec(q.max_value), example=q.example)


@dataclass(frozen=True)
class FormSpec:
    """A stored form version ready for the dialogue."""

    form_id: int
    version: int
    definition: FormDef
    questions: tuple[QuestionSpec, ...]

    @property
    def code(self) -> str:
        """The form's code (CL, CDS, …)."""
        return self.definition.code

    def question(self, key: str) -> QuestionSpec:
        """The question with this key."""
        return next(q for q in self.questions if q.key == key)

    def indicators(self) -> list[QuestionSpec]:
        """Every indicator (not section) of the form."""
        return [q for q in self.questions if not q.is_section]

    def asked(self, unit_kind: str, slot: str) -> list[QuestionSpec]:
        """Questions a unit of `unit_kind` answers in period slot `slot`, in order."""
        by_slot = self.definition.sections_by_slot()
        slot_only = {k for keys in by_slot.values() for k in keys}
        return [q for q in self.questions
                if unit_kind in q.definition.providers
                and (q.key not in slot_only or q.key in by_slot.get(slot, []))]

    def applies_to(self, unit_kind: str) -> bool:
        """True when units of this kind answer anything in this form."""
        return any(unit_kind in q.definition.providers for q in self.questions)


def build_spec(form: Form, targets: list[Target], scope_codes: dict[int, str]) -> FormSpec:
    """A FormSpec from a stored form version and its targets."""
    definition = FormDef.model_validate(form.definition)
    by_key: dict[str, list[TargetSpec]] = {}
    for t in targets:
        scope = scope_codes.get(t.scope_unit_id) if t.scope_unit_id else None
        q = next(q for q in definition.questions if q.key == t.question_key)
        d = next((d for d in q.targets if d.year == t.year and d.scope == scope), None)
        counts = (d.counts if d else None) or q.target_counts
        by_key.setdefault(t.question_key, []).append(TargetSpec(
            year=t.year, scope=scope, text=t.text, value=Value.from_json(t.value), kind=t.kind,
            wording=f"{d.value} {counts}" if d and counts else "", source=d.source if d else None))
    questions = tuple(QuestionSpec(q, answer_spec(q), tuple(by_key.get(q.key, []))) for q in definition.questions)
    return FormSpec(form.id, form.version, definition, questions)


class FormCache:
    """FormSpecs by form id, built once per process (form versions never change once stored)."""

    def __init__(self) -> None:
        self._specs: dict[int, FormSpec] = {}

    def get(self, uow: UnitOfWork, form_id: int) -> FormSpec:
        """The spec of form version `form_id`, built on first use."""
        spec = self._specs.get(form_id)
        if spec is None:
            form = uow.forms.get(form_id)
            if form is None:
                raise LookupError(f"form version {form_id} not found")
            targets = list(uow.forms.targets(form_id))
            scopes = {t.scope_unit_id for t in targets if t.scope_unit_id}
            codes = {u.id: u.code for uid in scopes if (u := uow.units.get(uid))}
            spec = self._specs[form_id] = build_spec(form, targets, codes)
        return spec
