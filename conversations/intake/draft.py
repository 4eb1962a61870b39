"""What answers in bulk are read against: the unit's questions for the period, its current and previous answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from conversations.forms import FormSpec, QuestionSpec
from conversations.parsing.problems import catalog
from conversations.render import Sheet
from storage.models import Answer
from storage.uow import UnitOfWork
from storage.values import Value


@dataclass(frozen=True)
class Current:
    """The stored answer to one question, as far as bulk answers compare with it."""

    value: Value | None = None
    skipped: bool = False
    provisional: bool = False
    note: str | None = None
    comparison: str | None = None

    @classmethod
    def of(cls, answer: Answer) -> Current:
        """From a stored answer row."""
        value = Value.from_json(answer.value) if answer.value else None
        return cls(value, answer.skipped, answer.provisional, answer.note, answer.comparison)


@dataclass(frozen=True)
class Draft:
    """A unit's submission for one period on one form version, with its answers so far."""

    spec: FormSpec
    asked: tuple[QuestionSpec, ...]
    unit_code: str
    unit_name: str
    period_code: str
    year: int
    slot: str
    current: Mapping[str, Current] = field(default_factory=dict)
    previous: Mapping[str, Value] = field(default_factory=dict)
    lang: str = "vi"
    today: date = field(default_factory=date.today)

    def asked_question(self, key: str) -> QuestionSpec | None:
        """The question `key` if this unit answers it in this period."""
        return next((q for q in self.asked if q.key == key), None)

    def name(self, key: str) -> str:
        """How a question is named inside a sentence: `chỉ tiêu 2`, `mục III`, `câu 3`."""
        q = next((q for q in self.spec.questions if q.key == key), None)
        if q is None:
            return key
        number = q.definition.number or key
        if self.spec.definition.numbering == "Câu":
            kind = "question"
        else:
            kind = "section" if q.is_section else "indicator"
        return catalog().text(f"intake.name_{kind}", self.lang, number=number)


def draft_of(uow: UnitOfWork, sheet: Sheet, lang: str, today: date) -> Draft:
    """The Draft of an open sheet: current answers and each question's previous-period value."""
    answers = uow.submissions.answers(sheet.submission.id)
    previous: dict[str, Value] = {}
    for q in sheet.asked:
        if q.is_section:
            continue
        before = uow.submissions.previous_answer(sheet.unit.id, sheet.period, q.key)
        if before is not None and before.value:
            previous[q.key] = Value.from_json(before.value)
    return Draft(sheet.spec, tuple(sheet.asked), sheet.unit.code, sheet.unit.name, sheet.period.code,
                 sheet.period.year, sheet.period.slot, {k: Current.of(a) for k, a in answers.items()},
                 previous, lang, today)
