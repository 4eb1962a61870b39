"""When a nudge may go out: working days (weekends, Vietnamese public holidays), delivery time, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conversations.catalog.schema import ReminderRules
from conversations.catalog.workdays import is_holiday, vn_holidays


def is_working_day(day: date, rules: ReminderRules) -> bool:
    """True when nudges may go out on `day` under these rules."""
    if rules.skip_weekends and day.weekday() >= 5:
        return False
    return not (rules.skip_holidays and is_holiday(day))


def next_working_day(day: date, rules: ReminderRules) -> date:
    """`day` itself if it is a working day, else the next one."""
    while not is_working_day(day, rules):
        day += timedelta(days=1)
    return day


def in_quiet_hours(at: time, rules: ReminderRules) -> bool:
    """True inside the quiet hours (which may wrap midnight, e.g. 21:00–07:00)."""
    start, end = rules.quiet_hours
    if start == end:
        return False
    return (start <= at < end) if start < end else (at >= start or at < end)


class Schedule:
    """Nudge times of one form's rules in the deployment's timezone."""

    def __init__(self, rules: ReminderRules, tz: ZoneInfo) -> None:
        self.rules, self.tz = rules, tz
        self._times: dict[date, datetime] = {}  # thousands of units share a handful of days per pass

    def moved_day(self, day: date) -> date:
        """The working day a nudge planned for `day` goes out on."""
        return next_working_day(day, self.rules)

    def useful_until(self, day: date) -> date:
        """The last day a nudge planned for `day` may still go out: its working day, then at most
        `catch_up_working_days` more working days (a missed nudge is never sent weeks late)."""
        last = self.moved_day(day)
        for _ in range(self.rules.catch_up_working_days):
            last = next_working_day(last + timedelta(days=1), self.rules)
        return last

    def send_time(self, day: date) -> datetime:
        """When a nudge planned for `day` goes out (UTC): the next working morning at the delivery time."""
        if day not in self._times:
            local = datetime.combine(self.moved_day(day), self.rules.delivery_time, tzinfo=self.tz)
            self._times[day] = local.astimezone(UTC)
        return self._times[day]

    def may_send_at(self, now: datetime) -> bool:
        """True when a due nudge may be sent at `now`: a working day, from the delivery time, not in quiet hours.

        A nudge missed while the bot was down therefore waits for the next working morning at the
        delivery time rather than going out at night or at the weekend.
        """
        local = now.astimezone(self.tz)
        clock = local.time().replace(tzinfo=None)
        return (is_working_day(local.date(), self.rules) and clock >= self.rules.delivery_time
                and not in_quiet_hours(clock, self.rules))


__all__ = ["Schedule", "in_quiet_hours", "is_holiday", "is_working_day", "next_working_day", "vn_holidays"]
