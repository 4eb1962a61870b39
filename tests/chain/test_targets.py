"""Form 2 targets as the documents write them: their source, what a share counts, e-press only, the 2030 goal."""

from __future__ import annotations

from decimal import Decimal

from bot.app import App
from reports.forms import form_info
from reports.requests import choose_exactly
from reports.scope import subtree_scope
from reports.summary import build_summary
from tests.reports.factories import filled

SENT = {"dien_tu": "có", "attt": "có"}


def test_every_form2_target_names_its_source_and_there_is_no_national_one(app: App) -> None:
    with app.read_uow() as uow:
        info = form_info(uow, "CDS")
    assert info.targets and all(x.source for x in info.targets)
    assert {x.scope for x in info.targets} == {"BTC", "QUANGTRI"}
    revenue = next(x for x in info.targets if x.key == "tang_doanh_thu" and x.scope == "QUANGTRI" and x.year == 2025)
    assert revenue.shown == "50% cơ quan báo chí có doanh thu tăng từ 20% trở lên"
    assert revenue.source == "Kế hoạch UBND tỉnh Quảng Trị, mục II.1"
    assert info.goal_year(2025) == 2025 and info.goal_year(2026) == 2030 and info.goal_year(2031) == 2030


def test_the_ministrys_security_target_counts_e_press_units_only(app: App) -> None:
    filled(app, ("BTC-TBTC", "CDS", "2025", {"dien_tu": "có", "attt": "có"}),
           ("BTC-TCTC", "CDS", "2025", {"dien_tu": "có", "attt": "không"}),
           ("BTC-THUE", "CDS", "2025", {"dien_tu": "không", "attt": "không"}),  # a print magazine: not counted
           ("QT-BAO", "CDS", "2025", {"dien_tu": "không", "attt": "không"}),
           ("QT-DAI", "CDS", "2025", {"dien_tu": "có", "attt": "có"}))
    with app.read_uow() as uow:
        at = app.clock.local()
        for unit, expected, n in (("BTC", Decimal(50), 2), ("QUANGTRI", Decimal(50), 2)):
            scope = subtree_scope(uow, unit)
            form, period = choose_exactly(uow, scope, "2025", "CDS", at)
            line = next(x for x in build_summary(uow, scope, form, period, at).lines if x.q.key == "attt")
            assert (line.agg.value, line.agg.denominator) == (expected, n), unit
        # Quảng Trị's target is for all its agencies (its plan, II.1): 1 of 2; the ministry's, e-press: 1 of 2
        assert line.status.target.shown.startswith("100% cơ quan báo chí có giải pháp")
        scope = subtree_scope(uow, "BTC")
        form, period = choose_exactly(uow, scope, "2025", "CDS", at)
        line = next(x for x in build_summary(uow, scope, form, period, at).lines if x.q.key == "attt")
        assert line.agg.method == "share_meeting_among" and line.status.code == "at_risk"
        assert line.status.target.shown.startswith("100% đơn vị báo chí điện tử có giải pháp")
