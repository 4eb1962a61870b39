"""`/thieu` (who still owes, with reachability) and `/chitieu` (one indicator: sorted, outliers, missing)."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from reports.forms import form_info
from reports.indicator import indicator_table
from reports.missing import missing, missing_text
from reports.scope import Scope
from tests.helpers.chat import Chat
from tests.reports.data import CL_Q3, load


def test_thieu_lists_not_started_drafts_and_provisional_with_focal_persons(
        app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    registered("HANOI", name="Trần Văn C", user_id="hn")
    registered("LAICHAU", name="Lò Thị D", user_id="lc")
    with app.uow() as uow:
        uow.people.mark_unreachable(uow.people.identity("test", "lc"), "blocked the bot")
        uow.commit()
    analyst = registered("CBC", "analyst")
    analyst.send("/thieu 2025-Q3")
    text = analyst.text
    assert analyst.title == "Đơn vị chưa nộp, còn số liệu tạm: Chỉ tiêu Chiến lược báo chí · Quý III/2025"
    assert "Chưa nộp 31/35 đơn vị · đã nộp nhưng còn số liệu tạm ước tính: 2" in text
    assert "• An Giang — chưa bắt đầu, quá hạn 411 ngày · Đầu mối: chưa có đầu mối đăng ký" in text
    assert ("• Lai Châu — đang nhập (đã trả lời 2 câu), quá hạn 411 ngày · Đầu mối: "
            "Lò Thị D (test, KHÔNG liên lạc được: blocked the bot)") in text
    assert "• Hà Nội" not in text.split("Còn số liệu tạm")[0]  # Hà Nội sent (late), nothing provisional
    provisional = text.split("Còn số liệu tạm ước tính (2):")[1]
    assert "• Huế — tạm ước tính ở chỉ tiêu 1" in provisional
    assert "• Quảng Trị — tạm ước tính ở chỉ tiêu 2 · Đầu mối: chưa có đầu mối đăng ký" in provisional
    assert text.index("An Giang") < text.index("Lai Châu")  # not started before drafts


def test_thieu_when_everyone_is_done(app: App, registered: Callable[..., Chat]) -> None:
    load(app, [row for row in CL_Q3 if row[0] == "CBC"])
    registered("QT-BAO", name="Phan E", user_id="qtbao")
    with app.read_uow() as uow:
        m = missing(uow, Scope(), form_info(uow, "CL"), uow.periods.by_code("CL", "2025-Q3"), app.clock.local())
    assert len(m.owed) == 34 and all(o.state == "none" for o in m.owed)
    text, cut = missing_text(m, "en")
    assert not cut and "Not submitted 34/35 units" in text and "no focal person registered" in text


# ct2 by six provinces: 10, 80, 82, 84, 86, 88 (%). Quartiles (inclusive): Q1 = 80,5, Q3 = 85,5, IQR = 5,
# fences 73 and 93: Điện Biên's 10% is an outlier. Sơn La had 40% last quarter: +115% is a jump (> 50%).
CT2 = {"QUANGTRI": "80/100", "HANOI": "82/100", "LAICHAU": "84/100", "SONLA": "86/100", "HUE": "88/100",
       "DIENBIEN": "10/100"}


def test_chitieu_sorts_flags_outliers_and_names_the_missing(app: App, registered: Callable[..., Chat]) -> None:
    load(app, [(u, "CL", "2025-Q3", {"ct2": v}) for u, v in CT2.items()],
         [("SONLA", "CL", "2025-Q2", {"ct2": "40/100"}), ("HUE", "CL", "2025-Q2", {"ct2": "85/100"})])
    with app.read_uow() as uow:
        form = form_info(uow, "CL")
        table = indicator_table(uow, Scope(), form, uow.periods.by_code("CL", "2025-Q3"), form.indicator("ct2"),
                                app.clock.local())
    assert [v.unit.code for v in table.values] == ["HUE", "SONLA", "LAICHAU", "HANOI", "QUANGTRI", "DIENBIEN"]
    assert table.fences == (73, 93)
    assert {v.unit.code: v.flags for v in table.values if v.flags} == {"SONLA": ("jump",), "DIENBIEN": ("low",)}
    assert len(table.missing) == 28
    analyst = registered("CBC", "analyst")
    analyst.send("/chitieu 2 2025-Q3")
    text = analyst.text
    assert analyst.title == "Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí · Quý III/2025: Người dân vùng sâu, xa tiếp cận báo chí thiết yếu"
    assert "Tổng hợp: 71,7% (430/600)" in text
    assert "Ngưỡng bất thường (1,5×IQR): dưới 73% hoặc trên 93%" in text
    assert "1. Huế: 88/100 (88%)\n2. Sơn La: 40/100" not in text
    assert "2. Sơn La: 86/100 (86%) ⚠ khác xa kỳ trước" in text
    assert "6. Điện Biên: 10/100 (10%) ⚠ thấp bất thường" in text
    assert "Cần kiểm tra: Sơn La, Điện Biên" in text
    assert "Chưa có số liệu (28): An Giang, Bắc Ninh" in text
