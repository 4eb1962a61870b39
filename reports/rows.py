"""Row-level reads: every answer of a period (raw sheet, export), free-text sections and comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from reports.forms import FormInfo
from reports.scope import Scope, scope_clause
from storage.models import Answer, Person, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class AnswerRow:
    """One stored answer with its unit, submission and who changed it last."""

    unit_id: int
    unit_code: str
    unit_name: str
    unit_kind: str
    status: str
    submitted_at: datetime | None
    on_time: bool | None
    key: str
    raw_text: str | None
    value: str | None
    a: float | None
    b: float | None
    basis: str | None
    skipped: bool
    provisional: bool
    note: str | None
    comparison: str | None
    updated_by: str | None
    updated_at: datetime | None


def _answers(uow: UnitOfWork, scope: Scope, period_ids: list[int]):  # noqa: ANN202 - a Select
    return (select().select_from(Answer).join(Submission, Submission.id == Answer.submission_id)
            .join(Unit, Unit.id == Submission.unit_id)
            .where(Submission.period_id.in_(period_ids), scope_clause(uow, scope)))


def answer_rows(uow: UnitOfWork, scope: Scope, period_id: int, form: FormInfo, limit: int | None = None
                ) -> tuple[list[AnswerRow], int]:
    """Answers of the period (sent and drafts) by unit path and question order, up to `limit`; and how many."""
    order = case({q.key: i for i, q in enumerate((*form.indicators, *form.sections))},
                 value=Answer.question_key, else_=999)
    stmt = _answers(uow, scope, [period_id]).add_columns(
        Unit.id, Unit.code, Unit.name, Unit.kind, Submission.status, Submission.submitted_at, Submission.on_time,
        Answer.question_key, Answer.raw_text, Answer.value, Answer.a, Answer.b, Answer.basis, Answer.skipped,
        Answer.provisional, Answer.note, Answer.comparison, Person.display_name, Answer.updated_at,
    ).outerjoin(Person, Person.id == Answer.updated_by).order_by(Unit.path, order)
    rows = [AnswerRow(*r) for r in uow.session.execute(stmt.limit(limit) if limit else stmt)]
    total = len(rows) if limit is None or len(rows) < limit else uow.session.scalar(
        _answers(uow, scope, [period_id]).add_columns(func.count()))
    return rows, total or 0


@dataclass(frozen=True)
class TextRow:
    """A free text given by a unit: a section's answer or an indicator's international comparison."""

    period_id: int
    key: str
    unit_id: int
    unit_name: str
    text: str


def section_rows(uow: UnitOfWork, scope: Scope, period_id: int, keys: list[str], limit: int) -> list[TextRow]:
    """Sent answers to the free-text sections, by unit path (at most `limit`)."""
    if not keys:
        return []
    stmt = _answers(uow, scope, [period_id]).add_columns(
        Submission.period_id, Answer.question_key, Unit.id, Unit.name, Answer.raw_text,
    ).where(Answer.question_key.in_(keys), Submission.status == SubmissionStatus.SUBMITTED,
            Answer.raw_text.is_not(None), Answer.skipped.is_(False)).order_by(Unit.path).limit(limit)
    return [TextRow(*r) for r in uow.session.execute(stmt)]


def comparison_rows(uow: UnitOfWork, scope: Scope, period_ids: list[int], limit: int) -> list[TextRow]:
    """Sent international comparisons of indicators in these periods, by unit path (at most `limit`)."""
    if not period_ids:
        return []
    stmt = _answers(uow, scope, period_ids).add_columns(
        Submission.period_id, Answer.question_key, Unit.id, Unit.name, Answer.comparison,
    ).where(Answer.comparison.is_not(None), Submission.status == SubmissionStatus.SUBMITTED
            ).order_by(Unit.path).limit(limit)
    return [TextRow(*r) for r in uow.session.execute(stmt)]
