"""Issue 11 §5 and §8 through the chat: the analyst's defaults, the year view, period names, words."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from tests.helpers.chat import Chat
from tests.reports.data import CL_Q3, load


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
