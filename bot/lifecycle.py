"""Stopping `chitieu run` cleanly on SIGTERM (systemctl stop, docker stop) and SIGINT (Ctrl-C).

uvicorn would take both signals itself, stop the web server, then raise the signal again once its
own shutdown is done: the process died with 143 before the bot's cleanup ran, and every claimed reply
stayed "sending" until the claim timeout sent it a second time. Here the web server installs no signal
handler (`QuietServer`); `StopSignal` records the request, and `run_all` stops in this order, all
within `STOP_TIMEOUT_SECONDS`:

1. stop taking updates: the polling task ends, the web server closes (webhook calls under way finish:
   what they received is stored before they answer);
2. the turn each chat is applying finishes and commits; its later updates stay in the inbox;
3. delivery hands nothing new to a platform, lets sends under way finish, and releases the claims of
   replies never handed over (back to pending: sent once, after the restart);
4. periodic work (reminder pass, sweeps, housekeeping) is cancelled; a pass in a worker thread
   commits or rolls back;
5. the channels' clients close, then the database (`bot.server.serve`), and the process exits 0.

A second signal, or a stop that overruns its budget by `HARD_STOP_GRACE` seconds, ends the process at
once with exit code 1 (a unit manager would otherwise SIGKILL it anyway).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator

import uvicorn

log = logging.getLogger(__name__)
SIGNALS = (signal.SIGTERM, signal.SIGINT)
HARD_STOP_GRACE = 5.0


class QuietServer(uvicorn.Server):
    """uvicorn's server without its own signal handling: `chitieu run` decides how to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # noqa: D102 - uvicorn's hook
        yield


class StopSignal:
    """SIGTERM/SIGINT as an asyncio event; a watchdog ends the process if stopping overruns."""

    def __init__(self, timeout: float, hard_exit: Callable[[int], None] = os._exit) -> None:
        self.timeout = timeout
        self.requested = asyncio.Event()
        self.received: int | None = None
        self.deadline: float | None = None
        self._hard_exit = hard_exit
        self._installed: list[int] = []
        self._watchdog: threading.Timer | None = None

    def install(self) -> StopSignal:
        """Handle the signals in the running loop (main thread only; elsewhere nothing is installed)."""
        if threading.current_thread() is not threading.main_thread():
            return self
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            loop.add_signal_handler(sig, self._on_signal, sig)
            self._installed.append(sig)
        return self

    def uninstall(self) -> None:
        """The stop is done: disarm the watchdog, give the signals back to their defaults."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        loop = asyncio.get_running_loop()
        for sig in self._installed:
            loop.remove_signal_handler(sig)
        self._installed.clear()

    def _on_signal(self, sig: int) -> None:
        if self.requested.is_set():
            self._give_up(f"second {signal.Signals(sig).name}: stopping at once")
            return
        log.warning("%s received: stopping (at most %.0f s)", signal.Signals(sig).name, self.timeout)
        self.received = sig
        self.begin()

    def begin(self) -> None:
        """Start the stop clock (a signal, or the web server ending by itself) and arm the watchdog."""
        if self.deadline is not None:
            return
        self.deadline = time.monotonic() + self.timeout
        self.requested.set()
        self._watchdog = threading.Timer(self.timeout + HARD_STOP_GRACE, self._give_up,
                                         args=("stopping took too long: exiting now",))
        self._watchdog.daemon = True
        self._watchdog.start()

    def left(self) -> float:
        """Seconds left of the stop budget (the whole budget before a stop began)."""
        return self.timeout if self.deadline is None else max(self.deadline - time.monotonic(), 0.0)

    def _give_up(self, why: str) -> None:
        log.error(why)
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        self._hard_exit(1)

    async def wait(self, serving: asyncio.Task[None]) -> None:
        """Until a stop is requested or the web server ends by itself (it failed to bind, …)."""
        waiter = asyncio.create_task(self.requested.wait())
        try:
            await asyncio.wait({waiter, serving}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        self.begin()


async def stop_server(server: uvicorn.Server, serving: asyncio.Task[None], timeout: float) -> None:
    """Close the web server: no new connections, requests under way finish (then forced after `timeout`)."""
    server.should_exit = True
    done, _ = await asyncio.wait({serving}, timeout=max(timeout, 0.0))
    if not done:
        server.force_exit = True
        done, _ = await asyncio.wait({serving}, timeout=1.0)
        if not done:
            serving.cancel()
    await asyncio.gather(serving, return_exceptions=True)


async def cancel_all(tasks: Iterable[asyncio.Task[object]], timeout: float = 2.0) -> None:
    """Cancel tasks and wait for them (a task still busy after `timeout` is left to the loop's end)."""
    tasks = [t for t in tasks if t is not None]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=timeout)


async def within(awaitable: Awaitable[object], timeout: float, what: str) -> None:
    """Await a step of the stop for at most `timeout` seconds; a failure is logged, never raised."""
    try:
        await asyncio.wait_for(awaitable, max(timeout, 0.1))
    except TimeoutError:
        log.warning("stopping: %s took too long", what)
    except Exception:  # noqa: BLE001 - the rest of the stop must still run
        log.exception("stopping: %s failed", what)
