"""Working days, quiet hours and the rules a form's `reminders:` block defines."""

from __future__ import annotations

from datetime import date, time

import pytest

from conversations.catalog.schema import DigestRule, ReminderRules
from conversations.reminders.rules import Kind, deadline_rules, digest_rules, escalation_rules, unit_rules
from conversations.reminders.workdays import Schedule, in_quiet_hours, is_holiday, next_working_day
from tests.helpers.clock import VN, vn

RULES = ReminderRules()


@pytest.mark.parametrize(("day", "moved"), [
    (date(2026, 9, 2), date(2026, 9, 3)),  # National Day (1–2/9, with 31/8 off in 2026)
    (date(2026, 8, 31), date(2026, 9, 3)),
    (date(2027, 2, 8), date(2027, 2, 11)),  # Tết Đinh Mùi: 4–10/2/2027
    (date(2027, 1, 1), date(2027, 1, 4)),  # New Year's Day on a Friday, then the weekend
    (date(2026, 11, 24), date(2026, 11, 25)),  # Vietnam Cultural Day
    (date(2026, 4, 30), date(2026, 5, 4)),  # 30/4 and 1/5, then the weekend
    (date(2026, 12, 5), date(2026, 12, 7)),  # a Saturday
    (date(2026, 12, 7), date(2026, 12, 7)),  # a working Monday stays
])
def test_days_off_move_to_the_next_working_day(day: date, moved: date) -> None:
    assert next_working_day(day, RULES) == moved


def test_weekends_and_holidays_can_be_switched_off() -> None:
    every_day = ReminderRules(skip_weekends=False, skip_holidays=False)
    assert next_working_day(date(2027, 1, 1), every_day) == date(2027, 1, 1)
    assert next_working_day(date(2027, 1, 2), ReminderRules(skip_holidays=False)) == date(2027, 1, 4)
    assert is_holiday(date(2027, 2, 6)) and not is_holiday(date(2027, 2, 11))


@pytest.mark.parametrize(("at", "quiet"), [
    (time(20, 59), False), (time(21, 0), True), (time(23, 30), True), (time(6, 59), True), (time(7, 0), False)])
def test_quiet_hours_wrap_midnight(at: time, quiet: bool) -> None:
    assert in_quiet_hours(at, RULES) is quiet


def test_sending_window_is_a_working_day_from_the_delivery_time_until_quiet_hours() -> None:
    schedule = Schedule(RULES, VN)
    assert schedule.send_time(date(2026, 12, 6)) == vn(2026, 12, 7, 8, 30)
    assert schedule.may_send_at(vn(2026, 12, 7, 8, 30)) and schedule.may_send_at(vn(2026, 12, 7, 20, 59))
    for closed in (vn(2026, 12, 7, 8, 29), vn(2026, 12, 7, 21, 0), vn(2026, 12, 5, 10, 0), vn(2027, 1, 1, 10, 0)):
        assert not schedule.may_send_at(closed), closed
    late_morning = Schedule(ReminderRules(delivery_time=time(6, 0)), VN)
    assert not late_morning.may_send_at(vn(2026, 12, 7, 6, 30)) and late_morning.may_send_at(vn(2026, 12, 7, 7, 0))


def test_rule_names_and_days() -> None:
    assert [r.name for r in deadline_rules(RULES)] == ["d-7", "d-3", "d-1", "d+0", "d+1", "d+3"]
    assert [r.name for r in escalation_rules(RULES)] == ["esc+5"]
    assert escalation_rules(ReminderRules(escalate_after_days=None)) == []
    assert [r.name for r in unit_rules(RULES)][-3:] == ["esc+5", "prov+7", "prov+30"]
    assert {r.kind for r in unit_rules(RULES)} == {Kind.DEADLINE, Kind.ESCALATION, Kind.PROVISIONAL}
    digests = digest_rules(ReminderRules(digest=DigestRule(first_after_days=1, every_days=7)), date(2026, 12, 15),
                           date(2027, 1, 5))
    assert [(r.name, r.day(date(2026, 12, 15))) for r in digests] == [
        ("digest+1", date(2026, 12, 16)), ("digest+8", date(2026, 12, 23)), ("digest+15", date(2026, 12, 30))]


def test_the_shipped_forms_have_reminder_rules() -> None:
    from conversations.catalog.loader import SHIPPED, load_catalog

    _, forms = load_catalog(SHIPPED)
    rules = {f.definition.code: f.definition.reminders for f in forms}
    assert rules["CL"].offsets_days == [-7, -3, -1, 0, 1, 3] and rules["CL"].digest.every_days == 3
    assert rules["CDS"].escalate_after_days == 7 and rules["CDS"].quiet_hours == (time(21), time(7))
