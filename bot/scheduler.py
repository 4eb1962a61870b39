"""The reminder pass inside `chitieu run`: `run_once` is the APScheduler job "reminders" (bot.jobs).

Nothing is pickled (the job lives in memory, added at start-up). Each pass reads from the tables what is
due at that moment and records it under the reminder log's unique key, so a pass that runs late (the
bot was down over the send time) catches up, and one that runs twice (or on a second worker) repeats
nothing. The outbox delivery then sends what the pass queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot import metrics
from bot.app import App
from bot.delivery import Delivery
from conversations.forms import FormCache
from conversations.reminders import PassReport, run_pass

log = logging.getLogger(__name__)


class ReminderScheduler:
    """A reminder pass that wakes the delivery when it queued messages; `start()` loops it every `every`
    seconds on its own (tests, tools); `chitieu run` schedules `run_once` on APScheduler instead."""

    def __init__(self, app: App, delivery: Delivery, every: float | None = None) -> None:
        self.app, self.delivery = app, delivery
        self.every = every if every is not None else float(app.settings.reminder_pass_seconds)
        self.forms = FormCache()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> PassReport:
        """One pass now (in a worker thread: it talks to the database)."""
        report = await asyncio.to_thread(run_pass, self.app.uow, self.forms, self.app.clock.tz, self.app.clock.now(),
                                         read_uow=self.app.read_uow)
        metrics.REMINDER_PASSES.inc()
        metrics.REMINDER_NUDGES.inc(report.queued)
        if report.decisions:
            log.info("reminder pass: %s queued, %s superseded, %s unreachable", report.queued,
                     report.count("skipped"), report.count("unreachable"))
        if report.outbox_ids:
            self.delivery.wake.set()
        return report

    async def run(self) -> None:
        """Pass after pass until cancelled; a failing pass is logged and the next one tries again."""
        while True:
            try:
                await self.run_once()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("reminder pass failed; the next pass retries")
            await asyncio.sleep(self.every)

    def start(self) -> asyncio.Task[None]:
        """Start the loop as a background task."""
        self._task = asyncio.create_task(self.run(), name="reminders")
        return self._task

    async def stop(self) -> None:
        """Cancel the loop and wait for it (a pass already recording finishes its transaction or rolls back)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
