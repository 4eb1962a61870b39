"""The periodic jobs on APScheduler (bot.jobs): on time, missed runs coalesced, no pass doubled by a second
scheduler on the same PostgreSQL database."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

import pytest
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.app import App
from bot.cli.base import cli
from bot.housekeeping import housekeeping
from bot.jobs import Jobs, JobSpec, job_specs
from bot.scheduler import ReminderScheduler
from bot.settings import Settings
from tests.helpers.app import make_app
from tests.helpers.clock import vn
from tests.helpers.zalo import free_port
from tests.reminders.world import Bot, add_person, log, outbox


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def test_jobs_run_on_time_and_a_blocked_loop_coalesces_missed_runs() -> None:
    runs: list[float] = []

    async def tick() -> None:
        runs.append(time.monotonic())

    async def scenario() -> tuple[float, float, dict]:
        jobs = Jobs(_settings(job_misfire_grace_seconds=30))
        jobs.add(JobSpec("tick", 0.1), tick)
        task = jobs.start()
        await asyncio.sleep(0.05)
        nexts = jobs.next_runs()
        await asyncio.sleep(1.0)  # on time: about ten runs
        blocked_from = time.monotonic()
        time.sleep(1.0)  # the loop is blocked (a long synchronous call, the machine asleep): ten runs missed
        blocked_to = time.monotonic()
        await asyncio.sleep(0.55)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return blocked_from, blocked_to, nexts

    blocked_from, blocked_to, nexts = asyncio.run(scenario())
    assert set(nexts) == {"tick"} and nexts["tick"] is not None
    before = [t for t in runs if t < blocked_from]
    assert 7 <= len(before) <= 12, len(before)  # (a loaded test machine may lose one)
    gaps = [b - a for a, b in itertools_pairs(before)]
    assert all(0.05 < g < 0.25 for g in gaps), gaps
    assert not [t for t in runs if blocked_from < t < blocked_to]
    # the ten missed runs became one, right when the loop came back; then the 0.1 s grid again (whose
    # next slot may fall just after it): never a burst of ten catch-up runs
    after = [t for t in runs if t >= blocked_to]
    offsets = [round(t - blocked_to, 3) for t in after]
    assert after and offsets[0] < 0.05, offsets
    assert len([t for t in offsets if t < 0.1]) <= 2, offsets
    assert 4 <= len(after) <= 7, len(after)


def itertools_pairs(values: list[float]) -> list[tuple[float, float]]:
    return list(zip(values, values[1:], strict=False))


def test_a_pass_still_running_is_not_started_twice_and_a_failing_one_retries() -> None:
    running, most, calls = 0, 0, 0

    async def slow() -> None:
        nonlocal running, most, calls
        calls += 1
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.35)
        running -= 1
        if calls == 1:
            raise RuntimeError("database down")

    async def scenario() -> Jobs:
        jobs = Jobs(_settings())
        jobs.add(JobSpec("slow", 0.1), slow)
        task = jobs.start()
        await asyncio.sleep(1.2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return jobs

    jobs = asyncio.run(scenario())
    assert most == 1  # max_instances=1
    assert 2 <= calls <= 4, calls
    assert jobs.failures == {"slow": 1} and jobs.runs["slow"] >= 2


def test_the_jobs_chitieu_run_schedules() -> None:
    specs = job_specs(_settings(reminder_pass_seconds=60, housekeeping_seconds=600, inbox_sweep_seconds=5),
                      ["telegram", "zalo"])
    assert [(s.name, s.seconds, s.at_start) for s in specs] == [
        ("reminders", 60.0, True), ("housekeeping", 600.0, True),
        ("telegram-sweep", 5.0, False), ("zalo-sweep", 5.0, False)]


def test_remind_list_shows_the_jobs_planned_when_the_bot_is_not_running(catalog_sqlite_url: str) -> None:
    result = CliRunner().invoke(cli, ["remind", "--list", "--days", "3"], env={
        "DATABASE_URL": catalog_sqlite_url, "LOG_LEVEL": "WARNING", "LISTEN_PORT": str(free_port()),
        "REMINDER_PASS_SECONDS": "120", "TELEGRAM_BOT_TOKEN": "123456:" + "A" * 30})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-4:] == [
        "periodic jobs (the bot is not running; `chitieu run` schedules them):",
        "  reminders: at start-up, then every 120 s", "  housekeeping: at start-up, then every 600 s",
        "  telegram-sweep: every 5 s"]


@pytest.mark.postgres
def test_a_simulated_day_with_two_schedulers_on_one_postgresql_database_doubles_nothing(pg_url: str) -> None:
    """Two workers (each its own App, engine, event loop and scheduler) run the reminder pass and the
    housekeeping every 50 ms over the same database while the working day's clock moves on; every reminder is
    recorded once (its unique key) and queued once."""
    one, two = make_app(pg_url), make_app(pg_url, load=False)
    try:
        for unit in ("QUANGTRI", "HANOI", "DANANG"):
            add_person(one, unit)
        day = vn(2026, 12, 4, 7, 0)
        apps = (one, two)
        for app in apps:
            app.clock.set(day)
        stop = threading.Event()
        reports: dict[str, Jobs] = {}

        def worker(name: str, app: App) -> None:
            async def main() -> None:
                bot = Bot(app)
                jobs = Jobs(app.settings)
                reminders = ReminderScheduler(app, bot.delivery)
                jobs.add(JobSpec("reminders", 0.05), reminders.run_once)
                jobs.add(JobSpec("housekeeping", 0.05), lambda: asyncio.to_thread(housekeeping, app))
                task = jobs.start()
                while not stop.is_set():
                    await asyncio.sleep(0.02)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                reports[name] = jobs

            asyncio.run(main())

        threads = [threading.Thread(target=worker, args=(f"w{i}", app)) for i, app in enumerate(apps)]
        for thread in threads:
            thread.start()
        for step in range(1, 45):  # the working day 07:00-18:00 in quarter hours, passes on both at each
            time.sleep(0.15)
            for app in apps:
                app.clock.set(day + timedelta(minutes=15 * step))
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert all(jobs.runs["reminders"] >= 40 and jobs.failures == {} for jobs in reports.values()), \
            {n: (j.runs, j.failures) for n, j in reports.items()}
        # the 08:30 d-3 reminder of Q4, queued (not yet delivered: no delivery runs here) once per person
        queued = [(e.person_id, e.period_id, e.rule) for e in log(one) if e.status in ("pending", "sent")]
        assert len(queued) == 3 and {rule for _, _, rule in queued} == {"d-3"}, queued
        keys = [(e.person_id, e.period_id, e.rule) for e in log(one)]
        assert len(keys) == len(set(keys))
        assert len(outbox(one)) == 3  # one message per reminder, though both workers passed ~200 times
    finally:
        one.close()
        two.close()
