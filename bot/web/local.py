"""The web view beside the console chat (`make run` without a channel), on 127.0.0.1:LISTEN_PORT."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    import uvicorn

    from bot.app import App


def _bind(port: int) -> socket.socket | None:
    """A socket on 127.0.0.1:port, or None (said on stderr) when the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart right after a stop (TIME_WAIT) binds
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)  # from now on a browser's connection waits in the backlog until the server accepts it
    except OSError as exc:
        sock.close()
        typer.echo(f"note: the web view is not started, 127.0.0.1:{port} is in use ({exc.strerror}); "
                   "set LISTEN_PORT to a free port for /web links", err=True)
        return None
    return sock


def _server(app: App) -> uvicorn.Server:
    """The bot's web application in a uvicorn server that leaves Ctrl-C to the chat."""
    import uvicorn
    from starlette.applications import Starlette

    from bot.httpguard import server_config
    from bot.web import web_routes

    class Quiet(uvicorn.Server):
        def capture_signals(self):  # noqa: ANN202 - no signal handlers of its own
            return contextlib.nullcontext()

    return Quiet(server_config(Starlette(routes=web_routes(app)), app.settings, lifespan="off"))


async def beside(app: App, chat: Coroutine[Any, Any, None]) -> None:
    """Run the console chat; the web server starts beside it (built in a thread: the greeting does not wait)."""
    sock = _bind(app.settings.listen_port)
    if sock is None:
        await chat
        return
    talking = asyncio.create_task(chat, name="console")
    server = await asyncio.to_thread(_server, app)
    serving = asyncio.create_task(server.serve(sockets=[sock]), name="web")
    try:
        await talking
    finally:
        server.should_exit = True
        await serving
