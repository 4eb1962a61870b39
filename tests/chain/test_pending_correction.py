"""A correction asked with /yeucausua: the collector sees what was sent until the unit presses «Gửi lại»."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from conversations.messages import ButtonIn
from tests.chain.round import AGENCIES, agencies, answer_all, notices
from tests.helpers.chat import Chat


def test_the_collector_sees_the_correction_only_once_it_is_sent_again(
        app: App, registered: Callable[..., Chat]) -> None:
    focal = agencies(registered)
    analyst = registered("QUANGTRI", "analyst", name="Hồ Văn Tỉnh")
    for code, chat in focal.items():
        answer_all(chat, AGENCIES[code])
    analyst.send("/duyet QT-CUAVIET")
    analyst.press("Yêu cầu sửa")
    analyst.send("Câu 7: doanh thu số chưa khớp báo cáo tài chính")
    [asked] = notices(app, focal["QT-CUAVIET"])
    cuaviet = focal["QT-CUAVIET"]
    cuaviet.event(ButtonIn(asked["buttons"][0][0]["data"]))
    cuaviet.press("Sửa một câu")
    cuaviet.send("7")
    cuaviet.send("150/1.000")
    assert "Có thay đổi chưa gửi lại: câu 7." in cuaviet.text
    analyst.send("/duyet QT-CUAVIET")  # the change waits: the collector still sees what was sent
    assert "7. Tỷ trọng doanh thu báo chí số: 100/1.000 (10%)" in analyst.text and "150/1.000" not in analyst.text
    assert "1 yêu cầu sửa chưa trả lời" in analyst.text
    cuaviet.press("Gửi lại")
    assert "CDS-2026-QT-CUAVIET-02" in cuaviet.text
    analyst.send("/duyet QT-CUAVIET")
    assert "7. Tỷ trọng doanh thu báo chí số: 150/1.000 (15%)" in analyst.text
