"""`chitieu run`: every configured channel in one event loop, one web server (webhooks, /healthz)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from urllib.parse import quote

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.app import App
from bot.delivery import Channel, Delivery
from bot.downloads import PATH as DOWNLOAD_PATH
from bot.downloads import fetch_download
from bot.health import Health
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
    """Routes: /healthz (bot.health), the Telegram webhook (webhook mode), the Zalo webhook, download links,
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
            return PlainTextResponse("not found or expired", 404)
        return Response(found.data, media_type="application/octet-stream", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}"})

    async def telegram_webhook(request: Request) -> Response:
        secret = app.settings.webhook_secret
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if secret is None or not secrets.compare_digest(given, secret.get_secret_value()):
            log.warning("refused a Telegram webhook call with a wrong secret token")
            return PlainTextResponse("forbidden", 403)
        assert telegram is not None
        stored = await telegram.take_webhook(await request.json())
        return PlainTextResponse("ok") if stored else PlainTextResponse("try again", 503)

    routes = [Route("/healthz", healthz), Route(DOWNLOAD_PATH + "{token}", download), *web_routes(app)]
    if telegram is not None and app.settings.webhook_url:
        routes.append(Route(TELEGRAM_PATH, telegram_webhook, methods=["POST"]))
    if zalo is not None:
        routes.append(Route(ZALO_PATH, zalo_webhook, methods=["POST"]))
    return Starlette(routes=routes)


async def run_all(app: App) -> None:
    """Start channels, the delivery loop and the web server; stop them cleanly on SIGINT/SIGTERM
    (the order is in bot.lifecycle)."""
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
    server = QuietServer(uvicorn.Config(web_app(app, telegram, zalo, health), host=app.settings.listen_host,
                                        port=app.settings.listen_port, log_level="warning"))
    async with contextlib.AsyncExitStack() as stack:
        telegram_tasks: list[asyncio.Task[None]] = []
        if telegram:
            await stack.enter_async_context(telegram.application)
            telegram_tasks = await start_telegram(app, telegram)
        if zalo:
            await zalo.intake.replay()
        delivering = asyncio.create_task(delivery.run(app.settings.outbox_poll_seconds), name="delivery")
        background = [ReminderScheduler(app, delivery).start()]
        if zalo:
            background.append(asyncio.create_task(zalo.intake.sweep_forever(), name="zalo-sweep"))
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
    tasks.append(asyncio.create_task(telegram.intake.sweep_forever(), name="telegram-sweep"))
    return tasks


async def stop_telegram(telegram: TelegramChannel, tasks: list[asyncio.Task[None]]) -> None:
    """Stop fetching, let updates being applied finish."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await telegram.intake.close()


def serve(app: App) -> None:
    """Run until interrupted."""
    try:
        asyncio.run(run_all(app))
    finally:
        app.close()
