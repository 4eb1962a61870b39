"""Never in the middle of a dialogue (issue 11 §4): a person who wrote in the last 30 minutes gets their
nudge after going quiet — deferred, not dropped, and never twice."""

from __future__ import annotations

from bot.app import App
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reminders.world import Bot, log, settle


def q4(app: App) -> list[tuple[str, str]]:
    """(rule, status) of CL 2026-Q4's logged nudges (Q3's two-month-old ones are logged as expired)."""
    with app.uow() as uow:
        period = uow.periods.by_code("CL", "2026-Q4").id
    return sorted((e.rule, e.status) for e in log(app) if e.period_id == period)


def test_a_nudge_waits_until_the_person_goes_quiet(app: App, bot: Bot) -> None:
    chat = Chat(app.dialogue_service(), "77")
    app.clock.set(vn(2026, 12, 4, 8, 20))  # d-3 of CL 2026-Q4 is due at 08:30 today
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    chat.send("/nop")
    chat.press("2026-Q4")
    app.clock.set(vn(2026, 12, 4, 8, 25))
    chat.send("62%/38%")  # answering: the question that follows is on screen
    settle(app)
    for at in (vn(2026, 12, 4, 8, 30), vn(2026, 12, 4, 8, 54)):
        app.clock.set(at)
        report = bot.tick()
        assert bot.channel.texts("77") == [], at  # nothing pushes the question off screen …
        assert [d.detail for d in report.decisions if d.nudge.rnd.period.code == "2026-Q4"] == [
            "in a dialogue (wrote at 08:25)"], at
        assert q4(app) == []  # … and nothing is recorded: deferred, not dropped
    app.clock.set(vn(2026, 12, 4, 8, 56))  # 31 minutes after the last message
    bot.tick()
    [nudge] = bot.channel.texts("77")
    assert nudge.title == "Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026"
    assert "bản nháp của Quảng Trị còn 6/7 câu chưa trả lời" in nudge.text  # as things stand when sent
    app.clock.set(vn(2026, 12, 4, 13, 0))
    bot.tick()
    assert len(bot.channel.texts("77")) == 1  # never twice
    assert q4(app) == [("d-3", "sent"), ("d-7", "skipped")]


def test_a_dry_run_says_who_is_deferred(app: App, bot: Bot) -> None:
    chat = Chat(app.dialogue_service(), "78")
    app.clock.set(vn(2026, 12, 4, 8, 40))
    chat.send(f"/start {invite(app, 'QUANGTRI', name='Lê Thị B')}")
    report = bot.tick(dry_run=True)
    lines = report.lines(app.clock.tz)
    assert any(line.startswith("  deferred    Fri 04/12 08:30  CL 2026-Q4  d-3") and "in a dialogue (wrote at 08:40)"
               in line for line in lines), lines
    assert lines[-1].endswith("1 deferred (in a dialogue), 0 unreachable; dry run: nothing recorded")
