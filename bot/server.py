"""`chitieu run`: every configured channel in one event loop, one web server (webhooks, /healthz)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import secrets
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot import metrics
from bot.app import App
from bot.delivery import Channel, Delivery
from bot.downloads import NO_STORE, fetch_download
from bot.downloads import PATH as DOWNLOAD_PATH
from bot.health import Health
from bot.housekeeping import housekeeping
from bot.httpguard import BadJson, read_json, server_config
from bot.jobs import Jobs, job_specs
from bot.lifecycle import QuietServer, StopSignal, cancel_all, stop_server, within
from bot.scheduler import ReminderScheduler
from bot.telegram import TelegramChannel
from bot.web import web_routes
from bot.zalo.channel import ZaloChannel

log = logging.getLogger(__name__)
TELEGRAM_PATH = "/telegram/webhook"
ZALO_PATH = "/zalo/webhook"


def web_app(app: App, telegram: TelegramChannel | None, zalo: ZaloChannel | None = None,
            health: Health | None = None) -> Starlette:
    """Routes: /healthz (bot.health), /metrics (bot.metrics), the Telegram webhook (webhook mode), the Zalo webhook, download links,
    the web view."""
    health = health or Health(app, [name for name, c in (("telegram", telegram), ("zalo", zalo)) if c])

    async def healthz(request: Request) -> Response:
        return await health.endpoint(request)

    async def zalo_webhook(request: Request) -> Response:
        assert zalo is not None
        status = await zalo.accept(await request.body(), request.headers)
        return JSONResponse({"ok": status == 200}, status)

    async def download(request: Request) -> Response:
        found = await asyncio.to_thread(fetch_download, app, request.path_params["token"])
        if found is None:
            return PlainTextResponse("not found or expired", 404, headers=NO_STORE)
        return Response(found.data, media_type="application/octet-stream", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}", **NO_STORE})

    async def telegram_webhook(request: Request) -> Response:
        secret = app.settings.webhook_secret
        # bytes, not str: a header Starlette decoded as latin-1 (non-ASCII) must be a 403, not a TypeError
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode("utf-8", "surrogateescape")
        if secret is None or not secrets.compare_digest(given, secret.get_secret_value().encode()):
            log.warning("refused a Telegram webhook call with a wrong secret token")
            return PlainTextResponse("forbidden", 403)
        assert telegram is not None
        try:
            update = telegram.read_webhook(read_json(await request.body()))
        except BadJson as exc:
            log.warning("refused a Telegram webhook call that is not an update (%s)", exc)
            return PlainTextResponse("bad request", 400)
        stored = await telegram.take([update])
        return PlainTextResponse("ok") if stored else PlainTextResponse("try again", 503)

    async def prometheus(request: Request) -> Response:
        return await metrics.endpoint(app, request)

    routes = [Route("/healthz", healthz), Route("/metrics", prometheus), Route(DOWNLOAD_PATH + "{token}", download), *web_routes(app)]
    if telegram is not None and app.settings.webhook_url:
        routes.append(Route(TELEGRAM_PATH, telegram_webhook, methods=["POST"]))
    if zalo is not None:
        routes.append(Route(ZALO_PATH, zalo_webhook, methods=["POST"]))
    return Starlette(routes=routes)  # the body limit wraps it: bot.httpguard.server_config


def check_settings(app: App) -> None:
    """Refuse to start with settings that would open a door (a webhook without a real secret): ValueError."""
    problem = app.settings.startup_problem()
    if problem:
        raise ValueError(problem)


def raise_file_limit(app: App, wanted: int = 65536) -> int:
    """Raise this process's soft limit on open files towards the hard one (systemd: LimitNOFILE); the limit.

    Web connections are kept under HTTP_MAX_CONNECTIONS; the rest is for the database, the Bot API's
    connection pool (256) and the logs, so a flood of sockets never leaves SQLite unable to open a file.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    needed = app.settings.http_max_connections + app.settings.http_backlog * 2 + 512
    if soft != resource.RLIM_INFINITY and soft < needed:
        log.warning("only %d open files allowed, %d wanted: raise LimitNOFILE or lower HTTP_MAX_CONNECTIONS "
                    "(docs/SECURITY.md)", soft, needed)
    return soft


async def run_all(app: App) -> None:
    """Start channels, the delivery loop and the web server; stop them cleanly on SIGINT/SIGTERM
    (the order is in bot.lifecycle)."""
    check_settings(app)
    stop = StopSignal(app.settings.stop_timeout_seconds).install()
    try:
        await _run_until_stopped(app, stop)
    finally:
        stop.uninstall()


async def _run_until_stopped(app: App, stop: StopSignal) -> None:
    service = app.dialogue_service()
    channels: dict[str, Channel] = {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    telegram = TelegramChannel(app, service, delivery) if app.settings.telegram_bot_token else None
    zalo = ZaloChannel(app, service, delivery) if app.settings.zalo_enabled else None
    channels.update({c.name: c for c in (telegram, zalo) if c is not None})
    health = Health(app, list(channels))
    server = QuietServer(server_config(web_app(app, telegram, zalo, health), app.settings))
    async with contextlib.AsyncExitStack() as stack:
        telegram_tasks: list[asyncio.Task[None]] = []
        if telegram:
            await stack.enter_async_context(telegram.application)
            telegram_tasks = await start_telegram(app, telegram)
        if zalo:
            await zalo.intake.replay()
        delivering = asyncio.create_task(delivery.run(app.settings.outbox_poll_seconds), name="delivery")
        jobs = schedule_jobs(app, delivery, {c.name: c.intake for c in (telegram, zalo) if c is not None})
        health.jobs = jobs
        background = [jobs.start()]
        health.watch(*telegram_tasks, delivering, *background)
        log.info("chitieu-bot running: %s", ", ".join(channels) or "no channel")
        serving = asyncio.create_task(server.serve(), name="web")
        try:
            await stop.wait(serving)
        finally:
            stop.begin()
            polling = [t for t in telegram_tasks if t.get_name() == "telegram-poll"]
            await cancel_all(polling)
            await stop_server(server, serving, stop.left() / 2)
            intakes = [c.intake for c in (telegram, zalo) if c is not None]
            await within(asyncio.gather(*(i.close(stop.left()) for i in intakes)), stop.left(), "turns")
            await within(delivery.stop(delivering, stop.left() - 0.5), stop.left() + 1.0, "delivery")
            await cancel_all([*background, *telegram_tasks], timeout=min(stop.left(), 2.0))
            if zalo:
                await within(zalo.close(), stop.left(), "the Zalo client")


async def start_telegram(app: App, telegram: TelegramChannel) -> list[asyncio.Task[None]]:
    """Menu, then polling (our loop) or the webhook; replays what a crash left; returns background tasks."""
    await telegram.register_commands()
    s = app.settings
    tasks = []
    if s.webhook_url:
        url = s.webhook_url.rstrip("/") + TELEGRAM_PATH
        secret = s.webhook_secret.get_secret_value() if s.webhook_secret else None
        await telegram.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
    else:
        await telegram.bot.delete_webhook(drop_pending_updates=False)
        tasks.append(asyncio.create_task(telegram.poll_forever(), name="telegram-poll"))
    await telegram.intake.replay()
    return tasks


def schedule_jobs(app: App, delivery: Delivery, intakes: dict) -> Jobs:
    """The periodic jobs on APScheduler (bot.jobs): reminder pass, housekeeping, each inbox sweep."""
    jobs, reminders = Jobs(app.settings), ReminderScheduler(app, delivery)
    work = {"reminders": reminders.run_once, "housekeeping": lambda: asyncio.to_thread(housekeeping, app)}
    work.update({f"{name}-sweep": intake.sweep for name, intake in intakes.items()})
    for spec in job_specs(app.settings, list(intakes)):
        jobs.add(spec, work[spec.name])
    return jobs


async def stop_telegram(telegram: TelegramChannel, tasks: list[asyncio.Task[None]]) -> None:
    """Stop fetching, let updates being applied finish."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await telegram.intake.close()


def serve(app: App) -> None:
    """Run until interrupted (after the start-up check of the settings)."""
    try:
        check_settings(app)
        raise_file_limit(app)
        asyncio.run(run_all(app))
    finally:
        app.close()
