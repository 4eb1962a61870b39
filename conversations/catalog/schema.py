"""The catalog files' schema (pydantic): forms with questions, targets, calendar and reminder rules; units."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from storage.models import UnitKind
from storage.values import Shape

SHAPE_ALIASES = {
    "pair": "share_pair", "ty_le_cap": "share_pair", "fraction": "ratio", "ty_so": "ratio",
    "percentage": "percent", "pct": "percent", "ty_le": "percent", "tang_truong": "growth",
    "so_luong": "count", "integer": "count", "count_with_share": "count_share", "decimal": "number",
    "so": "number", "yesno": "yes_no", "bool": "yes_no", "co_khong": "yes_no", "van_ban": "text",
    "ngay": "date",
}
KIND_ALIASES = {"trung_uong": "central", "tinh": "province", "bo": "ministry", "co_quan_bao_chi": "agency",
                "press_agency": "agency"}
MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _alias(table: dict[str, str]):
    def canon(v: object) -> object:
        return table.get(v.strip().lower(), v.strip().lower()) if isinstance(v, str) else v
    return BeforeValidator(canon)


ShapeName = Annotated[Shape, _alias(SHAPE_ALIASES)]
KindName = Annotated[Literal["central", "province", "ministry", "agency"], _alias(KIND_ALIASES)]


class Strict(BaseModel):
    """Unknown keys are refused so a typo in a file is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetDef(Strict):
    """One yearly target, as written in the official document."""

    year: int = Field(ge=2000, le=2100)
    value: str
    kind: Literal["estimate", "plan", "goal"] = "plan"
    scope: str | None = None  # unit code whose own target this is; None = national
    note: str | None = None
    source: str | None = None  # the document and clause the target is taken from
    among: str | None = None  # a yes/no question: the share counts only units answering yes (e.g. e-press)
    counts: str | None = None  # what the share counts, when it differs from the question's `target_counts`
    shown: str | None = None  # how messages write the target when the value alone reads unclear ("15 cơ quan …")


class OutlierRule(Strict):
    """Ask for confirmation when a value moves more than this from the unit's previous period."""

    max_change_pct: float = Field(default=50, gt=0)


class MeetsRule(Strict):
    """When one unit's answer counts as meeting a roll-up target (Form 2)."""

    equals: bool | None = None
    min: float | None = None


class QuestionDef(Strict):
    """An indicator or a free-text section."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    number: str | None = None
    label: str = Field(min_length=3)
    short_label: str | None = None
    shape: ShapeName = Shape.TEXT
    unit_of_measure: str | None = None
    providers: list[KindName] = Field(min_length=1)
    optional: bool = False
    counts_required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    example: str | None = None
    help: str | None = None
    comparison: bool = False
    aggregation: Literal["sum", "weighted", "pair_from_counts", "single", "mean", "share_meeting", "none"] = "sum"
    direction: Literal["up", "down"] = "up"
    meets: MeetsRule | None = None
    kind: Literal["indicator", "section"] = "indicator"
    targets: list[TargetDef] = []
    outlier: OutlierRule | None = None
    outline: str | None = None  # the report section the answer goes to (5422 outline I.2, II, III.3 …)
    target_counts: str | None = None  # a share target counts these: "cơ quan báo chí có doanh thu tăng …"

    @model_validator(mode="after")
    def _sections_are_text(self) -> QuestionDef:
        if self.kind == "section" and self.shape is not Shape.TEXT:
            raise ValueError("a section is free text: write `shape: text` or remove `shape`")
        if self.aggregation == "share_meeting" and self.meets is None:
            raise ValueError("aggregation share_meeting needs `meets:` (e.g. `meets: {equals: true}`)")
        return self


class PeriodSlot(Strict):
    """One round of the calendar: which months it covers and its due date (MM-DD)."""

    slot: str = Field(pattern=r"^(Q[1-4]|Y|H[12]|M(0[1-9]|1[0-2]))$")
    covers: list[int] = Field(min_length=1)
    due: str | None = None
    due_by_collector: dict[KindName, str] = {}
    forward_by: str | None = None  # the collecting level forwards its roll-up upward by this day
    forward_by_collector: dict[KindName, str] = {}  # … or by a day that depends on the collector's kind
    sections: list[str] = []

    @field_validator("due", "forward_by")
    @classmethod
    def _mmdd(cls, v: str | None) -> str | None:
        if v is not None and not MMDD.match(v):
            raise ValueError(f"{v!r} is not a day of the year: write MM-DD, e.g. 04-05 for 5 April")
        return v

    @field_validator("covers")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        bad = [m for m in v if m == 0 or abs(m) > 12]
        if bad:
            raise ValueError(f"months must be 1..12 (or -12..-1 for the previous year), not {bad}")
        return v

    @model_validator(mode="after")
    def _some_due(self) -> PeriodSlot:
        for field in ("due_by_collector", "forward_by_collector"):
            for kind, day in getattr(self, field).items():
                if not MMDD.match(day):
                    raise ValueError(f"{field}.{kind}: {day!r} is not MM-DD (e.g. 11-25)")
        if not self.due and not self.due_by_collector:
            raise ValueError("give `due: MM-DD` or `due_by_collector: {province: MM-DD, ...}`")
        return self


class CalendarDef(Strict):
    """How periods repeat every year."""

    frequency: Literal["quarterly", "yearly", "half-yearly", "monthly"]
    opens_days_before_due: int = Field(default=30, ge=0, le=365)
    lock_days_after_due: int = Field(default=90, ge=0, le=730)
    periods: list[PeriodSlot] = Field(min_length=1)
    # "trước ngày 05/4": true = the 5th itself is still on time (the last day is the date written).
    inclusive: bool = True
    # Bộ luật Dân sự 2015, Điều 148 khoản 5: a last day on a weekend or holiday moves to the next working day.
    roll_to_working_day: bool = True


class DigestRule(Strict):
    """Analyst digest: first the morning after the due date, then every few days."""

    first_after_days: int = Field(default=1, ge=0)
    every_days: int = Field(default=3, ge=1)


class ReminderRules(Strict):
    """When focal persons are nudged, relative to a period's due date."""

    offsets_days: list[int] = [-7, -3, -1, 0, 1, 3]
    delivery_time: time = time(8, 30)
    quiet_hours: tuple[time, time] = (time(21, 0), time(7, 0))
    skip_weekends: bool = True
    skip_holidays: bool = True
    escalate_after_days: int | None = 5
    provisional_after_days: list[int] = [7, 30]
    digest: DigestRule = DigestRule()
    forward_offsets_days: list[int] | None = None  # collecting level's roll-up; default: offsets_days
    # A nudge missed (bot down) still goes out this many working days after its own day, then never.
    catch_up_working_days: int = Field(default=1, ge=0, le=10)
    # A person who wrote this recently is in a dialogue: their nudges wait until they go quiet.
    defer_after_message_minutes: int = Field(default=30, ge=0, le=24 * 60)


class OutlineSection(Strict):
    """A numbered section of the report a collecting level writes (5422 outline I–V, Phụ lục I III–VII)."""

    code: str
    title: str


class ReportDef(Strict):
    """The report a collecting level drafts from the answers (`/baocao`): titles, sections, addressee."""

    title: str
    titles_by_slot: dict[str, str] = {}
    note: str | None = None
    forward_to: str | None = None  # who receives the top level's report (outside the unit tree)
    basis: str | None = None  # "Căn cứ …" of the draft (default: the form's `source`)
    basis_by_unit: dict[str, str] = {}  # the same for one collecting unit (its own plan), by unit code
    layout: Literal["phu_luc_i", "agencies"] = "phu_luc_i"
    outline: list[OutlineSection] = []


class FormDef(Strict):
    """A whole form file."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,31}$")
    title: str
    short_title: str | None = None
    source: str | None = None
    receiver: str | None = None
    numbering: str = "Câu"
    first_year: int = Field(ge=2000, le=2100)
    calendar: CalendarDef
    questions: list[QuestionDef] = Field(min_length=1)
    reminders: ReminderRules = ReminderRules()
    outlier: OutlierRule = OutlierRule()
    report: ReportDef | None = None

    def sections_by_slot(self) -> dict[str, list[str]]:
        """Sections asked only in some slots (e.g. Q2's 6-month trend), by slot."""
        return {slot.slot: list(slot.sections) for slot in self.calendar.periods}

    @model_validator(mode="after")
    def _unique_keys(self) -> FormDef:
        keys = [q.key for q in self.questions]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"question keys must be unique; repeated: {', '.join(dupes)}")
        sections = {k for slot in self.calendar.periods for k in slot.sections}
        missing = sorted(sections - set(keys))
        if missing:
            raise ValueError(f"calendar names sections that are not questions: {', '.join(missing)}")
        yes_no = {q.key for q in self.questions if q.shape is Shape.YES_NO}
        for q in self.questions:
            for t in q.targets:
                if t.among and t.among not in yes_no:
                    raise ValueError(f"{q.key}: target `among: {t.among}` must name a yes/no question of this form")
        return self


class UnitDef(Strict):
    """A reporting unit in the units file."""

    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
    name: str = Field(min_length=2)
    kind: KindName
    parent: str | None = None
    active_from: date | None = None
    active_to: date | None = None
    successor: str | None = None
    note: str | None = None


class UnitsFile(Strict):
    """The units file: a list of units, parents before or after children."""

    units: list[UnitDef] = Field(min_length=1)


KINDS = UnitKind.ALL
