"""The benchmark data generator builds what it says (bench/generate.py; timings live in `make bench`)."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.generate import build
from storage.db import Database
from storage.models import Answer, Period, Submission, Unit


def test_generator_builds_units_answers_and_eight_periods(sqlite_url: str) -> None:
    rows = build(sqlite_url, units=3, indicators=4, periods=8)
    assert rows == 3 * 4 * 8
    db = Database.connect(sqlite_url)
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Answer)) == rows
        assert conn.scalar(select(func.count()).select_from(Submission)) == 3 * 8
        assert conn.scalar(select(func.count()).select_from(Unit).where(Unit.kind == "agency")) == 3
        assert sorted(conn.scalars(select(Period.code))) == [str(y) for y in range(2019, 2027)]
    db.dispose()
