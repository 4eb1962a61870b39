"""The status-against-target rule (reports/status.py), case by case with hand-computed projections."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.forms import Indicator, TargetInfo
from reports.status import assess
from storage.values import Shape


def indicator(shape: Shape = Shape.RATIO, aggregation: str = "weighted", direction: str = "up") -> Indicator:
    return Indicator(key="x", number="1", label="x", short_label="x", shape=shape, aggregation=aggregation,
                     direction=direction, meets=None, providers=("province",), is_section=False, optional=False,
                     unit_of_measure=None, outlier_pct=50)


def target(value: str, year: int = 2025) -> TargetInfo:
    return TargetInfo("x", year, None, value, "goal", Decimal(value))


D = Decimal


@pytest.mark.parametrize(("value", "baseline", "fraction", "code", "projected"), [
    # a share from 92% (last year) towards 100%: at Q3, 97% projects to 92 + 5/0,75 = 98,67% → short
    (D(97), D(92), 0.75, "at_risk", D(92) + D(5) / D("0.75")),
    # 98% at Q3 projects to 100% → on track
    (D(98), D(92), 0.75, "on_track", D(100)),
    # at Q4 (f = 1) the figure is compared directly
    (D("99.9"), D(92), 1.0, "at_risk", D("99.9")),
    # without a baseline, direct comparison
    (D(100), None, 0.25, "on_track", D(100)),
])
def test_levels_at_a_linear_pace(value: Decimal, baseline: Decimal | None, fraction: float, code: str,
                                 projected: Decimal) -> None:
    status = assess(indicator(), value, target("100"), None, baseline, fraction)
    assert status.code == code
    assert abs(status.projected - projected) < D("0.0001")


def test_far_exceeding_needs_more_than_ten_points_for_percentages() -> None:
    q = indicator()
    # 70% → Q1 76% projects to 70 + 6×4 = 94%, 14 points above 80% → far exceeding
    assert assess(q, D(76), target("80"), None, D(70), 0.25).code == "far_exceeding"
    # 72% projects to 78% < 80% → at risk; 73% → 82% → on track
    assert assess(q, D(72), target("80"), None, D(70), 0.25).code == "at_risk"
    assert assess(q, D(73), target("80"), None, D(70), 0.25).code == "on_track"


def test_projected_shares_stay_within_hundred_percent() -> None:
    status = assess(indicator(), D(97), target("100"), None, D(92), 0.25)  # 92 + 5×4 = 112 → 100
    assert status.projected == 100 and status.code == "on_track"


def test_direction_down_wants_the_first_share_to_fall() -> None:
    q = indicator(Shape.SHARE_PAIR, "pair_from_counts", "down")
    # 62% last year, target 60%: Q1 61,5% projects to 62 − 0,5×4 = 60% → on track; 61,8% → 61,2% → at risk
    assert assess(q, D("61.5"), target("60"), None, D(62), 0.25).code == "on_track"
    assert assess(q, D("61.8"), target("60"), None, D(62), 0.25).code == "at_risk"
    assert assess(q, D(45), target("60"), None, None, 1.0).code == "far_exceeding"


def test_growth_is_compared_directly() -> None:
    q = indicator(Shape.GROWTH)
    status = assess(q, D(15), target("20"), None, D(40), 0.75)
    assert status.projected == 15 and status.code == "at_risk"
    assert assess(q, D(31), target("20"), None, None, 0.5).code == "far_exceeding"


def test_counts_have_a_margin_of_a_fifth_of_the_target() -> None:
    q = indicator(Shape.COUNT, "sum")
    assert assess(q, D(12), target("10"), None, None, 1.0).code == "on_track"  # +2 = 20%: not beyond
    assert assess(q, D(13), target("10"), None, None, 1.0).code == "far_exceeding"
    assert assess(q, D(9), target("10"), None, D(8), 0.5).code == "on_track"  # 8 + 1/0,5 = 10


def test_no_target_shows_the_reference_and_no_data_says_so() -> None:
    q = indicator()
    status = assess(q, D(90), None, target("100"), None, 0.5)
    assert status.code == "no_target" and status.reference.year == 2025 and not status.judged
    assert assess(q, None, target("100"), None, None, 0.5).code == "no_data"
