"""What the overview shows, kept while the answers behind it are unchanged.

Drawing the summary chart takes about a second, and tallying 10,000 units a good part of one; every
sort, filter or page click of the overview needs them again. Each is kept under its scope, form
version, period, language and day, together with a fingerprint of the data it comes from (the
form's submissions and the units): any new answer, sending or unit change makes a new fingerprint,
so what is kept is never stale. Focal persons and reminders are read afresh for every page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import case, func, select

from reports.forms import FormInfo
from reports.scope import Scope
from storage.models import Period, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork

T = TypeVar("T")


def fingerprint(uow: UnitOfWork, form: FormInfo) -> tuple:
    """What changes whenever a figure, a submission state or a unit of the form could have changed."""
    subs = uow.session.execute(
        select(func.count(), func.max(Submission.updated_at), func.max(Submission.submitted_at),
               func.sum(Submission.version),
               func.sum(case((Submission.status == SubmissionStatus.SUBMITTED, 1), else_=0)))
        .join(Period, Period.id == Submission.period_id).where(Period.form_code == form.code)).one()
    units = uow.session.execute(select(func.count(), func.max(Unit.updated_at))).one()
    return (*subs, *units)


class Kept:
    """The last few results made (a small LRU), one making at a time."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, kind: str, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, lang: str, today: date,
            make: Callable[[], T]) -> T:
        """The kept result of this kind for this data, or a newly made one."""
        key = (kind, scope.roots, form.form_id, period.id, lang, today, fingerprint(uow, form))
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]  # type: ignore[return-value]
            made = self._kept[key] = make()
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
            return made
