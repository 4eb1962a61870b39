"""Waking waiters in any thread or event loop when the fake's state changes."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
RECHECK_SECONDS = 0.05


class ChangeSignal:
    """Wakes waiters in any thread, or in any event loop, whenever the state changes."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._condition = threading.Condition(lock)
        self._async_waiters: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}

    def notify(self) -> None:
        """Wake every waiter (call with the lock held)."""
        self._condition.notify_all()
        for loop, event in list(self._async_waiters.values()):
            with contextlib.suppress(RuntimeError):  # that loop is closed; its waiter is gone
                loop.call_soon_threadsafe(event.set)

    def wait(self, predicate: Callable[[], T], timeout: float) -> T:
        """Block until ``predicate()`` is truthy or ``timeout`` passes; return its last value.

        Also re-checks every RECHECK_SECONDS, for predicates on things the fake is not told about
        (say, a bot's own data after it handled an update without calling the API).
        """
        deadline = time.monotonic() + timeout
        with self._condition:
            while not (result := predicate()) and (remaining := deadline - time.monotonic()) > 0:
                self._condition.wait(min(remaining, RECHECK_SECONDS))
            return result

    async def wait_async(self, predicate: Callable[[], T], timeout: float) -> T:
        """Like :meth:`wait`, without blocking the running event loop."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = asyncio.Event()
            with self._lock:
                result = predicate()
                if result or loop.time() >= deadline:
                    return result
                self._async_waiters[id(event)] = (loop, event)
            try:
                await asyncio.wait_for(event.wait(), min(deadline - loop.time(), RECHECK_SECONDS))
            except TimeoutError:
                pass
            finally:
                with self._lock:
                    self._async_waiters.pop(id(event), None)
