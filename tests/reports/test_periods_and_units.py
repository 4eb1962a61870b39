"""Reading period arguments, the default period, and units merged in 2025 (current name, history kept)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.app import App
from reports.forms import all_forms, form_info
from reports.periods import Request, first_due, parse_request, period_code, resolve, year_fraction
from reports.scope import subtree_scope
from reports.summary import build_summary
from tests.helpers.chat import Chat
from tests.reports.factories import filled


@pytest.mark.parametrize(("typed", "code"), [
    ("2026-Q3", "2026-Q3"), ("2026-q3", "2026-Q3"), ("2026Q3", "2026-Q3"), ("Q3/2026", "2026-Q3"),
    ("q3-2026", "2026-Q3"), ("2026", "2026"), ("quý", None), ("26-Q3", None),
])
def test_period_codes(typed: str, code: str | None) -> None:
    assert period_code(typed) == code


def test_arguments_in_any_order() -> None:
    assert parse_request("cl 2026-q3", {"CL", "CDS"}) == Request("2026-Q3", "CL", ())
    assert parse_request("2 2026-Q3", {"CL", "CDS"}) == Request("2026-Q3", None, ("2",))


@pytest.mark.parametrize(("today", "form", "expected"), [
    (date(2026, 11, 21), None, ("CDS", "2026")),   # CDS 2026: first due 25/11, within its 14-day lead
    (date(2026, 11, 21), "CL", ("CL", "2026-Q3")),  # CL 2026-Q4 due 05/12: 14 days away, CL's lead is 7
    (date(2026, 11, 30), "CL", ("CL", "2026-Q4")),  # 7 days before 07/12 (05/12 is a Saturday): Q4 is live
    (date(2026, 10, 6), None, ("CL", "2026-Q3")),   # just after Q3's due date
    (date(2027, 1, 2), None, ("CL", "2026-Q4")),   # by first due date: CL Q4 (05/12) is later than CDS (25/11)
])
def test_default_period(app: App, today: date, form: str | None, expected: tuple[str, str]) -> None:
    with app.read_uow() as uow:
        found, period = resolve(uow, Request(None, form), all_forms(uow), today)
    assert (found.code, period.code) == expected


def test_due_dates_and_year_fractions(app: App) -> None:
    with app.read_uow() as uow:
        cds = uow.periods.by_code("CDS", "2026")
        assert (first_due(cds), cds.due_on) == (date(2026, 11, 25), date(2026, 12, 30))
        assert [year_fraction(uow.periods.by_code("CL", f"2026-Q{n}")) for n in range(1, 5)] == [0.25, 0.5, 0.75, 1]
        assert year_fraction(cds) == 1


def test_merged_province_appears_under_its_current_name_with_its_history(
        app: App, registered: Callable[..., Chat]) -> None:
    filled(app, ("QUANGBINH", "CL", "2025-Q1", {"ct2": "30.000/40.000"}),
           ("QUANGTRI", "CL", "2025-Q1", {"ct2": "60.000/80.000"}))
    with app.read_uow() as uow:
        scope = subtree_scope(uow, "QUANGTRI")
        q1 = build_summary(uow, scope, form_info(uow, "CL"), uow.periods.by_code("CL", "2025-Q1"), app.clock.local())
        q3 = build_summary(uow, scope, form_info(uow, "CL"), uow.periods.by_code("CL", "2025-Q3"), app.clock.local())
    assert (q1.completeness.expected, q1.completeness.submitted) == (2, 2)  # Quảng Bình still existed on 05/04/2025
    assert q1.lines[1].agg.numerator == 90_000 and q1.lines[1].agg.denominator == 120_000
    assert q3.completeness.expected == 1  # merged on 01/07/2025
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/chitieu 2 2025-Q1")
    assert "Quảng Trị (Quảng Bình cũ): 30.000/40.000 (75%)" in analyst.text
    assert "Tổng hợp: 75% (90.000/120.000)" in analyst.text
    other = registered("HANOI", "analyst")
    other.send("/chitieu 2 2025-Q1")
    assert "Quảng" not in other.text


def test_words_that_are_not_periods_are_refused(app: App, registered: Callable[..., Chat]) -> None:
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop soon")
    assert analyst.text.strip() == "Không hiểu «soon». Ví dụ: /tonghop 2026-Q3 CL, /thieu 2026, /chitieu 2 2026-Q3."
    analyst.send("/thieu 2026 CL")
    assert "Không có kỳ «2026». Các kỳ hiện có: biểu CL từ Quý I/2023 đến" in analyst.text
