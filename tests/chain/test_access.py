"""Who may work a round: a unit's own analysts only; a focal person and another unit's analyst are refused."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from storage.models import CorrectionRequest
from tests.helpers.chat import Chat
from tests.reports.factories import filled


def test_only_the_collecting_units_analysts_review_ask_back_and_forward(app: App,
                                                                         registered: Callable[..., Chat]) -> None:
    filled(app, ("BTC-TBTC", "CDS", "2026", {"nen_tang_so": "có"}), ("QT-BAO", "CDS", "2026", {"nen_tang_so": "có"}))
    focal = registered("QT-BAO")
    for command in ("/duyet", "/yeucausua QT-BAO sai", "/guilen", "/baocao"):
        focal.send(command)
        name = command.split()[0]
        assert focal.text.strip() == f"Lệnh {name} chỉ dành cho cán bộ tổng hợp hoặc quản trị viên.", command
    province = registered("QUANGTRI", "analyst")
    province.send("/yeucausua BTC-TBTC Câu 2 chưa đúng")
    assert "Đơn vị BTC-TBTC không thuộc vòng tổng hợp nào đang mở của Anh/Chị." in province.text
    province.send("/duyet BTC-TBTC")
    assert "không thuộc vòng tổng hợp" in province.text and "Thời báo Tài chính" not in province.text
    province.send("/baocao 2026 CDS BTC")
    assert "BTC" in province.text and not [r for r in province.replies if hasattr(r, "filename")]
    province.send("/yeucausua QT-DAI Câu 2")
    assert "chưa gửi số liệu Năm 2026" in province.text  # nothing sent, nothing to correct
    with app.uow() as uow:
        assert uow.session.query(CorrectionRequest).count() == 0
