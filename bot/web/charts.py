"""The overview's chart, kept while the answers behind it are unchanged.

Drawing the summary chart takes about a second; every sort, filter or page click of the overview
shows it again. A chart is kept under its scope, form version, period, language and day, together
with a fingerprint of the data it is drawn from (the form's submissions and the units); any new
answer, sending or unit change makes a new fingerprint, so a kept chart is never stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlalchemy import case, func, select

from reports.forms import FormInfo
from reports.scope import Scope
from storage.models import Period, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork

Chart = tuple[str, bytes]


def fingerprint(uow: UnitOfWork, form: FormInfo) -> tuple:
    """What changes whenever a figure, a submission state or a unit of the form could have changed."""
    subs = uow.session.execute(
        select(func.count(), func.max(Submission.updated_at), func.max(Submission.submitted_at),
               func.sum(Submission.version),
               func.sum(case((Submission.status == SubmissionStatus.SUBMITTED, 1), else_=0)))
        .join(Period, Period.id == Submission.period_id).where(Period.form_code == form.code)).one()
    units = uow.session.execute(select(func.count(), func.max(Unit.updated_at))).one()
    return (*subs, *units)


class ChartCache:
    """The last few charts drawn (a small LRU), one drawing at a time."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, Chart] = OrderedDict()
        self._lock = threading.Lock()

    def chart(self, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, lang: str, today: date,
              draw: Callable[[], Chart]) -> Chart:
        """The kept chart for this data, or a newly drawn one."""
        key = (scope.roots, form.form_id, period.id, lang, today, fingerprint(uow, form))
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            made = self._kept[key] = draw()
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
            return made
