"""What the unit's workbook shows, gathered from storage: one row per question the unit answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from conversations.duedates import unit_due_words
from conversations.forms import QuestionSpec
from conversations.parsing.problems import catalog
from conversations.render import Sheet, scopes_of
from storage.models import Answer
from storage.uow import UnitOfWork
from storage.values import Shape, Value, format_value


@dataclass(frozen=True)
class Row:
    """One question's row: its texts, what it takes, and the answer already given."""

    q: QuestionSpec
    previous: str
    target: str
    value: str
    provisional: bool
    note: str
    comparison: str

    @property
    def takes_provisional(self) -> bool:
        """Numbers may be estimates; a yes/no or a section never is (as in the chat)."""
        return not self.q.is_section and self.q.definition.shape is not Shape.YES_NO

    @property
    def takes_comparison(self) -> bool:
        """Form 1's indicators ask for an international comparison."""
        return self.q.definition.comparison


@dataclass(frozen=True)
class Content:
    """Everything the workbook writes."""

    sheet: Sheet
    due: date
    rows: tuple[Row, ...]
    lang: str
    made_at: datetime
    due_text: str = ""  # `05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ` (docs/DEADLINES.md)


def target_text(sheet: Sheet, q: QuestionSpec, lang: str) -> str:
    """This year's target, or that none is set yet with the nearest known ones (as the chat says it)."""
    if q.is_section:
        return ""
    t, scopes, year = catalog().text, scopes_of(sheet.unit), sheet.period.year
    target = q.target_for(year, scopes)
    if target:
        return target.text
    if not q.targets:
        return ""
    before, after = q.nearest_targets(year, scopes)
    details = [t("dialogue.target_was", lang, year=x.year, target=x.text) for x in (before,) if x]
    details += [t("dialogue.target_goal", lang, year=x.year, target=x.text) for x in (after,) if x]
    if details:
        return t("dialogue.no_target_details", lang, year=year, details="; ".join(details))
    return t("dialogue.no_target", lang, year=year)


def _shown(answer: Answer | None, lang: str) -> str:
    return format_value(Value.from_json(answer.value), lang) if answer and answer.value else ""


def content_of(uow: UnitOfWork, sheet: Sheet, lang: str, made_at: datetime) -> Content:
    """The rows of the unit's workbook with answers already given filled in."""
    answers = uow.submissions.answers(sheet.submission.id)
    rows = []
    for q in sheet.asked:
        a = answers.get(q.key)
        previous = None if q.is_section else uow.submissions.previous_answer(sheet.unit.id, sheet.period, q.key)
        rows.append(Row(q, _shown(previous, lang), target_text(sheet, q, lang), _shown(a, lang),
                        bool(a and a.provisional and a.value), (a.note or "") if a else "",
                        (a.comparison or "") if a else ""))
    due = sheet.period.due_for(uow.units.collector_kind(sheet.unit))
    words = unit_due_words(uow, sheet.spec.definition, sheet.period, sheet.unit, lang)
    return Content(sheet, due, tuple(rows), lang, made_at, words)
