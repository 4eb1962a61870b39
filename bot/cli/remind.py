"""`chitieu remind`: one reminder pass by hand (or from cron), a dry run, or the schedule ahead."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import typer

from bot.app import App
from bot.cli.base import UsageError, app_from_env, cli, echo_lines, one_line_errors
from bot.delivery import Channel, Delivery
from bot.jobs import planned_lines
from conversations.forms import FormCache
from conversations.reminders import run_pass, upcoming

SEND_TIMEOUT = 120.0


@cli.command("remind")
@one_line_errors
def remind(
    now: str = typer.Option(None, "--now", help="Run as if it were this time, ISO 8601 (local time unless "
                            "an offset is given), e.g. 2026-12-07T08:30."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be sent; record and send nothing."),
    show_list: bool = typer.Option(False, "--list", help="Show the upcoming schedule instead of running a pass."),
    days: int = typer.Option(30, "--days", help="How far ahead --list looks."),
) -> None:
    """Run one reminder pass: record and queue what is due, then send it through the configured channels."""
    app = app_from_env()
    try:
        at = parse_now(now, app) if now else app.clock.now()
        tz, forms = app.clock.tz, FormCache()
        if show_list:
            with app.uow() as uow:
                rows = upcoming(uow, forms, tz, at, days)
            echo_lines([f"upcoming reminders after {at.astimezone(tz):%d/%m/%Y %H:%M} ({tz.key}), {days} days:"]
                       + [r.line(tz) for r in rows] + ([] if rows else ["nothing planned"]) + job_lines(app))
            return
        report = run_pass(app.uow, forms, tz, at, dry_run, read_uow=app.read_uow)
        echo_lines(report.lines(tz))
        if not dry_run and report.outbox_ids:
            echo_lines(send_queued(app, report.outbox_ids))
    finally:
        app.close()


def job_lines(app: App) -> list[str]:
    """The periodic jobs' next runs: asked of the running bot's /healthz, else what the settings plan."""
    s = app.settings
    host = "127.0.0.1" if s.listen_host in ("0.0.0.0", "::", "") else s.listen_host
    try:
        jobs = httpx.get(f"http://{host}:{s.listen_port}/healthz", timeout=2.0).json().get("jobs")
    except (httpx.HTTPError, ValueError, AttributeError):
        jobs = None
    if isinstance(jobs, dict) and jobs:
        tz = app.clock.tz
        return ["periodic jobs of the running bot, next run:"] + [
            f"  {name}: {datetime.fromisoformat(at).astimezone(tz):%d/%m/%Y %H:%M:%S}" if at else f"  {name}: paused"
            for name, at in jobs.items()]
    channels = [name for name, on in (("telegram", s.telegram_bot_token is not None), ("zalo", s.zalo_enabled))
                if on]
    return ["periodic jobs (the bot is not running; `chitieu run` schedules them):",
            *planned_lines(s, channels)]


def parse_now(text: str, app: App) -> datetime:
    """An ISO time; without an offset it is read in the deployment's timezone."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO time; write e.g. 2026-12-07T08:30") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=app.clock.tz)).astimezone(UTC)


def send_queued(app: App, outbox_ids: list[int]) -> list[str]:
    """Drain the outbox through the configured channels; with none, leave the messages queued."""
    token = app.settings.telegram_bot_token
    if token is None or not token.get_secret_value():
        return [f"no channel is configured (TELEGRAM_BOT_TOKEN is not set): {len(outbox_ids)} message(s) "
                "left queued in the outbox; `chitieu run` sends them"]
    left = asyncio.run(_drain_telegram(app, outbox_ids))
    sent = len(outbox_ids) - left
    return [f"sent {sent} of {len(outbox_ids)} through telegram"
            + (f"; {left} still queued (retried by `chitieu run` or the next pass)" if left else "")]


async def _drain_telegram(app: App, outbox_ids: list[int]) -> int:
    """Send until this pass's messages are out (or SEND_TIMEOUT passes); returns how many are left."""
    from bot.telegram import TelegramChannel

    channels: dict[str, Channel] = {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    telegram = TelegramChannel(app, app.dialogue_service(), delivery)
    channels["telegram"] = telegram
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SEND_TIMEOUT
    left = len(outbox_ids)
    async with telegram.application:
        while left and loop.time() < deadline:
            await delivery.drain()
            left = await asyncio.to_thread(_unsent, app, outbox_ids)
            if left:
                await asyncio.sleep(1.0)
    return left


def _unsent(app: App, outbox_ids: list[int]) -> int:
    with app.uow() as uow:
        return uow.outbox.unsent_among(outbox_ids)
