"""Aggregates computed in SQL on both databases, against hand-computed figures (see data.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.app import App
from reports.forms import form_info
from reports.scope import Scope, subtree_scope
from reports.summary import Summary, build_summary
from tests.reports.data import CDS_2025, CL_Q2, CL_Q3, CT2_Q2, CT2_Q3, load


def summary(app: App, form: str, period: str, scope: Scope | str | None = None) -> Summary:
    with app.read_uow() as uow:
        if not isinstance(scope, Scope):
            scope = subtree_scope(uow, scope)
        return build_summary(uow, scope, form_info(uow, form), uow.periods.by_code(form, period), app.clock.local())


def lines(s: Summary) -> dict:
    return {line.q.key: line for line in s.lines}


def close(x: Decimal | None, y: Decimal | float, places: int = 6) -> bool:
    return x is not None and abs(Decimal(x) - Decimal(str(y))) < Decimal(10) ** -places


def test_form1_weighted_pairs_and_ratios(any_app: App) -> None:
    load(any_app, CL_Q2, CL_Q3)
    s = lines(summary(any_app, "CL", "2025-Q3"))
    ct1, ct2 = s["ct1"].agg, s["ct2"].agg
    assert close(ct1.value, 50) and ct1.method == "pair_counts_partial"
    assert (ct1.units, ct1.left_out, ct1.answered, ct1.provisional) == (2, 1, 3, 1)
    assert close(ct1.left_out_mean, 62)
    assert ct1.numerator == 1_500_000 and ct1.denominator == 1_500_000
    assert close(ct2.value, CT2_Q3) and ct2.method == "ratio_counts"
    assert (ct2.numerator, ct2.denominator, ct2.units, ct2.provisional) == (229_500, 280_000, 3, 1)
    assert close(s["ct2"].previous.value, CT2_Q2)
    assert close(s["ct1"].previous.value, 60) and s["ct1"].previous.left_out == 1


def test_form1_central_indicators(any_app: App) -> None:
    load(any_app, CL_Q3)
    s = lines(summary(any_app, "CL", "2025-Q3"))
    assert close(s["ct3"].agg.value, 15) and s["ct3"].agg.method == "growth_counts"
    assert close(s["ct4"].agg.value, 30) and s["ct4"].agg.method == "growth_mean"
    assert close(s["ct5"].agg.value, 56.25)
    assert s["ct7"].agg.value == 8 and s["ct7"].agg.method == "sum"
    assert s["ct8"].agg.value == 7 and close(s["ct8"].agg.second, 2.6)
    assert s["ct9"].agg.value == 60


def test_drafts_are_not_counted_and_completeness(any_app: App) -> None:
    load(any_app, CL_Q3)
    s = summary(any_app, "CL", "2025-Q3")
    c = s.completeness
    assert (c.expected, c.submitted, c.on_time, c.late, c.drafts) == (35, 4, 3, 1, 1)  # 34 provinces + CBC
    assert c.rate == Decimal(400) / 35 and c.rate_on_time == Decimal(300) / 35
    assert (c.by_kind["province"].expected, c.by_kind["province"].submitted) == (34, 3)
    assert s.provisional == 2


def test_form2_shares_meeting_means_and_growth(any_app: App) -> None:
    load(any_app, CDS_2025)
    s = lines(summary(any_app, "CDS", "2025"))
    assert s["nen_tang_so"].agg.value == 75 and (s["nen_tang_so"].agg.numerator, s["nen_tang_so"].agg.denominator) == (3, 4)
    assert s["tang_doanh_thu"].agg.value == 75
    assert close(s["dao_tao"].agg.value, Decimal(9000) / 95)  # people: (45 + 45) / (45 + 50), not agencies at 100%
    assert close(s["doanh_thu_so"].agg.value, 20) and s["doanh_thu_so"].agg.provisional == 1
    assert close(s["doc_gia"].agg.value, Decimal(100) / 6) and s["doc_gia"].agg.left_out == 1
    assert close(s["truong_thanh"].agg.value, 510.25)
    assert s["ke_hoach"].agg is None


def test_subtree_scope_and_its_own_target(any_app: App) -> None:
    load(any_app, CDS_2025)
    qt = lines(summary(any_app, "CDS", "2025", "QUANGTRI"))
    assert qt["nen_tang_so"].agg.value == 50  # QT-BAO no, QT-DAI yes
    assert qt["nen_tang_so"].status.target.text == "75%"  # Quảng Trị's own 2025 target
    assert qt["tang_doanh_thu"].status.target.text == "50%"
    national = lines(summary(any_app, "CDS", "2025"))
    assert national["nen_tang_so"].status.code == "no_target"  # QĐ 348's own figures are not in the documents
    btc = summary(any_app, "CDS", "2025", "BTC")
    assert btc.completeness.expected == 7 and btc.completeness.submitted == 2  # 6 press units + the ministry's own part
    assert btc.completeness.by_kind["agency"].expected == 6


@pytest.mark.parametrize("scope", ["CBC", None])
def test_analyst_of_the_root_sees_what_the_admin_sees(app: App, scope: str | None) -> None:
    load(app, CL_Q3)
    s = summary(app, "CL", "2025-Q3", scope)
    assert s.completeness.submitted == 4 and close(lines(s)["ct2"].agg.value, CT2_Q3)
