"""Time as the dialogue and reminders see it: injected, so tests can travel through a quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Clock:
    """Current time in UTC and the local calendar day in the deployment's timezone."""

    tz: ZoneInfo = ZoneInfo("Asia/Ho_Chi_Minh")

    def now(self) -> datetime:
        """The current instant, aware, UTC."""
        return datetime.now(UTC)

    def local(self, at: datetime | None = None) -> datetime:
        """`at` (default now) in local time."""
        return (at or self.now()).astimezone(self.tz)

    def today(self) -> date:
        """Today's date in local time."""
        return self.local().date()


class FrozenClock(Clock):
    """A clock stopped at a given instant (CLOCK_NOW: trainers' demos and reproducible tests)."""

    def __init__(self, at: datetime, tz: ZoneInfo = VIETNAM) -> None:
        super().__init__(tz)
        object.__setattr__(self, "at", at.astimezone(UTC))

    def now(self) -> datetime:
        """The frozen instant."""
        return self.at  # type: ignore[attr-defined, no-any-return]
