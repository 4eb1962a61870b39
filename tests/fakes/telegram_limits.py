"""Fault injection (5xx, slow replies) and flood control (429 with retry_after) for the fake Bot API."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus

from tests.fakes.telegram_wire import ApiError

# Methods that deliver a message, so count against Telegram's flood limits.
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendSticker",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendMediaGroup",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)


@dataclass
class Fault:
    """A planned misbehaviour: answer ``status`` and/or wait ``delay`` seconds before answering."""

    status: int | None
    delay: float
    methods: frozenset[str] | None
    until: float | None  # time.monotonic() deadline; None = no deadline
    remaining: int | None  # calls left; None = unlimited

    def applies_to(self, method: str, now: float) -> bool:
        """Whether this fault hits a call of ``method`` now."""
        if self.until is not None and now >= self.until:
            return False
        if self.remaining is not None and self.remaining <= 0:
            return False
        return self.methods is None or method in self.methods

    def error(self) -> ApiError:
        """The error reply, in the Bot API's JSON shape."""
        assert self.status is not None
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Unknown Error"
        return ApiError(self.status, phrase)

    def cancel(self) -> None:
        """Stop this fault from hitting further calls."""
        self.remaining = 0


@dataclass(frozen=True)
class RateLimit:
    """Telegram's flood limits: messages per second overall, per chat, and per group per minute."""

    per_second: int | None = 30
    per_chat_per_second: int | None = 1
    per_group_per_minute: int | None = 20
    retry_after: float | None = None  # fixed retry_after; None = seconds until the window frees (an int)


class Limits:
    """Planned faults and flood control, shared by the server thread and the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._rate: RateLimit | None = None
        self._all_sends: deque[float] = deque()
        self._sends_by_chat: dict[int | str, deque[float]] = {}

    def add_fault(
        self,
        status: int | None,
        delay: float = 0.0,
        methods: Iterable[str] | None = None,
        for_seconds: float | None = None,
        times: int | None = None,
    ) -> Fault:
        """Plan a fault; the newest planned fault wins when several apply."""
        until = time.monotonic() + for_seconds if for_seconds is not None else None
        fault = Fault(status, delay, frozenset(methods) if methods else None, until, times)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Forget all planned faults."""
        with self._lock:
            self._faults.clear()

    def take_fault(self, method: str) -> Fault | None:
        """The fault hitting this call, if any (uses up one of its ``times``)."""
        now = time.monotonic()
        with self._lock:
            fault = next((f for f in reversed(self._faults) if f.applies_to(method, now)), None)
            if fault is not None and fault.remaining is not None:
                fault.remaining -= 1
            return fault

    def set_rate_limit(self, rate: RateLimit | None) -> None:
        """Enforce ``rate`` from now on (None turns flood control off)."""
        with self._lock:
            self._rate = rate
            self._all_sends.clear()
            self._sends_by_chat.clear()

    def admit_send(self, chat_id: int | str, is_group: bool) -> None:
        """Count one message to ``chat_id``, or raise 429 ``Too Many Requests`` as Telegram does."""
        with self._lock:
            if self._rate is None:
                return
            now = time.monotonic()
            chat_sends = self._sends_by_chat.setdefault(chat_id, deque())
            windows = [
                (self._all_sends, self._rate.per_second, 1.0),
                (chat_sends, self._rate.per_chat_per_second, 1.0),
            ]
            if is_group:
                windows.append((chat_sends, self._rate.per_group_per_minute, 60.0))
            wait = max(
                (_wait_for_window(sends, limit, span, now) for sends, limit, span in windows), default=0.0
            )
            if wait > 0:
                retry_after = (
                    self._rate.retry_after if self._rate.retry_after is not None else math.ceil(wait)
                )
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
            self._all_sends.append(now)
            chat_sends.append(now)


def _wait_for_window(sends: deque[float], limit: int | None, span: float, now: float) -> float:
    """Seconds until one more send fits ``limit`` sends per ``span`` seconds (0 when it fits now)."""
    if limit is None:
        return 0.0
    recent = [t for t in sends if now - t < span]
    while sends and now - sends[0] >= 60.0:  # keep a minute of history, the longest window
        sends.popleft()
    if len(recent) < limit:
        return 0.0
    return recent[-limit] + span - now
