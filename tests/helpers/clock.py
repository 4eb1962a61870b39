"""A clock tests can set and advance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from conversations.clock import FrozenClock

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class FixedClock(FrozenClock):
    """Stands still at `at` until moved."""

    def __init__(self, at: datetime) -> None:
        super().__init__(at, VN)

    def set(self, at: datetime) -> None:
        """Jump to `at`."""
        object.__setattr__(self, "at", at.astimezone(UTC))

    def advance(self, **delta: float) -> None:
        """Move forward by a timedelta's keyword arguments."""
        self.set(self.now() + timedelta(**delta))


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local (Hanoi) time."""
    return datetime(year, month, day, hour, minute, tzinfo=VN)
