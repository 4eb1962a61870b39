"""The aggregating SQL: one GROUP BY over answers ⋈ submissions ⋈ units for the periods asked.

A read model in the cosmicpython sense (`views.py`): reports query tables directly for speed and
never write. `answers.a`/`b`/`basis` mirror each value (see `storage.values`), so shares are summed
as numerators and denominators here, in the database, without parsing a single JSON value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Float, Integer, and_, case, cast, func, literal, null, select

from reports.forms import Indicator
from reports.scope import Scope, scope_clause
from storage.models import Answer, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork
from storage.values import Shape

EPSILON = 1e-9  # floats: 45*100/45 must meet "min: 100"


@dataclass(frozen=True)
class GroupRow:
    """Sums of one question's answers in one period, for one basis (counts / percent / value)."""

    period_id: int
    key: str
    basis: str | None
    n: int
    provisional: int
    sum_a: float | None
    sum_b: float | None
    sum_number: float | None
    n_number: int
    meets: int | None
    implied_total: float | None
    implied_count: float | None


def number_sql(shape: Shape) -> ColumnElement[float]:
    """One answer's headline number in SQL, mirroring `Value.number` (share, growth or the value)."""
    a, b, counts = Answer.a, Answer.b, Answer.basis == "counts"
    if shape is Shape.SHARE_PAIR:
        return case((counts, a * 100.0 / _nonzero(a + b)), else_=a)
    if shape is Shape.RATIO:
        return case((counts, a * 100.0 / _nonzero(b)), else_=a)
    if shape is Shape.GROWTH:
        return case((counts, (a - b) * 100.0 / _nonzero(b)), else_=a)
    return a


def _nonzero(x: ColumnElement[float]) -> ColumnElement[float]:
    """NULL instead of zero, typed as a float so PostgreSQL divides in double precision."""
    return func.nullif(x, 0.0, type_=Float)


def _by_shape(indicators: Iterable[Indicator]) -> ColumnElement[float]:
    """The headline number of any answer: a CASE over question keys grouped by shape."""
    shapes: dict[Shape, list[str]] = {}
    for q in indicators:
        shapes.setdefault(q.shape, []).append(q.key)
    whens = [(Answer.question_key.in_(keys), number_sql(shape)) for shape, keys in shapes.items()]
    return case(*whens, else_=null()) if whens else cast(null(), Float)


def meets_sql(q: Indicator) -> ColumnElement[int]:
    """1 when one answer meets the indicator's `meets` rule (`equals: true` or `min: 20`), else 0."""
    rule = q.meets or {}
    conditions = []
    if rule.get("equals") is not None:
        conditions.append(Answer.a == (1 if rule["equals"] else 0))
    if rule.get("min") is not None:
        conditions.append(number_sql(q.shape) >= float(rule["min"]) - EPSILON)
    return case((and_(*conditions), 1), else_=0) if conditions else literal(0)


def _meets(indicators: Iterable[Indicator]) -> ColumnElement[int]:
    whens = [(Answer.question_key == q.key, meets_sql(q)) for q in indicators if q.aggregation == "share_meeting"]
    return case(*whens, else_=null()) if whens else cast(null(), Integer)


def _implied(indicators: Iterable[Indicator]) -> tuple[ColumnElement[float], ColumnElement[float]]:
    """For `7 (2,6%)` answers: the total the share is of (7 × 100 / 2,6) and the count, where the share > 0."""
    keys = [q.key for q in indicators if q.shape is Shape.COUNT_SHARE]
    if not keys:
        return cast(null(), Float), cast(null(), Float)
    usable = and_(Answer.question_key.in_(keys), Answer.b > 0)
    return case((usable, Answer.a * 100.0 / Answer.b), else_=null()), case((usable, Answer.a), else_=null())


def sent_submissions(uow: UnitOfWork, scope: Scope, period_ids: list[int]):  # noqa: ANN201 - a Select
    """SELECT submissions.id of sent submissions in the periods and the scope."""
    stmt = select(Submission.id).where(Submission.period_id.in_(period_ids),
                                       Submission.status == SubmissionStatus.SUBMITTED)
    if scope.everything:
        return stmt
    return stmt.join(Unit, Unit.id == Submission.unit_id).where(scope_clause(uow, scope))


def submitted_answers(uow: UnitOfWork, scope: Scope, period_ids: list[int]):  # noqa: ANN201 - a Select
    """FROM answers ⋈ submissions (⋈ units for a subtree) WHERE sent, in the periods and the scope, with a value."""
    stmt = (select().select_from(Answer).join(Submission, Submission.id == Answer.submission_id)
            .where(Submission.period_id.in_(period_ids), Submission.status == SubmissionStatus.SUBMITTED,
                   Answer.value.is_not(None)))
    if scope.everything:
        return stmt
    return stmt.join(Unit, Unit.id == Submission.unit_id).where(scope_clause(uow, scope))


def _derived_mean(q: Indicator) -> bool:
    """A mean of shares or growth rates that must be derived from counts row by row."""
    return q.aggregation in ("mean", "single") and q.shape in (Shape.RATIO, Shape.GROWTH, Shape.SHARE_PAIR)


def _by_rule(q: Indicator) -> bool:
    """Units meeting a rule that needs each answer's figure (`min: 20`), not just Σa of yes/no answers."""
    return q.aggregation == "share_meeting" and not _counts_yes(q)


def _needs_more(q: Indicator) -> bool:
    """True when Σa is not enough: a `min` rule, implied totals of `7 (2,6%)`, means of derived shares.

    (`equals: true` on yes/no answers needs nothing more: a is 1 or 0, so Σa counts the yeses.)
    """
    return _by_rule(q) or q.shape is Shape.COUNT_SHARE or _derived_mean(q)


def _counts_yes(q: Indicator) -> bool:
    """True for `meets: {equals: true|false}` on a yes/no question alone."""
    rule = q.meets or {}
    return q.shape is Shape.YES_NO and rule.get("equals") is not None and rule.get("min") is None


def _yeses(equals: bool | None, n: int, total: float | None) -> int | None:
    """Units meeting `equals: true` (Σa of 1/0 answers) or `equals: false` (the rest)."""
    if equals is None:
        return None
    yes = round(total or 0)
    return yes if equals else n - yes


def _keys_in(indicators: tuple[Indicator, ...]) -> ColumnElement[bool]:
    """`question_key IN (…)` as a plain filter: wrapped so that SQLite does not pick the key index
    (which reads every period's answers) over the submissions of the period."""
    return func.coalesce(Answer.question_key, "").in_([q.key for q in indicators])


def grouped(uow: UnitOfWork, scope: Scope, period_ids: list[int], indicators: tuple[Indicator, ...]
            ) -> list[GroupRow]:
    """Per period, question and basis: counts, provisional, Σa, Σb; Σ headline, units meeting, implied totals."""
    return [row for pid in period_ids for row in _grouped(uow, scope, pid, indicators)]


def _grouped(uow: UnitOfWork, scope: Scope, period_id: int, indicators: tuple[Indicator, ...]) -> list[GroupRow]:
    """One period in one GROUP BY: counts and sums for every indicator, and the per-row CASE expressions
    (derived means, rules, implied totals) that only the few indicators needing them fill in (NULL for
    the others). One pass over the period's answers instead of two: reading 500,000 answers is most of
    the cost. `submission_id IN (sent submissions)` rather than a join keeps SQLite's sorter on two
    short columns (about a third faster on 500,000 answers)."""
    if not indicators:
        return []
    base = select().select_from(Answer).where(Answer.submission_id.in_(sent_submissions(uow, scope, [period_id])),
                                              Answer.value.is_not(None))
    group = (Answer.question_key, Answer.basis)
    more = tuple(q for q in indicators if _needs_more(q))
    means, rules = tuple(q for q in more if _derived_mean(q)), tuple(q for q in more if _by_rule(q))
    number, (implied_total, implied_count) = _by_shape(means), _implied(more)
    stmt = base.add_columns(*group, func.count(), func.sum(case((Answer.provisional, 1), else_=0)),
                            func.sum(Answer.a), func.sum(Answer.b), func.count(Answer.a),
                            func.sum(number), func.count(number), func.sum(_meets(rules)),
                            func.sum(implied_total), func.sum(implied_count)) \
        .where(_keys_in(indicators)).group_by(*group)
    yes = {q.key: q.meets["equals"] for q in indicators if q.aggregation == "share_meeting" and _counts_yes(q)}
    derived, by_rule, needs_more = {q.key for q in means}, {q.key for q in rules}, {q.key for q in more}
    rows = []
    for key, basis, n, prov, sa, sb, na, sn, nn, meets, total, counted in uow.session.execute(stmt):
        extra = key in needs_more
        rows.append(GroupRow(period_id, key, basis, n, prov, sa, sb,
                             sn if key in derived else sa, nn if key in derived else na,
                             meets if key in by_rule else _yeses(yes.get(key), n, sa),
                             total if extra else None, counted if extra else None))
    return rows


@dataclass(frozen=True)
class SubmissionState:
    """Where one unit's submission for a period stands."""

    unit_id: int
    status: str
    on_time: bool | None
    submitted_at: object
    answered: int


def submission_states(uow: UnitOfWork, scope: Scope, period_id: int) -> dict[int, SubmissionState]:
    """Every submission of the period in the scope, by unit, with how many questions it answered."""
    answered = (select(Answer.submission_id, func.count().label("n"))
                .where((Answer.value.is_not(None)) | Answer.skipped)
                .join(Submission, Submission.id == Answer.submission_id)
                .where(Submission.period_id == period_id, Submission.status == SubmissionStatus.DRAFT)
                .group_by(Answer.submission_id).subquery())
    stmt = (select(Submission.unit_id, Submission.status, Submission.on_time, Submission.submitted_at,
                   func.coalesce(answered.c.n, 0))
            .join(Unit, Unit.id == Submission.unit_id)
            .outerjoin(answered, answered.c.submission_id == Submission.id)
            .where(Submission.period_id == period_id, scope_clause(uow, scope)))
    return {r[0]: SubmissionState(*r) for r in uow.session.execute(stmt)}
