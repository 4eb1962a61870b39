"""A pass that runs late sends the latest still-relevant nudge once and records the older ones as skipped."""

from __future__ import annotations

from bot.app import App
from tests.helpers.clock import vn
from tests.reminders.world import Bot, add_person, fill, log


def q4_rules(app: App, person: int) -> dict[str, str]:
    """rule -> status of the person's CL 2026-Q4 nudges."""
    with app.uow() as uow:
        q4 = uow.periods.by_code("CL", "2026-Q4").id
    return {e.rule: e.status for e in log(app) if e.person_id == person and e.period_id == q4}


def test_back_after_a_week_down_sends_only_the_latest_nudge(app: App, bot: Bot) -> None:
    person = add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 10, 10, 0))  # down since before d-7 (30/11); d+3 was due at 08:30 today
    report = bot.tick()
    assert q4_rules(app, person) == {"d-7": "skipped", "d-3": "skipped", "d-1": "skipped", "d+0": "skipped",
                                     "d+1": "skipped", "d+3": "sent"}
    [nudge] = bot.channel.texts("1", "2026-Q4")
    assert "đã quá hạn 3 ngày" in nudge.text  # says how things stand now, not when it was planned
    assert {d.detail for d in report.decisions if d.action == "skipped" and d.nudge.person_id == person} == {
        "superseded by d+3"}
    app.clock.set(vn(2026, 12, 11, 8, 30))
    bot.tick()
    assert bot.channel.texts("1", "2026-Q4") == [nudge]  # skipped nudges never go out later


def test_a_missed_nudge_waits_for_the_next_working_morning(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 11, 29, 8, 0))
    bot.tick()  # nothing due yet (d-7 of Monday 07/12 is Monday 30/11)
    for at in (vn(2026, 11, 30, 22, 0), vn(2026, 12, 1, 6, 59), vn(2026, 12, 1, 8, 29)):  # back at night
        app.clock.set(at)
        bot.tick()
        assert bot.channel.texts("1", "2026-Q4") == [], at
    app.clock.set(vn(2026, 12, 1, 8, 30))
    bot.tick()
    [nudge] = bot.channel.texts("1", "2026-Q4")
    assert "còn 6 ngày" in nudge.text  # d-7 (planned 30/11) goes out the next working morning


def test_a_missed_nudge_is_never_sent_after_the_next_working_day(app: App, bot: Bot) -> None:
    person = add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 2, 8, 30))  # d-7 was Monday 30/11: useful until Tuesday 01/12
    report = bot.tick()
    assert bot.channel.sent == [] and q4_rules(app, person) == {"d-7": "expired"}
    assert [d.detail for d in report.decisions if d.nudge.person_id == person
            and d.nudge.rnd.period.code == "2026-Q4"] == ["too late: planned 30/11, useful until 01/12"]
    app.clock.set(vn(2026, 12, 4, 8, 30))
    bot.tick()  # d-3 on its own day, as usual
    [nudge] = bot.channel.texts("1", "2026-Q4")
    assert "còn 3 ngày" in nudge.text


def test_a_fresh_database_sends_no_nudge_dated_weeks_ago(app: App, bot: Bot) -> None:
    """The issue's case: installed on 07/12, Form 1's Q3 (due 05/10, its last nudge d+3 on 08/10) is still open."""
    person = add_person(app, "QUANGTRI", user_id=1)
    analyst = add_person(app, "CBC", "analyst", user_id=9)
    app.clock.set(vn(2026, 12, 7, 8, 30))
    bot.tick()
    with app.uow() as uow:
        q3 = uow.periods.by_code("CL", "2026-Q3").id
    q3_focal = {e.rule: e.status for e in log(app) if e.person_id == person and e.period_id == q3}
    assert q3_focal == {"d-7": "skipped", "d-3": "skipped", "d-1": "skipped", "d+0": "skipped", "d+1": "skipped",
                        "d+3": "expired"}
    assert bot.channel.texts("1", "2026-Q3") == []
    [message] = bot.channel.messages("1")  # only today's Q4 nudge: "hôm nay là hạn cuối"
    assert message.title == "Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026"
    assert "hôm nay là hạn cuối" in message.text
    # the analyst hears about Q3 on the overdue rhythm: today's digest, as of today
    assert [r.text.splitlines()[0] for r in bot.channel.texts("9", "2026-Q3")] == [
        "Đến ngày 07/12/2026, 35/35 đơn vị thuộc Cục Báo chí đã quá hạn mà chưa gửi số liệu:"]
    q3_analyst = [(e.rule, e.status) for e in log(app) if e.person_id == analyst and e.period_id == q3
                  and e.status not in ("skipped", "expired")]
    assert q3_analyst == [("digest+61", "sent")]  # planned Saturday 05/12, moved to today


def test_weekend_return_waits_for_monday_and_merges(app: App, bot: Bot) -> None:
    person = add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 4, 9, 0))
    bot.tick()  # d-3 sent on time
    for at in (vn(2026, 12, 5, 10, 0), vn(2026, 12, 6, 15, 0)):  # back at the weekend
        app.clock.set(at)
        bot.tick()
    assert len(bot.channel.texts("1", "2026-Q4")) == 1
    app.clock.set(vn(2026, 12, 7, 8, 30))
    bot.tick()
    assert q4_rules(app, person) == {"d-7": "skipped", "d-3": "sent", "d-1": "skipped", "d+0": "sent"}


def test_nothing_for_a_unit_that_sent_while_the_bot_was_down(app: App, bot: Bot) -> None:
    person = add_person(app, "QUANGTRI", user_id=1)
    fill(app, "QUANGTRI", "2026-Q4", submit=True)
    app.clock.set(vn(2026, 12, 8, 10, 0))
    bot.tick()
    assert bot.channel.texts("1", "2026-Q4") == [] and q4_rules(app, person) == {}


def test_catching_up_digests_sends_the_latest_list(app: App, bot: Bot) -> None:
    analyst = add_person(app, "CBC", "analyst", user_id=9)
    app.clock.set(vn(2026, 12, 15, 9, 0))  # digests of 08/12, 11/12 and 14/12 were missed
    bot.tick()
    assert q4_rules(app, analyst) == {"digest+1": "skipped", "digest+4": "skipped", "digest+7": "merged",
                                      # and the roll-up to forward by 10/12, latest only:
                                      "fwd-3": "skipped", "fwd-1": "skipped", "fwd+0": "skipped", "fwd+1": "skipped",
                                      "fwd+3": "merged"}  # both in the message that leads with Q3's digest
    [message] = bot.channel.messages("9")  # Q3's and Q4's digests and the roll-up: one message
    assert message.title == "Nhắc việc: 3 mục cần Anh/Chị xem"
    [digest] = [r for r in bot.channel.texts("9", "2026-Q4") if r.title.startswith("Đơn vị chưa nộp")]
    assert digest.text.startswith("Đến ngày 15/12/2026, 35/35 đơn vị thuộc Cục Báo chí đã quá hạn")
