"""A whole quarter, day by day: who is nudged when, across both forms and every state a unit can be in.

Passes run at 06:45 and 21:30 (quiet hours), 08:30 (delivery time) and 13:00 each day, from Sunday
01/11/2026 to 10/01/2027. Form 1 (CL 2026-Q4) is due Saturday 05/12, so by Bộ luật Dân sự 2015 Điều 148
khoản 5 the limit ends on Monday 07/12 (the day the nudges count from); Form 2 (CDS 2026) is due 25/11 to a
province (24/11 is Vietnam Cultural Day, a holiday), 15/12 to a ministry and 30/12 to Cục Báo chí (1/1 is
New Year's Day).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from conversations.reminders.workdays import is_holiday
from storage.models import OutboxMessage, ReminderLog
from tests.helpers.clock import vn
from tests.reminders.conftest import add_central_agency
from tests.reminders.world import Bot, add_person, fill, log, make_official

START, END = date(2026, 11, 1), date(2027, 1, 10)
PASS_TIMES = ((6, 45), (8, 30), (13, 0), (21, 30))


def d(day: int, month: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # noqa: ANN201
    """Run the quarter once; tests read what was sent to whom."""
    template = request.getfixturevalue("catalog_template")
    url = template.fresh(tmp_path_factory.mktemp("quarter"))
    from tests.helpers.app import make_app

    app = make_app(url, at=vn(2026, 11, 1, 6, 0), load=False)
    add_central_agency(app)
    people = {
        "QUANGTRI": add_person(app, "QUANGTRI", name="Lê Thị B"),  # never starts
        "HANOI": add_person(app, "HANOI", name="Nguyen Van A", lang="en"),  # a draft from 01/12, never sends
        "HUE": add_person(app, "HUE", name="Phạm Văn C"),  # sends on 03/12
        "DANANG": add_person(app, "DANANG", name="Trương Thị D"),  # sends provisional figures on 04/12
        "LAICHAU": add_person(app, "LAICHAU", name="Hoàng Văn E", reachable=False),  # blocked the bot
        "BTC-TBTC": add_person(app, "BTC-TBTC", name="Vũ Thị F"),  # Form 2 to the ministry, never sends
        "QT-BAO": add_person(app, "QT-BAO", name="Đỗ Văn G"),  # Form 2 to the province, one day late
        "NHANDAN": add_person(app, "NHANDAN", name="Mai Văn H"),  # Form 2 to Cục Báo chí, never sends
        "an:CBC": add_person(app, "CBC", "analyst", name="Trần Thị Tổng Hợp"),
        "an:QUANGTRI": add_person(app, "QUANGTRI", "analyst", name="Hồ Văn Tỉnh"),
        "an:BTC": add_person(app, "BTC", "analyst", name="Lý Văn Bộ"),
    }
    events = {
        vn(2026, 11, 26, 10, 0): lambda: fill(app, "QT-BAO", "2026", "CDS", submit=True),
        vn(2026, 12, 1, 15, 0): lambda: fill(app, "HANOI", "2026-Q4", answered=3),
        vn(2026, 12, 3, 10, 0): lambda: fill(app, "HUE", "2026-Q4", submit=True),
        vn(2026, 12, 4, 7, 0): lambda: fill(app, "DANANG", "2026-Q4", provisional=("ct1", "ct2"), submit=True),
        vn(2026, 12, 20, 9, 0): lambda: make_official(app, "DANANG", "2026-Q4"),
    }
    bot = Bot(app)
    moments = sorted([vn(day.year, day.month, day.day, h, m) for day in _days() for h, m in PASS_TIMES]
                     + list(events))
    for at in moments:
        app.clock.set(at)
        if at in events:
            events[at]()
        else:
            bot.tick()
    yield app, bot, people
    app.close()


def _days() -> list[date]:
    return [START + timedelta(days=i) for i in range((END - START).days + 1)]


def sent(app: App) -> list[tuple[datetime, str, str, str, int]]:
    """(local send time, period, unit, rule, person) of every reminder that went out, alone or merged into
    another one's message (`merged`, detail `sent with reminder <id> …`)."""
    with app.uow() as uow:
        at = dict(uow.session.execute(select(OutboxMessage.reminder_id, OutboxMessage.sent_at)
                                      .where(OutboxMessage.status == "sent", OutboxMessage.reminder_id.is_not(None))
                                      ).all())
        rows = uow.session.scalars(select(ReminderLog).where(ReminderLog.status.in_(["sent", "merged"]))).all()
        periods = {p.id: f"{p.form_code} {p.code}" for p in uow.periods.list()}
        units = {u.id: u.code for u in uow.units.all()}
    out = []
    for r in rows:
        primary = int(re.match(r"sent with reminder (\d+)", r.detail).group(1)) if r.status == "merged" else r.id
        if primary in at:
            out.append((at[primary].astimezone(app.clock.tz), periods[r.period_id], units[r.unit_id], r.rule,
                        r.person_id))
    return sorted(out)


def messages(app: App) -> list[tuple[datetime, int]]:
    """(local send time, person) of every reminder message that went out."""
    with app.uow() as uow:
        rows = uow.session.execute(select(OutboxMessage.sent_at, ReminderLog.person_id)
                                   .join(ReminderLog, OutboxMessage.reminder_id == ReminderLog.id)
                                   .where(OutboxMessage.status == "sent")).all()
    return sorted((at.astimezone(app.clock.tz), pid) for at, pid in rows)


def timeline(app: App, person: int, period: str) -> list[tuple[date, str]]:
    return [(at.date(), rule) for at, p, _, rule, pid in sent(app) if pid == person and p == period]


def test_focal_persons_are_nudged_on_working_mornings_until_they_send(quarter) -> None:  # noqa: ANN001
    app, _, people = quarter
    q4 = "CL 2026-Q4"
    # d-1 (Sunday 06/12) meets d+0 on Monday 07/12, "due today"; "1 day late" comes on Tuesday
    all_five = [(d(30, 11), "d-7"), (d(4, 12), "d-3"), (d(7, 12), "d+0"), (d(8, 12), "d+1"), (d(10, 12), "d+3")]
    assert timeline(app, people["QUANGTRI"], q4) == all_five
    assert timeline(app, people["HANOI"], q4) == all_five
    assert timeline(app, people["HUE"], q4) == all_five[:1]  # sent on 03/12: nothing after
    assert timeline(app, people["DANANG"], q4) == [*all_five[:1], (d(14, 12), "prov+7")]  # official by prov+30
    assert timeline(app, people["LAICHAU"], q4) == []


def test_form_2_follows_each_collectors_due_date_and_the_holidays(quarter) -> None:  # noqa: ANN001
    app, _, people = quarter
    cds = "CDS 2026"
    # due 25/11 to the province; d-3 (Sun) moves to Monday, d-1 (24/11 holiday) meets d+0 on the due date
    assert timeline(app, people["QT-BAO"], cds) == [(d(11, 11), "d-14"), (d(18, 11), "d-7"), (d(23, 11), "d-3"),
                                                     (d(25, 11), "d+0")]
    # due 15/12 to the ministry; d-3 (Sat) meets d-1 on Monday 14/12, d+5 (Sun) moves to Monday
    assert timeline(app, people["BTC-TBTC"], cds) == [
        (d(1, 12), "d-14"), (d(8, 12), "d-7"), (d(14, 12), "d-1"), (d(15, 12), "d+0"), (d(17, 12), "d+2"),
        (d(21, 12), "d+5")]
    # due 30/12 to Cục Báo chí; d+2 is New Year's Day, then a weekend: it meets d+5 on Monday 04/01
    assert timeline(app, people["NHANDAN"], cds) == [
        (d(16, 12), "d-14"), (d(23, 12), "d-7"), (d(28, 12), "d-3"), (d(29, 12), "d-1"), (d(30, 12), "d+0"),
        (date(2027, 1, 4), "d+5")]


def test_escalations_go_to_the_collectors_analysts_once_on_time(quarter) -> None:  # noqa: ANN001
    app, _, people = quarter
    escalations = [(at.date(), period, unit, pid) for at, period, unit, rule, pid in sent(app) if rule.startswith("esc")]
    mine = [e for e in escalations if e[1] in ("CL 2026-Q4", "CDS 2026")]
    cbc, btc = people["an:CBC"], people["an:BTC"]
    assert sorted(mine) == sorted([
        # 5 days after Monday 07/12 is Saturday 12/12: Monday 14/12
        (d(14, 12), "CL 2026-Q4", "HANOI", cbc), (d(14, 12), "CL 2026-Q4", "LAICHAU", cbc),
        (d(14, 12), "CL 2026-Q4", "QUANGTRI", cbc),  # not Huế, Đà Nẵng (sent) nor units with no focal person
        (d(22, 12), "CDS 2026", "BTC-TBTC", btc),  # the ministry's analyst, not Cục Báo chí's
        (date(2027, 1, 6), "CDS 2026", "NHANDAN", cbc),
        # provinces owe their own part of Form 2 to Cục Báo chí (Công văn 5422), due 30/12
        *[(date(2027, 1, 6), "CDS 2026", code, cbc) for code in ("DANANG", "HANOI", "HUE", "LAICHAU", "QUANGTRI")],
    ])


def test_digests_the_morning_after_then_every_few_days(quarter) -> None:  # noqa: ANN001
    app, _, people = quarter
    cbc_q4 = [day for day, rule in timeline(app, people["an:CBC"], "CL 2026-Q4") if rule.startswith("digest")]
    # every 3 days from 08/12 (the day after Monday 07/12); Sunday 20/12 and Saturday 26/12 move to Monday,
    # and one that comes less than 3 days after the last digest (23/12, 29/12) is covered by it
    assert cbc_q4 == [d(8, 12), d(11, 12), d(14, 12), d(17, 12), d(21, 12), d(28, 12), date(2027, 1, 4),
                      date(2027, 1, 7)]
    # one digest covers every form and period of the scope: the province's Form 2 list rides with Form 1's
    province_cds = timeline(app, people["an:QUANGTRI"], "CDS 2026")
    assert [day for day, _ in province_cds][:3] == [d(26, 11), d(30, 11), d(7, 12)]
    cbc = people["an:CBC"]
    on_8_12 = sorted(p for at, p, _, rule, pid in sent(app) if pid == cbc and at.date() == d(8, 12))
    assert on_8_12 == ["CDS 2026", "CL 2026-Q3", "CL 2026-Q4"]  # in one message:
    month = [at.date() for at, pid in messages(app) if pid == cbc and d(7, 12) <= at.date() <= date(2027, 1, 6)]
    assert month == [d(7, 12), d(8, 12), d(9, 12), d(10, 12), d(11, 12), d(14, 12), d(17, 12), d(21, 12),
                     d(28, 12), date(2027, 1, 4), date(2027, 1, 6)]  # 11 messages in 30 days (the roll-up's too)
    ministry_cds = [day for day, rule in timeline(app, people["an:BTC"], "CDS 2026") if rule.startswith("digest")]
    assert ministry_cds[:3] == [d(16, 12), d(23, 12), d(30, 12)]  # from its own units' due date
    assert timeline(app, people["an:BTC"], "CL 2026-Q4") == []  # nothing of Form 1 is owed under the ministry


def test_nothing_in_quiet_hours_weekends_or_holidays_and_nothing_twice(quarter) -> None:  # noqa: ANN001
    app, _, _ = quarter
    rows = sent(app)
    assert rows
    assert {at.strftime("%H:%M") for at, *_ in rows} == {"08:30"}
    assert not [at for at, *_ in rows if at.weekday() >= 5 or is_holiday(at.date())]
    keys = [(p, u, r, pid) for _, p, u, r, pid in rows]
    assert len(keys) == len(set(keys))
    per_day = Counter((at.date(), pid) for at, pid in messages(app))
    assert set(per_day.values()) == {1}  # one message per person per pass (here: per day)


def test_the_log_says_what_became_of_every_nudge(quarter) -> None:  # noqa: ANN001
    app, bot, people = quarter
    entries = log(app)
    statuses = defaultdict(set)
    for e in entries:
        statuses[e.status].add(e.person_id)
    assert set(statuses) == {"sent", "skipped", "unreachable", "expired", "merged"}
    assert statuses["merged"] <= {people["an:CBC"], people["an:QUANGTRI"], people["an:BTC"]}
    assert statuses["unreachable"] == {people["LAICHAU"]}
    with app.uow() as uow:
        q4 = uow.periods.by_code("CL", "2026-Q4").id
    laichau = {e.rule: e.status for e in entries if e.person_id == people["LAICHAU"] and e.period_id == q4}
    assert laichau == {"d-7": "unreachable", "d-3": "unreachable", "d-1": "skipped", "d+0": "unreachable",
                       "d+1": "unreachable", "d+3": "unreachable"}
    assert len(bot.channel.sent) == sum(1 for e in entries if e.status == "sent")


def test_messages_speak_the_persons_language(quarter) -> None:  # noqa: ANN001
    _, bot, _ = quarter
    texts = [r for _, _, r in bot.channel.sent]
    english = [r for r in texts if r.text.startswith("Hello Nguyen Van A")]
    assert english and all(r.title.startswith("Deadline reminder") for r in english)
    draft = next(r for r in english if "draft" in r.text)
    assert "4/7 questions unanswered" in draft.text and draft.buttons[0][0].label == "Continue"
    vietnamese = [r for r in texts if r.text.startswith("Chào Anh/Chị Lê Thị B")]
    assert vietnamese and all(r.title.startswith("Nhắc hạn nộp") for r in vietnamese)
