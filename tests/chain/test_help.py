"""The help lists the chain's commands for analysts, and `/han` shows an analyst the roll-ups owed."""

from __future__ import annotations

from collections.abc import Callable

from tests.helpers.chat import Chat


def test_help_lists_the_round_commands_for_analysts_only(registered: Callable[..., Chat]) -> None:
    analyst = registered("BTC", "analyst")
    analyst.send("huong dan")
    for command in ("/duyet", "/yeucausua", "/guilen", "/baocao"):
        assert command in analyst.text
    focal = registered("QT-BAO")
    focal.send("/huongdan")
    assert "/guilen" not in focal.text


def test_the_ministry_units_analyst_sees_its_own_deadline_and_its_part(registered: Callable[..., Chat]) -> None:
    analyst = registered("BTC", "analyst")
    analyst.send("/han")  # before: «Hiện không có kỳ báo cáo nào đang mở»
    assert ("• Báo cáo tổng hợp Chuyển đổi số báo chí Năm 2026 của Bộ Tài chính (Cục Tin học và Thống kê tài chính) "
            "gửi Cục Báo chí: hạn 15/12/2026 (còn 24 ngày); đã nhận 0/6 đơn vị") in analyst.text
    assert "2026 — Bộ Tài chính (Cục Tin học và Thống kê tài chính): hạn 30/12/2026" in analyst.text  # its own part
    analyst.send("/guilen")
    assert "Phần báo cáo của Bộ Tài chính (Cục Tin học và Thống kê tài chính) chưa gửi" in analyst.text
    other = registered("HANOI", "analyst")  # a province without press agencies in the catalog collects nothing
    other.send("/duyet")
    assert "Hiện không có kỳ nào đang mở mà đơn vị của Anh/Chị cần tổng hợp." in other.text
