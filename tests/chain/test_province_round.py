"""Quảng Trị's Form 2 round end to end through the chat (seed 003 VI; Công văn 5422)."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from conversations.messages import ButtonIn
from storage.models import AnswerRevision, CorrectionRequest, Forwarding
from tests.chain.round import AGENCIES, PROVINCE_PART, agencies, answer_all, notices
from tests.helpers.chat import Chat
from tests.helpers.clock import vn


def test_a_province_reviews_asks_back_writes_its_part_and_forwards_on_time(
        app: App, registered: Callable[..., Chat]) -> None:
    focal = agencies(registered)
    analyst = registered("QUANGTRI", "analyst", name="Hồ Văn Tỉnh")
    cbc = registered("CBC", "analyst", name="Trần Thị Tổng Hợp")
    for code, chat in focal.items():
        answer_all(chat, AGENCIES[code])

    analyst.send("duyet")  # typed without slash
    assert "Tình hình tổng hợp: Chuyển đổi số báo chí Năm 2026 — Quảng Trị" in analyst.text
    assert "Hạn gửi báo cáo tổng hợp lên Cục Báo chí: 30/12/2026 (còn 39 ngày)." in analyst.text
    assert "Đã nhận 3/3 đơn vị:" in analyst.text and "• Tạp chí Cửa Việt (QT-CUAVIET) — đã gửi 21/11 (đúng hạn)" in analyst.text
    assert "Phần báo cáo của Quảng Trị: chưa gửi" in analyst.text
    analyst.press("Xem QT-CUAVIET")
    assert "7. Tỷ trọng doanh thu báo chí số: 100/1.000 (10%)" in analyst.text
    analyst.press("Yêu cầu sửa")
    assert "Anh/Chị nhập nội dung cần Tạp chí Cửa Việt sửa" in analyst.text
    analyst.send("Câu 7: doanh thu số chưa khớp báo cáo tài chính")
    assert "Đã gửi yêu cầu sửa tới Tạp chí Cửa Việt (Đầu mối QT-CUAVIET)" in analyst.text

    [asked] = notices(app, focal["QT-CUAVIET"])
    assert asked["title"] == "Đề nghị sửa số liệu: Chuyển đổi số báo chí Năm 2026"
    assert "Quảng Trị đề nghị Tạp chí Cửa Việt xem lại số liệu đã gửi (CDS-2026-QT-CUAVIET-01)" in asked["text"]
    assert "Câu 7: doanh thu số chưa khớp" in asked["text"]
    cuaviet = focal["QT-CUAVIET"]
    cuaviet.event(ButtonIn(asked["buttons"][0][0]["data"]))  # the notice's «Sửa số liệu»
    cuaviet.press("Sửa một câu")
    cuaviet.send("7")
    cuaviet.send("150/1.000")
    cuaviet.press("Gửi lại")
    assert "CDS-2026-QT-CUAVIET-02" in cuaviet.text
    [corrected] = notices(app, analyst)
    assert corrected["title"] == "Tạp chí Cửa Việt đã gửi lại số liệu" and "CDS-2026-QT-CUAVIET-02" in corrected["text"]

    analyst.send("/guilen")
    assert "Phần báo cáo của Quảng Trị chưa gửi" in analyst.text
    analyst.press("Viết phần của đơn vị")  # the analyst writes the province's own part (5422 II-V)
    for text in PROVINCE_PART:
        analyst.send(text)
    analyst.press("Gửi")
    assert "CDS-2026-QUANGTRI-01" in analyst.text
    analyst.send("/guilen")
    assert "Đã nhận 3/3 đơn vị" in analyst.text
    analyst.press("Gửi lên")
    assert "Mã: TH-CDS-2026-QUANGTRI-01. Gửi lên Cục Báo chí lúc 09:00 21/11/2026 (đúng hạn)" in analyst.text

    [arrived] = notices(app, cbc)
    assert arrived["title"] == "Quảng Trị đã gửi báo cáo tổng hợp"
    cbc.send("/tonghop 2026 CDS")
    assert "Báo cáo tổng hợp của đơn vị thu thập: đã nhận 1/2 (đúng hạn 1)." in cbc.text
    cbc.send("/thieu 2026 CDS")
    assert "Báo cáo tổng hợp: đã nhận 1/2" in cbc.text
    assert "• Bộ Tài chính (Cục Tin học và Thống kê tài chính) chưa gửi báo cáo tổng hợp, hạn 15/12" in cbc.text
    assert "• Quảng Trị đã gửi báo cáo tổng hợp 21/11/2026 (đúng hạn)" in cbc.text

    with app.uow() as uow:
        [request] = uow.session.query(CorrectionRequest).all()
        assert request.status == "answered" and request.answer_reference == "CDS-2026-QT-CUAVIET-02"
        revisions = [r.raw_text for r in uow.session.query(AnswerRevision).filter_by(
            submission_id=request.submission_id, question_key="doanh_thu_so").order_by(AnswerRevision.id)]
        assert revisions == ["100/1.000", "150/1.000"], "the answer revision is kept"
        [forwarding] = uow.session.query(Forwarding).all()
        assert len(forwarding.included) == 4  # three agencies and the province's own part


def test_a_correction_after_forwarding_marks_the_roll_up_changed(app: App, registered: Callable[..., Chat]) -> None:
    focal = agencies(registered)
    analyst = registered("QUANGTRI", "analyst")
    for code in ("QT-BAO", "QT-DAI"):
        answer_all(focal[code], AGENCIES[code])
    analyst.send("/nop CDS 2026")
    for text in PROVINCE_PART:
        analyst.send(text)
    analyst.press("Gửi")
    analyst.send("/guilen ok CDS 2026")
    assert "TH-CDS-2026-QUANGTRI-01" in analyst.text
    app.clock.set(vn(2026, 11, 26, 10, 0))  # type: ignore[attr-defined]
    answer_all(focal["QT-CUAVIET"], AGENCIES["QT-CUAVIET"])  # late, and after the forwarding
    [changed] = notices(app, analyst)
    assert changed["title"] == "Có thay đổi sau khi Quảng Trị gửi báo cáo tổng hợp"
    analyst.send("/duyet")
    assert "Có thay đổi sau khi gửi: Tạp chí Cửa Việt." in analyst.text
    analyst.send("/guilen ok")
    assert "TH-CDS-2026-QUANGTRI-02" in analyst.text and "(đúng hạn)" in analyst.text
    analyst.send("/han")
    assert "Báo cáo tổng hợp Chuyển đổi số báo chí Năm 2026 của Quảng Trị: đã gửi Cục Báo chí ngày 26/11/2026" in analyst.text
