"""`/thieu` and the reminder planner agree on who the bot can reach (issue 11 §4): an account on the local
console answers when spoken to, but nothing can be sent to it unasked, so neither calls it reachable."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reminders.world import Bot, add_identity, add_person


def test_thieu_and_the_planner_agree_on_console_accounts(app: App, bot: Bot,
                                                         registered: Callable[..., Chat]) -> None:
    add_person(app, "QUANGTRI", name="Lê Thị B", channel="console")
    both = add_person(app, "HANOI", name="Trần Văn C", channel="console")
    add_identity(app, both, "test", "hn", seen=None)  # … and a chat account the bot can write to
    app.clock.set(vn(2026, 12, 4, 8, 30))
    report = bot.tick(dry_run=True)
    planner = {d.person_name: d.action for d in report.decisions if d.nudge.rnd.period.code == "2026-Q4"
               and d.action in ("send", "unreachable")}
    assert planner == {"Lê Thị B": "unreachable", "Trần Văn C": "send"}
    analyst = registered("CBC", "analyst")
    analyst.send("/thieu 2026-Q4 CL")
    text = analyst.text
    assert "Lê Thị B (console, chỉ dùng tại máy chủ: bot không tự gửi nhắc hạn được)" in text, text
    [hanoi] = [line for line in text.splitlines() if line.startswith("• Hà Nội")]
    assert "Trần Văn C (console, chỉ dùng tại máy chủ" in hanoi and "Trần Văn C (test, liên lạc được)" in hanoi
    assert "console, liên lạc được" not in text
