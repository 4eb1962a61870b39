"""Planned misbehaviour of the fake Zalo Bot Platform: outages, flood control, slow and dropped replies.

A fault hits calls of some methods (all when None) for a while (`for_seconds`) or a number of times
(`times`); the newest planned fault wins. Flood control counts the sending methods per bot and second.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendSticker", "sendChatAction"})


class PlatformError(Exception):
    """An error answer: HTTP `status`, envelope `{ok: false, error_code, description}` (or a plain page)."""

    def __init__(self, status: int, description: str, error_code: int | None = None, *,
                 retry_after: float | None = None, page: bool = False) -> None:
        super().__init__(description)
        self.status, self.description = status, description
        self.error_code = status if error_code is None else error_code
        self.retry_after, self.page = retry_after, page

    def body(self) -> dict[str, Any]:
        """The JSON envelope of the error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(description: str) -> PlatformError:
    """HTTP 400 with `error_code` 400 (the fake's guess at the platform's validation errors)."""
    return PlatformError(400, f"Bad Request: {description}")


@dataclass
class Fault:
    """Answer `status` (a gateway page when `page`), hold the reply `delay` s, or drop the connection."""

    status: int | None = None
    page: bool = False
    delay: float = 0.0
    drop: str | None = None  # "before" (nothing done) or "after" (done, then the connection breaks)
    methods: frozenset[str] | None = None
    until: float | None = None  # time.monotonic() deadline
    remaining: int | None = None

    def applies_to(self, method: str, now: float) -> bool:
        """Whether this fault hits a call of `method` now."""
        if self.until is not None and now >= self.until:
            return False
        if self.remaining is not None and self.remaining <= 0:
            return False
        return self.methods is None or method in self.methods

    def error(self) -> PlatformError:
        """The error answer of a status fault."""
        assert self.status is not None
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Unknown Error"
        return PlatformError(self.status, phrase, page=self.page)

    def cancel(self) -> None:
        """Stop this fault from hitting further calls."""
        self.remaining = 0


@dataclass(frozen=True)
class Flood:
    """Flood control: at most `per_second` sending calls per bot; `retry_after` is the hint given (if any)."""

    per_second: int
    retry_after: float | None = None


class Faults:
    """Planned faults and flood control, shared by the server thread and the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._flood: Flood | None = None
        self._sends: dict[str, deque[float]] = {}

    def plan(self, fault: Fault, methods: Iterable[str] | str | None, for_seconds: float | None,
             times: int | None) -> Fault:
        """Arm `fault` for `methods`, for a while or a number of calls."""
        if isinstance(methods, str):
            methods = [methods]
        fault.methods = frozenset(methods) if methods else None
        fault.until = time.monotonic() + for_seconds if for_seconds is not None else None
        fault.remaining = times
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Forget every planned fault and turn flood control off."""
        with self._lock:
            self._faults.clear()
            self._flood = None

    def take(self, method: str) -> Fault | None:
        """The fault hitting this call, if any (uses up one of its `times`)."""
        now = time.monotonic()
        with self._lock:
            fault = next((f for f in reversed(self._faults) if f.applies_to(method, now)), None)
            if fault is not None and fault.remaining is not None:
                fault.remaining -= 1
            return fault

    def set_flood(self, flood: Flood | None) -> None:
        """Enforce `flood` from now on (None: no flood control)."""
        with self._lock:
            self._flood = flood
            self._sends.clear()

    def admit(self, token: str, method: str) -> None:
        """Count one sending call of bot `token`, or raise 429 as flood control."""
        if method not in SENDING_METHODS:
            return
        with self._lock:
            if self._flood is None:
                return
            now = time.monotonic()
            sends = self._sends.setdefault(token, deque())
            while sends and now - sends[0] >= 1.0:
                sends.popleft()
            if len(sends) >= self._flood.per_second:
                raise PlatformError(429, "Too Many Requests", retry_after=self._flood.retry_after)
            sends.append(now)
