"""A generated database for `/tonghop` at scale: units × indicators × periods, built with bulk inserts.

Used by `python -m bench summary`; also runnable alone:
`python -m bench.generate [--units 10000] [--indicators 50] [--periods 8] [--url sqlite:///…]`.
The BENCH form is yearly; its periods are the years ending in 2026 (8 periods: 2019 … 2026), every
agency has sent every period.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import insert, text

from conversations.catalog.schema import FormDef
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Answer, Form, Period, Question, Submission, Unit
from storage.uow import UnitOfWork
from storage.values import Basis, Value

SHAPES = [  # (shape, aggregation, meets) cycled over the 50 indicators
    ("ratio", "weighted", None), ("share_pair", "pair_from_counts", None), ("growth", "weighted", None),
    ("count", "sum", None), ("yes_no", "share_meeting", {"equals": True}), ("number", "mean", None),
    ("growth", "share_meeting", {"min": 20}), ("count_share", "sum", None),
]
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def bench_form(indicators: int = 50, first_year: int = 2025) -> FormDef:
    """A yearly form of `indicators` questions answered by press agencies."""
    questions = [{"key": f"q{i}", "number": str(i + 1), "label": f"Chỉ tiêu thử {i + 1}", "shape": shape,
                  "providers": ["agency"], "aggregation": agg, **({"meets": meets} if meets else {})}
                 for i, (shape, agg, meets) in ((i, SHAPES[i % len(SHAPES)]) for i in range(indicators))]
    return FormDef.model_validate({"code": "BENCH", "title": "Biểu thử tải", "first_year": first_year,
                                   "calendar": {"frequency": "yearly", "periods": [{"slot": "Y", "covers": [1],
                                                                                    "due": "11-25"}]},
                                   "questions": questions})


def _value(shape: str, rnd: random.Random) -> dict:
    if shape in ("ratio", "share_pair", "growth"):
        b = rnd.randint(100, 10_000)
        return {"a": float(rnd.randint(0, b) if shape == "ratio" else rnd.randint(50, 2 * b)), "b": float(b),
                "basis": "counts" if rnd.random() < 0.9 else "percent"}
    if shape == "yes_no":
        return {"a": float(rnd.random() < 0.6), "b": None, "basis": "value"}
    if shape == "count_share":
        return {"a": float(rnd.randint(0, 20)), "b": rnd.uniform(0.5, 10), "basis": "value"}
    return {"a": float(rnd.randint(0, 1000)), "b": None, "basis": "value"}


LAST_YEAR = 2026


def build(url: str, units: int = 10_000, indicators: int = 50, periods: int = 8) -> int:
    """Units under 34 provinces, the BENCH form, `periods` yearly periods ending in 2026, and sent answers
    for every agency in every period. Returns the number of answer rows."""
    db, rnd = Database.connect(url), random.Random(7)
    years = list(range(LAST_YEAR - periods + 1, LAST_YEAR + 1))
    form = bench_form(indicators, first_year=years[0])
    with UnitOfWork(db.sessions()) as uow:
        s = uow.session
        root = Unit(code="CBC", name="Cục Báo chí", kind="central", path="/CBC/")
        s.add(root)
        s.flush()
        provinces = [Unit(code=f"P{p:02d}", name=f"Tỉnh {p}", kind="province", parent_id=root.id,
                          path=f"/CBC/P{p:02d}/") for p in range(34)]
        s.add_all(provinces)
        s.flush()
        s.execute(insert(Unit), [{"code": f"A{u:05d}", "name": f"Cơ quan báo chí {u}", "kind": "agency",
                                  "parent_id": provinces[u % 34].id, "path": f"{provinces[u % 34].path}A{u:05d}/",
                                  "created_at": NOW, "updated_at": NOW} for u in range(units)])
        f = Form(code="BENCH", version=1, content_hash="x", title=form.title, definition=form.model_dump(mode="json"),
                 questions=[Question(key=q.key, position=i, kind=q.kind, number=q.number, label=q.label,
                                     shape=q.shape.value, aggregation=q.aggregation, providers=list(q.providers))
                            for i, q in enumerate(form.questions)])
        s.add(f)
        periods = [Period(form_code="BENCH", code=str(y), year=y, slot="Y", opens_on=date(y, 9, 1),
                          due_on=date(y, 11, 25), lock_on=date(y + 1, 1, 30), covers=[f"{y}-01"]) for y in years]
        s.add_all(periods)
        s.flush()
        unit_ids = [u.id for u in s.query(Unit).filter(Unit.kind == "agency").order_by(Unit.id)]
        _answers(s, f.id, periods[-1].id, unit_ids, form, rnd)
        for period in periods[:-1]:  # earlier periods: the same answers, copied in SQL (much faster)
            _copy_period(s, periods[-1].id, period.id)
        uow.commit()
    with db.engine.connect() as conn:  # statistics, as autovacuum (PostgreSQL) or a maintenance job would keep
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    db.dispose()
    return units * indicators * len(years)


POOL = 64  # distinct values per question, drawn at random for each unit (building 4 M JSON values is slow)


def _answers(s, form_id: int, period_id: int, unit_ids: list[int], form: FormDef, rnd: random.Random) -> None:  # noqa: ANN001
    s.execute(insert(Submission), [{"unit_id": u, "period_id": period_id, "form_id": form_id, "status": "submitted",
                                    "submitted_at": NOW, "on_time": rnd.random() < 0.8, "created_at": NOW,
                                    "updated_at": NOW, "version": 1} for u in unit_ids])
    subs = dict(s.query(Submission.unit_id, Submission.id).filter(Submission.period_id == period_id).all())
    pools = {}
    for q in form.questions:
        pool = []
        for _ in range(POOL):
            v = _value(q.shape.value, rnd)
            value = Value(q.shape, Basis(v["basis"]), Decimal(repr(v["a"])),
                          None if v["b"] is None else Decimal(repr(v["b"]))).to_json()
            pool.append({"value": value, **v})
        pools[q.key] = pool
    batch: list[dict] = []
    for u in unit_ids:
        for q in form.questions:
            batch.append({"submission_id": subs[u], "question_key": q.key, "raw_text": "x", "skipped": False,
                          "provisional": rnd.random() < 0.05, "revision": 1, "updated_at": NOW,
                          **rnd.choice(pools[q.key])})
        if len(batch) >= 50_000:
            s.execute(insert(Answer), batch)
            batch = []
    if batch:
        s.execute(insert(Answer), batch)


def _copy_period(s, source: int, target: int) -> None:  # noqa: ANN001
    """Every submission and answer of period `source` again for period `target`."""
    s.execute(text("INSERT INTO submissions (unit_id, period_id, form_id, status, submitted_at, on_time, "
                   "created_at, updated_at, version) SELECT unit_id, :t, form_id, status, submitted_at, on_time, "
                   "created_at, updated_at, version FROM submissions WHERE period_id = :s"), {"s": source, "t": target})
    s.execute(text("INSERT INTO answers (submission_id, question_key, raw_text, value, a, b, basis, skipped, "
                   "provisional, revision, updated_at) SELECT n.id, a.question_key, a.raw_text, a.value, a.a, a.b, "
                   "a.basis, a.skipped, a.provisional, a.revision, a.updated_at FROM answers a "
                   "JOIN submissions o ON o.id = a.submission_id AND o.period_id = :s "
                   "JOIN submissions n ON n.unit_id = o.unit_id AND n.period_id = :t"), {"s": source, "t": target})


def main() -> None:
    """Build a database (a temporary SQLite file unless --url) and print the timings against the goals."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--periods", type=int, default=8)
    parser.add_argument("--url")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    upgrade(url)
    t0 = time.perf_counter()
    rows = build(url, args.units, args.indicators, args.periods)
    print(f"built {args.units} units × {args.indicators} indicators × {args.periods} periods ({rows} answers) "
          f"in {time.perf_counter() - t0:.1f} s ({url})")


if __name__ == "__main__":
    main()
