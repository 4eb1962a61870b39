"""The periodic jobs of `chitieu run` on APScheduler 3's AsyncIOScheduler, in the bot's own event loop.

Jobs: the reminder pass, housekeeping (expired downloads, old inbox rows) and each channel's inbox sweep.
Every job is an idempotent pass over our own tables, so the scheduler keeps nothing durable: the default
MemoryJobStore, nothing pickled, each job a plain coroutine function added at start-up. Each job has

- `coalesce=True`: runs missed while the loop was blocked or the machine asleep become one run;
- `max_instances=1`: a pass still running when the next is due is not started twice (the next waits);
- an explicit `misfire_grace_time` (`JOB_MISFIRE_GRACE_SECONDS`): a run that late still happens.

A second process (a second worker, `chitieu remind` from cron) on the same database doubles nothing: the
reminder log's unique key records each reminder once, the inbox marks an update applied once, and the
housekeeping deletes are idempotent. Next run times are in `/healthz` ("jobs") and `chitieu remind --list`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.settings import Settings

log = logging.getLogger(__name__)

Pass = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class JobSpec:
    """A job's name, interval in seconds, and whether it runs once right at start-up."""

    name: str
    seconds: float
    at_start: bool = True


def job_specs(settings: Settings, channels: list[str]) -> list[JobSpec]:
    """The jobs `chitieu run` schedules with these settings (the inbox sweeps per running channel)."""
    specs = [JobSpec("reminders", float(settings.reminder_pass_seconds)),
             JobSpec("housekeeping", float(settings.housekeeping_seconds))]
    specs += [JobSpec(f"{channel}-sweep", float(settings.inbox_sweep_seconds), at_start=False)
              for channel in channels]
    return specs


def planned_lines(settings: Settings, channels: list[str]) -> list[str]:
    """What `chitieu remind --list` says about the jobs when the bot is not running: from the settings."""
    lines = []
    for spec in job_specs(settings, channels):
        start = "at start-up, then " if spec.at_start else ""
        lines.append(f"  {spec.name}: {start}every {spec.seconds:g} s")
    return lines


class Jobs:
    """The scheduler and its jobs; `run()` is the task `/healthz` watches ("scheduler")."""

    def __init__(self, settings: Settings) -> None:
        self.grace = settings.job_misfire_grace_seconds
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.runs: dict[str, int] = {}
        self.failures: dict[str, int] = {}

    def add(self, spec: JobSpec, work: Pass) -> None:
        """Schedule `work` every `spec.seconds` (first run at once when `spec.at_start`)."""
        async def job() -> None:
            try:
                await work()
            except asyncio.CancelledError:  # the scheduler shut down mid-pass (its transaction rolls back)
                log.debug("job %s cancelled at shutdown", spec.name)
            except Exception:  # noqa: BLE001 - the database may be down; the next run tries again
                self.failures[spec.name] = self.failures.get(spec.name, 0) + 1
                log.exception("job %s failed; the next run retries", spec.name)
            finally:
                self.runs[spec.name] = self.runs.get(spec.name, 0) + 1

        now = datetime.now(UTC)
        first = now if spec.at_start else now + timedelta(seconds=spec.seconds)
        self.scheduler.add_job(job, IntervalTrigger(seconds=spec.seconds, timezone=UTC), id=spec.name,
                               name=spec.name, next_run_time=first, coalesce=True, max_instances=1,
                               misfire_grace_time=max(int(self.grace), 1), replace_existing=True)

    def next_runs(self) -> dict[str, str | None]:
        """Each job's next run time (ISO 8601, UTC), None when paused or the scheduler is not running."""
        running = self.scheduler.running
        return {job.id: (job.next_run_time.astimezone(UTC).isoformat()
                         if running and job.next_run_time else None)
                for job in self.scheduler.get_jobs()}

    async def run(self) -> None:
        """Start the scheduler in this loop and keep it until cancelled (then shut it down, not waiting
        for a pass under way: the caller's stop order handles turns and sends)."""
        self.scheduler.start()
        try:
            await asyncio.Event().wait()
        finally:
            self.scheduler.shutdown(wait=False)

    def start(self) -> asyncio.Task[None]:
        """`run()` as a background task named "scheduler"."""
        return asyncio.create_task(self.run(), name="scheduler")
