"""Issue 11 §5 and §8 through the chat: the analyst's defaults, the year view, period names, words."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.app import App
from conversations.messages import DocumentOut
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reports.data import CL_Q2, CL_Q3, load


def test_the_method_names_the_units_left_out(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2025-Q3 CL")
    assert "Huế chỉ nêu tỷ lệ % (62%) nên không tính" in analyst.text
    assert "trung bình của họ" not in analyst.text


def test_a_count_with_a_share_target_says_what_it_counts(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2025-Q3 CL")
    assert "chỉ tiêu 2025: 15 cơ quan (5,6%; mục tiêu 5–10%)" in analyst.text
    assert "(5-10%)" not in analyst.text


CDS_QT_2026 = (
    ("QT-BAO", "CDS", "2026", {"nen_tang_so": "có", "tang_doanh_thu": "25%"}),
    ("QT-DAI", "CDS", "2026", {"nen_tang_so": "có", "tang_doanh_thu": "10%"}),
    ("QUANGTRI", "CL", "2026-Q4", {"ct1": "1.200.000/800.000", "ct2": "120.500/150.000"}),
)


def test_a_province_analyst_defaults_to_the_form_its_unit_collects(app: App, registered: Callable[..., Chat]) -> None:
    """03/12/2026: Tạp chí Cửa Việt is 8 days late with Form 2; Quảng Trị's own Form 1 is in."""
    load(app, CDS_QT_2026)
    app.clock.set(vn(2026, 12, 3, 15, 12))
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/thieu")
    assert analyst.title == "Đơn vị chưa nộp, còn số liệu tạm: Chuyển đổi số báo chí · Năm 2026"
    assert "• Tạp chí Cửa Việt — chưa bắt đầu, quá hạn 8 ngày" in analyst.text
    assert "Tất cả đơn vị đã nộp" not in analyst.text
    analyst.send("/tonghop")
    assert analyst.title == "Tổng hợp Chuyển đổi số báo chí · Năm 2026"
    assert "Đã nộp 2/4 đơn vị" in analyst.text  # the three agencies and the province's own part
    analyst.send("/thieu CL")  # the province's own Form 1 is still there when named
    assert analyst.title.endswith("Chỉ tiêu Chiến lược báo chí · Quý IV/2026")


def test_several_forms_collected_give_one_short_section_each(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3, CDS_QT_2026)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop")
    text = analyst.text
    assert analyst.title == "Tổng hợp 2 biểu Anh/Chị theo dõi"
    assert "■ Chỉ tiêu Chiến lược báo chí — Quý III/2026" in text and "■ Chuyển đổi số báo chí — Năm 2026" in text
    assert "/tonghop 2026-Q3 CL" in text and "/tonghop 2026 CDS" in text
    assert len(text) < 4000
    analyst.send("/thieu")
    assert analyst.title == "Đơn vị chưa nộp, còn số liệu tạm: 2 biểu Anh/Chị theo dõi"
    assert "■ Đơn vị chưa nộp, còn số liệu tạm: Chỉ tiêu Chiến lược báo chí · Quý III/2026" in analyst.text
    assert "■ Đơn vị chưa nộp, còn số liệu tạm: Chuyển đổi số báo chí · Năm 2026" in analyst.text
    assert len(analyst.text) < 4096


def test_form_1_for_a_province_lists_only_what_provinces_provide(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/tonghop 2025-Q3 CL")
    assert "1. Mất cân đối thụ hưởng báo chí" in analyst.text and "2. Người dân vùng sâu" in analyst.text
    for number in range(3, 10):
        assert f"\n{number}. " not in analyst.text, number
    national = registered("CBC", "analyst")
    national.send("/tonghop 2025-Q3 CL")
    assert "\n9. Tạp chí được cấp phép lại" in national.text


def test_chitieu_names_the_form_and_asks_which_when_two_have_the_number(
        app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("/chitieu 2")
    assert analyst.title == "Chỉ tiêu 2 của biểu nào?"
    assert "• Chỉ tiêu Chiến lược báo chí (CL): Chỉ tiêu 2. Người dân vùng sâu, xa tiếp cận báo chí thiết yếu" in analyst.text
    assert analyst.labels == ["Chuyển đổi số báo chí (CDS)", "Chỉ tiêu Chiến lược báo chí (CL)"]
    analyst.press("(CL)")
    assert analyst.title.startswith("Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí · Quý III/2026")
    analyst.send("/chitieu 2")
    analyst.press("(CDS)")
    assert analyst.title.startswith("Câu 2 · Chuyển đổi số báo chí · Năm 2026")
    assert "Theo đơn vị (0)" not in analyst.text and "Chưa đơn vị nào gửi số liệu chỉ tiêu này." in analyst.text
    analyst.send("chi tieu 2 quý III/2025 cl")  # typed, period by name
    assert analyst.title.startswith("Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí · Quý III/2025")
    assert "1. Huế: 9.000/10.000 (90%)" in analyst.text


@pytest.mark.parametrize(("typed", "title"), [("CL", "Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí"),
                                              ("cl", "Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí"),
                                              ("chien luoc", "Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí"),
                                              (" cds ", "Câu 2 · Chuyển đổi số báo chí"),
                                              ("chuyển đổi số", "Câu 2 · Chuyển đổi số báo chí")])
def test_the_form_typed_after_chitieu_asks_which_picks_it(app: App, registered: Callable[..., Chat], typed: str,
                                                          title: str) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("/chitieu 2")
    assert analyst.title == "Chỉ tiêu 2 của biểu nào?"
    analyst.send(typed)
    assert analyst.title.startswith(title), analyst.text


def test_words_in_both_forms_do_not_pick_one(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    analyst.send("/chitieu 2")
    analyst.send("báo chí")  # in both labels: neither is chosen
    assert "Chỉ tiêu 2 ·" not in (analyst.title or "") and "Câu 2 ·" not in (analyst.title or "")


def test_a_year_of_a_quarterly_form_shows_the_quarters_side_by_side(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3, CL_Q2)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2025 CL")
    assert analyst.title == "Tổng hợp Chỉ tiêu Chiến lược báo chí · Năm 2025 (các quý)", analyst.text
    assert "Đã nộp: Quý I 0/35 · Quý II 3/35 · Quý III 4/35 · Quý IV 0/35" in analyst.text
    assert "   Quý I: — · Quý II: 70,4% (190.000/270.000) · Quý III: 82% (229.500/280.000) · Quý IV: —" in analyst.text
    assert [r.filename for r in analyst.replies if isinstance(r, DocumentOut)] == ["tonghop-CL-2025-ca-nam-CBC-20261121-0900.xlsx"]


def test_period_names_are_shown_and_read(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    analyst = registered("CBC", "analyst")
    for typed in ("/tonghop Quý III/2025 CL", "/tonghop quy 3 nam 2025", "tong hop Q3/2025", "/tonghop 2025-Q3"):
        analyst.send(typed)
        assert analyst.title == "Tổng hợp Chỉ tiêu Chiến lược báo chí · Quý III/2025", typed
    analyst.send("/tonghop năm 2026")
    assert analyst.title == "Tổng hợp Chuyển đổi số báo chí · Năm 2026"


def test_an_unknown_period_lists_the_periods_in_words(app: App, registered: Callable[..., Chat]) -> None:
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2031-Q7")
    assert analyst.text.strip().startswith("Không có kỳ «2031-Q7». Các kỳ hiện có: biểu CDS từ Năm 2024 đến Năm ")
    assert "biểu CL từ Quý I/2023 đến Quý IV/2026" in analyst.text and "(biểu CDS, CL)" not in analyst.text
    assert "2027" not in analyst.text  # rounds not open yet are not offered


def test_a_form_2_target_says_what_its_share_counts(app: App, registered: Callable[..., Chat]) -> None:
    focal = registered("QT-BAO")
    focal.send("/nop")
    for answer in ("có", "có", "có", "có", "không"):
        focal.send(answer)
    assert focal.title == "Câu 6/23"
    assert "(năm 2025: 50% cơ quan báo chí có doanh thu tăng từ 20% trở lên;" in focal.text


def test_the_chart_keeps_the_target_line_off_the_labels_and_wraps_long_names(app: App) -> None:
    from matplotlib.lines import Line2D

    from reports.chart import summary_figure
    from reports.forms import form_info
    from reports.scope import Scope
    from reports.summary import build_summary

    load(app, CL_Q3)
    with app.read_uow() as uow:
        s = build_summary(uow, Scope(), form_info(uow, "CL"), uow.periods.by_code("CL", "2025-Q3"), app.clock.local())
        fig = summary_figure(s)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    dashed = [ln for ln in ax.get_lines() if isinstance(ln, Line2D) and ln.get_linestyle() == "--"]
    assert len(dashed) == 1
    x = ax.transData.transform((100, 0))[0]
    labels = [txt for txt in ax.texts if "chỉ tiêu" in txt.get_text() or "—" in txt.get_text()]
    assert len(labels) == 9
    for label in labels:
        box = label.get_window_extent(renderer)
        assert not box.x0 <= x <= box.x1, label.get_text()  # the dashed line passes beside, never through
    assert any("chỉ tiêu 2025: 60%/40%" in label.get_text() for label in labels)  # not «CT 2025»
    names = [tick.get_text() for tick in ax.get_yticklabels()]
    assert "1. Mất cân đối thụ hưởng báo chí (thành\nthị/nông thôn)" in names
    assert not any("…" in name for name in names)


def test_a_focal_person_may_name_the_period_in_words(app: App, registered: Callable[..., Chat]) -> None:
    focal = registered("QUANGTRI")
    focal.send("nộp quý IV/2026")
    assert focal.title == "Chỉ tiêu 1 · câu 1/7" and "Quý IV/2026" in focal.text
    focal.send("1.200.000/800.000")
    focal.send("/xem Quý IV/2026")
    assert "1.200.000/800.000" in focal.text
