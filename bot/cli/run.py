"""`chitieu chat` (console) and `chitieu run` (every configured channel, or the console)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import typer

from bot.cli.base import app_from_env, cli, one_line_errors
from bot.console import ConsoleChannel, chat, console_user, enrol
from bot.delivery import Delivery
from bot.web.local import beside


@cli.command("chat")
@one_line_errors
def chat_command(
    as_unit: str = typer.Option(None, "--as", help="Chat as a focal person of this unit (trainer mode)."),
    role: str = typer.Option("focal", "--role", help="Role for --as: focal | analyst | admin."),
) -> None:
    """Chat with the bot in this terminal; pipe a script into stdin to replay a dialogue."""
    app = app_from_env()
    user_id = console_user(as_unit)
    if as_unit:
        enrol(app, user_id, as_unit, role.lower())
    run_console(app, user_id)


def run_console(app, user_id: str) -> None:  # noqa: ANN001 - App
    """Run the console chat until end of input, with the web view on 127.0.0.1 (where `/web` links point)."""
    console = ConsoleChannel(typer.get_text_stream("stdout"), Path("data") / "files")
    delivery = Delivery(app.uow, {"console": console}, app.settings.outbox_claim_timeout_seconds,
                        own_channels_only=True)
    try:
        asyncio.run(beside(app, with_delivery(delivery, app.settings.outbox_poll_seconds,
                                              chat(app.dialogue_service(), delivery, console, user_id))))
    except KeyboardInterrupt:
        pass
    finally:
        app.close()


async def with_delivery(delivery: Delivery, poll_seconds: float, chat_done: Coroutine[Any, Any, None]) -> None:
    """The chat, with the outbox delivered beside it: messages queued by others (a notice that access
    changed, a reminder pass run from cron) are printed, and never hold back the replies behind them."""
    loop = asyncio.create_task(delivery.run(poll_seconds), name="console-delivery")
    try:
        await chat_done
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop


@cli.command("run")
@one_line_errors
def run_command() -> None:
    """Start every configured channel; with no Telegram or Zalo settings, the console chat."""
    app = app_from_env()
    if app.settings.telegram_bot_token is None and not app.settings.zalo_enabled:
        typer.echo("Neither TELEGRAM_BOT_TOKEN nor the ZALO_* settings are set: starting the local console chat "
                   "(type /huongdan for help, Ctrl-D to quit).\n"
                   "No invite yet? In another terminal: .venv/bin/chitieu invite --unit QUANGTRI, then type "
                   "/start CODE here; or chat as a unit directly: .venv/bin/chitieu chat --as QUANGTRI\n"
                   f"The web view runs at http://127.0.0.1:{app.settings.listen_port}/w/ : "
                   "type /web for a sign-in link.")
        run_console(app, console_user(None))
        return
    from bot.server import serve

    serve(app)
