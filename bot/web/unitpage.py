"""The unit page's data: one unit's answers in a period, its receipts and every revision (who, when, old → new).

Read through the same repositories the chat's `/xem` uses; the period is chosen by the reports
layer's own rules (`resolve`), so the default is the one `/tonghop` would pick for the unit's forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from bot.web.overview import status_of
from reports.contacts import contact_text, focal_contacts
from reports.forms import FormInfo, Indicator, all_forms
from reports.periods import Request, resolve
from reports.scope import Scope, subtree_scope
from reports.texts import t
from storage.models import Answer, AnswerRevision, Period, Submission, Unit
from storage.uow import UnitOfWork
from storage.values import Value, format_value

FIELDS = ("value", "skipped", "provisional", "note", "comparison")


@dataclass(frozen=True)
class AnswerLine:
    """One current answer."""

    number: str
    label: str
    shown: str
    unit_of_measure: str
    raw_text: str
    provisional: bool
    skipped: bool
    note: str
    comparison: str
    updated_by: str
    updated_at: datetime | None


@dataclass(frozen=True)
class ReceiptLine:
    """One receipt given when the submission was sent."""

    reference: str
    sent_at: datetime
    sent_by: str
    on_time: bool
    provisional: str


@dataclass(frozen=True)
class Change:
    """What one revision changed in one field: `field` is a key of FIELDS."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RevisionLine:
    """One revision of one answer."""

    at: datetime
    who: str
    channel: str
    number: str
    label: str
    action: str
    changes: tuple[Change, ...]


@dataclass
class UnitPage:
    """Everything the unit page shows."""

    unit: Unit
    scope: Scope
    parent: str
    contacts: str
    has_children: bool
    forms: list[FormInfo]
    form: FormInfo | None = None
    period: Period | None = None
    due: date | None = None
    status: str = "none"
    answered: int = 0
    submission: Submission | None = None
    answers: list[AnswerLine] = field(default_factory=list)
    receipts: list[ReceiptLine] = field(default_factory=list)
    history: list[RevisionLine] = field(default_factory=list)


def unit_page(uow: UnitOfWork, unit: Unit, period: str | None, form: str | None, today: date, lang: str) -> UnitPage:
    """The page of `unit` for the period asked (or the default one of the forms it answers)."""
    scope = subtree_scope(uow, unit.code)
    parent = uow.units.get(unit.parent_id) if unit.parent_id else None
    contacts = contact_text(focal_contacts(uow, scope).get(unit.id, []), lang)
    children = uow.session.scalar(select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True),
                                                        Unit.id != unit.id).limit(1)) is not None
    forms = [f for f in all_forms(uow) if f.provides(unit.kind)]
    page = UnitPage(unit, scope, parent.name if parent else "", contacts, children, forms)
    if not forms:
        return page
    page.form, page.period = resolve(uow, Request(period, form), forms, today)
    page.due = page.period.due_for(uow.units.collector_kind(unit))
    page.submission = uow.submissions.get(unit.id, page.period.id)
    if page.submission is not None:
        _fill(uow, page, page.submission, lang)
    return page


def _fill(uow: UnitOfWork, page: UnitPage, sub: Submission, lang: str) -> None:
    """The submission's status, answers, receipts and revisions."""
    assert page.form is not None
    answers, receipts = uow.submissions.sent_answers(sub.id), uow.submissions.receipts(sub.id)  # not pending changes
    people = uow.people.people_by_id([a.updated_by for a in answers.values() if a.updated_by]
                                     + [r.sent_by for r in receipts if r.sent_by])
    names = {pid: p.display_name for pid, p in people.items()}
    page.answers = answer_lines(page.form, answers, names, lang)
    page.answered = sum(1 for a in answers.values() if a.value is not None or a.skipped)
    counted = {q.key for q in page.form.indicators}
    page.status = status_of(sub, any(a.provisional and a.value is not None and k in counted
                                     for k, a in answers.items()))
    page.receipts = [ReceiptLine(r.reference, r.sent_at, names.get(r.sent_by or 0, ""), r.on_time,
                                 _numbers(page.form, r.provisional_keys)) for r in receipts]
    page.history = history(uow, page.form, uow.submissions.revisions(sub.id, sent_only=True), lang)


def _question(form: FormInfo, key: str) -> Indicator | None:
    return next((q for q in (*form.indicators, *form.sections) if q.key == key), None)


def _numbers(form: FormInfo, keys: str) -> str:
    """`2, 5` for the stored keys `ct2,ct5`."""
    return ", ".join(q.number if (q := _question(form, k)) else k for k in keys.split(",") if k)


def _shown(value: str | None, lang: str) -> str:
    return format_value(Value.from_json(value), lang) if value is not None else ""


def answer_lines(form: FormInfo, answers: dict[str, Answer], names: dict[int, str], lang: str) -> list[AnswerLine]:
    """The answers in the form's order (answers to questions the newest version dropped come last)."""
    order = {q.key: i for i, q in enumerate((*form.indicators, *form.sections))}
    lines = []
    for key, a in sorted(answers.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        q = _question(form, key)
        lines.append(AnswerLine(q.number if q else key, q.short_label if q else key, _shown(a.value, lang),
                                (q.unit_of_measure or "") if q else "", a.raw_text or "", a.provisional, a.skipped,
                                a.note or "", a.comparison or "", names.get(a.updated_by or 0, ""), a.updated_at))
    return lines


def _fields(r: AnswerRevision | None, lang: str) -> dict[str, str]:
    if r is None:
        return dict.fromkeys(FIELDS, "")
    yes, no = t("common.answer_yes", lang), t("common.answer_no", lang)
    return {"value": _shown(r.value, lang), "skipped": yes if r.skipped else no,
            "provisional": yes if r.provisional else no, "note": r.note or "", "comparison": r.comparison or ""}


def history(uow: UnitOfWork, form: FormInfo, revisions: Sequence[AnswerRevision], lang: str) -> list[RevisionLine]:
    """Every revision, newest first, each with the fields it changed against the one before it."""
    people = uow.people.people_by_id([r.changed_by for r in revisions if r.changed_by])
    before: dict[str, AnswerRevision] = {}
    lines = []
    for r in revisions:
        q = _question(form, r.question_key)
        person = people.get(r.changed_by) if r.changed_by else None
        lines.append(RevisionLine(r.changed_at, person.display_name if person else "", r.channel or "",
                                  q.number if q else r.question_key, q.short_label if q else r.question_key,
                                  r.action, changes(before.get(r.question_key), r, lang)))
        before[r.question_key] = r
    return lines[::-1]


def changes(previous: AnswerRevision | None, r: AnswerRevision, lang: str) -> tuple[Change, ...]:
    """The fields `r` changed; for a first answer, what it set (not answered is the old state of every field)."""
    old, new = _fields(previous, lang), _fields(r, lang)
    if previous is None:
        new = {k: v for k, v in new.items() if not (k in ("skipped", "provisional") and not getattr(r, k))}
    return tuple(Change(f, old[f], new[f]) for f in FIELDS if f in new and new[f] != old[f])
