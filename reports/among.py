"""A share target that counts only some units (the Ministry of Finance's security target: e-press units only).

`among: dien_tu` on a target: the share is units meeting the indicator's rule / units that answered it,
both counted only among sent submissions that answered yes to `dien_tu`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import case, func, select

from reports.aggregate import Aggregate
from reports.forms import FormInfo
from reports.periods import year_fraction
from reports.queries import meets_sql, sent_submissions
from reports.scope import Scope
from reports.status import assess
from storage.models import Answer, Period
from storage.uow import UnitOfWork


def share_among(uow: UnitOfWork, scope: Scope, period_id: int, q, among: str) -> Aggregate | None:  # noqa: ANN001
    """Units meeting `q`'s rule among the sent submissions answering yes to `among` (None: none answered)."""
    yes = select(Answer.submission_id).where(Answer.question_key == among, Answer.a == 1,
                                             Answer.submission_id.in_(sent_submissions(uow, scope, [period_id])))
    n, meets, provisional = uow.session.execute(
        select(func.count(), func.sum(meets_sql(q)), func.sum(case((Answer.provisional, 1), else_=0)))
        .where(Answer.question_key == q.key, Answer.value.is_not(None), Answer.submission_id.in_(yes))).one()
    if not n:
        return None
    met = Decimal(int(meets or 0))
    return Aggregate(q.key, met * 100 / n, "share_meeting_among", units=n, answered=n, provisional=int(provisional or 0),
                     numerator=met, denominator=Decimal(n))


def restricted(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, line):  # noqa: ANN001, ANN201
    """The line recomputed over the units its target counts, when the target has `among`."""
    target = line.status.target
    if target is None or not target.among:
        return line
    agg = share_among(uow, scope, period.id, line.q, target.among)
    status = assess(line.q, agg.value if agg else None, target, None, None, year_fraction(period))
    return replace(line, agg=agg, status=status)
