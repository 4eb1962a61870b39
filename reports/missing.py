"""`/thieu`: units that have not submitted, or sent provisional figures, with their focal persons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reports.chain import RollUp, rollup_lines, rollups
from reports.completeness import Completeness, UnitRow, display_name, due_of, tally
from reports.contacts import Contact, contact_text, focal_contacts
from reports.forms import FormInfo
from reports.periods import first_due
from reports.queries import submitted_answers
from reports.scope import Scope
from reports.texts import due_range, moment, t
from reports.xlsx import Book
from storage.models import Answer, Period, Submission, SubmissionStatus
from storage.period_names import period_name
from storage.uow import UnitOfWork

LIMIT = 3900


@dataclass(frozen=True)
class Owed:
    """A unit that still owes something: `none` (not started), `draft`, or `provisional` values."""

    unit: UnitRow
    name: str
    state: str
    answered: int
    overdue_days: int
    provisional: tuple[str, ...]
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Missing:
    """The answer to `/thieu`."""

    form: FormInfo
    period: Period
    scope: Scope
    at: datetime
    completeness: Completeness
    owed: list[Owed]
    rollups: list[RollUp] = field(default_factory=list)  # roll-ups of the scope's collecting units


def provisional_keys(uow: UnitOfWork, scope: Scope, period_id: int) -> dict[int, list[str]]:
    """Keys of provisional values in sent submissions, by unit."""
    stmt = submitted_answers(uow, scope, [period_id]).add_columns(Submission.unit_id, Answer.question_key) \
        .where(Answer.provisional.is_(True))
    found: dict[int, list[str]] = {}
    for unit_id, key in uow.session.execute(stmt):
        found.setdefault(unit_id, []).append(key)
    return found


def missing(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime, lang: str = "vi"
            ) -> Missing:
    """Units not submitted (not started first, then drafts), then units with provisional values."""
    units, expected, states, counts = tally(uow, scope, form, period, at.date())
    contacts = focal_contacts(uow, scope)
    provisional = provisional_keys(uow, scope, period.id)
    numbers = {q.key: q.number for q in form.indicators}
    owed: list[Owed] = []
    for u in expected:
        s = states.get(u.id)
        late = max(0, (at.date() - due_of(u, period)).days)
        if s is None or s.status != SubmissionStatus.SUBMITTED:
            state = "draft" if s else "none"
            owed.append(Owed(u, display_name(u, units, lang), state, s.answered if s else 0, late, (),
                             tuple(contacts.get(u.id, ()))))
        elif u.id in provisional:
            keys = tuple(sorted((numbers.get(k, k) for k in provisional[u.id]), key=_natural))
            owed.append(Owed(u, display_name(u, units, lang), "provisional", 0, 0, keys, tuple(contacts.get(u.id, ()))))
    order = {"none": 0, "draft": 1, "provisional": 2}
    owed.sort(key=lambda o: (order[o.state], o.unit.path))
    names = {u.id: display_name(u, units, lang) for u in units.values()}
    return Missing(form, period, scope, at, counts, owed, rollups(uow, scope, period, units, expected, names))


def _natural(number: str) -> tuple[int, str]:
    return (int(number), "") if number.isdigit() else (10**6, number)


def owed_line(o: Owed, lang: str) -> str:
    """`• Hà Nội — chưa bắt đầu, quá hạn 47 ngày · Đầu mối: …`."""
    if o.state == "provisional":
        what = t("missing.provisional_items", lang, items=", ".join(o.provisional))
    else:
        what = t(f"missing.state_{o.state}", lang, answered=o.answered)
        if o.overdue_days:
            what += t("missing.overdue", lang, days=o.overdue_days)
    return f"• {o.name} — {what} · {t('missing.focal', lang)}: {contact_text(list(o.contacts), lang)}"


def missing_text(m: Missing, lang: str = "vi", limit: int = LIMIT) -> tuple[str, bool]:
    """The message body and whether it was cut at `limit` characters (then the full list goes as a workbook)."""
    c = m.completeness
    not_sent = [o for o in m.owed if o.state != "provisional"]
    prov = [o for o in m.owed if o.state == "provisional"]
    head = [t("missing.scope", lang, scope=m.scope.label(lang), due=due_range(first_due(m.period), m.period.due_on), at=moment(m.at)),
            t("missing.counts", lang, missing=len(not_sent), expected=c.expected, provisional=len(prov))]
    if m.rollups:
        head += ["", *rollup_lines(m.rollups, m.at, lang)]
    if not m.owed:
        return "\n".join([*head, "", t("missing.all_done", lang)]), False
    body: list[str] = []
    for title, group in (("missing.not_sent_title", not_sent), ("missing.provisional_title", prov)):
        if group:
            body += ["", t(title, lang, count=len(group))] + [owed_line(o, lang) for o in group]
    text = "\n".join([*head, *body])
    if len(text) <= limit:
        return text, False
    cut = text[:limit].rsplit("\n", 1)[0]
    return cut + "\n" + t("missing.cut", lang), True


def missing_workbook(m: Missing, lang: str = "vi") -> bytes:
    """The whole list as a workbook (sent when the message had to be cut)."""
    book = Book()
    sh = book.sheet(t("missing.sheet", lang))
    sh.widths([14, 34, 18, 30, 10, 60])
    for col, key in enumerate(("unit_code", "unit", "kind", "state", "overdue", "focal")):
        sh.text(0, col, t(f"missing.col_{key}", lang), "header")
    for r, o in enumerate(m.owed, start=1):
        state = t(f"missing.state_{o.state}", lang, answered=o.answered) if o.state != "provisional" else \
            t("missing.provisional_items", lang, items=", ".join(o.provisional))
        sh.text(r, 0, o.unit.code)
        sh.text(r, 1, o.name)
        sh.text(r, 2, t(f"common.kind_{o.unit.kind}", lang))
        sh.text(r, 3, state)
        sh.number(r, 4, o.overdue_days, "integer")
        sh.text(r, 5, contact_text(list(o.contacts), lang), "wrap")
    return book.finish()


def title(m: Missing, lang: str = "vi") -> str:
    """`Đơn vị chưa nộp, còn số liệu tạm: Chỉ tiêu Chiến lược báo chí · Quý III/2026`."""
    return t("missing.title", lang, form=m.form.short_title, period=period_name(m.period.code, lang))

