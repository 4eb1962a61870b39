"""`/healthz`: is the bot doing its work, not only answering HTTP?

It reports the database, each background task of `chitieu run` (Telegram polling, the inbox sweeps,
delivery, the scheduler of the periodic jobs), each periodic job's next run time (bot.jobs), the age of the oldest update received but not applied and of the
oldest reply not yet sent. It answers 503 when a task has died (polling stopped on InvalidToken, say),
the database does not answer, or the inbox or the outbox is stuck past its threshold
(`HEALTH_INBOX_MAX_AGE_SECONDS`, `HEALTH_OUTBOX_MAX_AGE_SECONDS`), so a load balancer or a monitor
sees a dead channel. The body names what is wrong:

    {"ok": false, "channels": ["telegram"], "database": true,
     "tasks": {"telegram-poll": "failed: InvalidToken", "delivery": "running", "scheduler": "running"},
     "jobs": {"reminders": "2026-12-07T01:31:00+00:00", "housekeeping": "…", "telegram-sweep": "…"},
     "inbox_oldest_unapplied_seconds": null, "outbox_oldest_unsent_seconds": 3.2,
     "problems": ["task telegram-poll failed: InvalidToken"]}
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.app import App
from storage.models import utcnow

log = logging.getLogger(__name__)


def task_state(task: asyncio.Task[Any]) -> str:
    """running, stopped (ended or cancelled), or failed: <exception type>."""
    if not task.done():
        return "running"
    if task.cancelled():
        return "stopped"
    exc = task.exception()
    return f"failed: {type(exc).__name__}" if exc is not None else "stopped"


def _age(at: datetime | None, now: datetime) -> float | None:
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite and `timestamp without time zone` give naive UTC back
        at = at.replace(tzinfo=UTC)
    return round(max((now - at).total_seconds(), 0.0), 1)


@dataclass
class Health:
    """What `/healthz` reports; `run_all` registers its background tasks with `watch`."""

    app: App
    channels: list[str] = field(default_factory=list)
    tasks: dict[str, asyncio.Task[Any]] = field(default_factory=dict)
    jobs: Any = None  # bot.jobs.Jobs: each periodic job's next run time goes into the body

    def watch(self, *tasks: asyncio.Task[Any]) -> None:
        """Report these tasks by name; a task that dies is logged at once, not only when asked."""
        for task in tasks:
            self.tasks[task.get_name()] = task
            task.add_done_callback(self._ended)

    @staticmethod
    def _ended(task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("background task %s died: %s: %s; /healthz answers 503", task.get_name(),
                      type(exc).__name__, exc)

    def _database(self) -> tuple[bool, float | None, float | None]:
        """(database answers, oldest unapplied inbox row's age, oldest unsent outbox row's age)."""
        try:
            with self.app.read_uow() as uow:
                uow.session.execute(text("select 1"))
                inbox, outbox = uow.inbox.oldest_unapplied_at(), uow.outbox.oldest_unsent_at()
        except Exception:  # noqa: BLE001 - a health check reports, never raises
            log.warning("health check: the database did not answer")
            return False, None, None
        now = utcnow()
        return True, _age(inbox, now), _age(outbox, now)

    async def report(self) -> tuple[dict[str, Any], int]:
        """The body and the status code (200 or 503)."""
        s = self.app.settings
        database, inbox_age, outbox_age = await asyncio.to_thread(self._database)
        tasks = {name: task_state(task) for name, task in self.tasks.items()}
        problems = [f"task {name} {state}" for name, state in tasks.items() if state != "running"]
        if not database:
            problems.append("database not answering")
        if inbox_age is not None and inbox_age > s.health_inbox_max_age_seconds:
            problems.append(f"inbox: an update has waited {inbox_age:.0f} s to be applied "
                            f"(over {s.health_inbox_max_age_seconds:.0f} s)")
        if outbox_age is not None and outbox_age > s.health_outbox_max_age_seconds:
            problems.append(f"outbox: a reply has waited {outbox_age:.0f} s to be sent "
                            f"(over {s.health_outbox_max_age_seconds:.0f} s)")
        jobs = self.jobs.next_runs() if self.jobs is not None else {}
        body = {"ok": not problems, "channels": self.channels, "database": database, "tasks": tasks, "jobs": jobs,
                "inbox_oldest_unapplied_seconds": inbox_age, "outbox_oldest_unsent_seconds": outbox_age,
                "problems": problems}
        return body, 200 if not problems else 503

    async def endpoint(self, _: Request) -> Response:
        """The /healthz route."""
        body, status = await self.report()
        return JSONResponse(body, status, headers={"Cache-Control": "no-store"})
