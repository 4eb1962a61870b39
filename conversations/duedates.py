"""Due dates as the bot shows them: the day the document names, and the day that counts when they differ.

`hạn 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ`: the stored due date (`Period.due_for`,
already the last day that counts) next to the day the form's calendar names (see `docs/DEADLINES.md`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conversations.catalog.calendar import DueDate, due_date, forward_due_date
from conversations.catalog.schema import FormDef
from storage.i18n import Catalog
from storage.models import Period, Unit
from storage.uow import UnitOfWork

TEXTS = Catalog.load(Path(__file__).resolve().parent / "locales")


def due_of(form: FormDef | None, period: Period, collector_kind: str | None) -> DueDate:
    """The unit's due date: named by the form's calendar, counting as stored on the period."""
    last = period.due_for(collector_kind)
    named = due_date(form, period.year, period.slot, collector_kind) if form else None
    return DueDate(named.named, last, named.inclusive) if named else DueDate(last, last, True)


def forward_due_of(form: FormDef | None, period: Period, collector_kind: str) -> DueDate | None:
    """When a collecting unit forwards its roll-up, named and as it counts (None: no such date)."""
    last = period.forward_due(collector_kind)
    if last is None:
        return None
    named = forward_due_date(form, period.year, period.slot, collector_kind) if form else None
    return DueDate(named.named, last, named.inclusive) if named else DueDate(last, last, True)


def unit_due_words(uow: UnitOfWork, form: FormDef | None, period: Period, unit: Unit, lang: str,
                   fmt: str = "%d/%m/%Y", compact: bool = False) -> str:
    """`due_words` of a unit's due date (which may depend on the kind of unit that collects from it)."""
    return due_words(due_of(form, period, uow.units.collector_kind(unit)), lang, fmt, compact)


def weekday(day: date, lang: str) -> str:
    """`thứ Hai`, `Chủ nhật`; `Monday`."""
    return TEXTS.text(f"deadlines.weekday_{day.weekday()}", lang)


def due_words(due: DueDate, lang: str = "vi", fmt: str = "%d/%m/%Y", compact: bool = False) -> str:
    """`05/12/2026`; when moved, `05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ` (compact:
    `05/12, chuyển sang 07/12`); for an exclusive reading, `trước ngày 05/12/2026 (hạn cuối hết ngày 04/12/2026)`."""
    named, last = due.named.strftime(fmt), due.last.strftime(fmt)
    head = named if due.inclusive else TEXTS.text("deadlines.before", lang, named=named)
    if due.moved:
        key = "deadlines.moved_short" if compact else "deadlines.moved"
        return TEXTS.text(key, lang, head=head, weekday=weekday(due.last, lang), last=last)
    if not due.inclusive:
        return TEXTS.text("deadlines.exclusive", lang, head=head, last=last)
    return head
