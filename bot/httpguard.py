"""The web server's defences (issue 19): body size, slow and idle clients, too many connections.

- `BodyLimit`, a pure ASGI middleware around the whole application: a body larger than the limit gets
  413 from its Content-Length before anything is read, or as soon as the streamed bytes pass the limit
  (chunked bodies); a body that does not arrive within the body timeout gets 408. A response sent
  while the request body is still unread closes the connection (nothing drains it for ever).
- `read_json`: malformed, non-UTF-8 or too deeply nested JSON is a `BadJson` (the route answers 400).
- `GuardedH11`: uvicorn's h11 protocol with a header timeout (a connection that has not sent a whole
  request line and headers within it is closed: slow-loris and idle sockets) and a ceiling on open
  connections (over it, the oldest connection still waiting for its headers is closed, so a flood of
  idle sockets never starves a real request nor the process's file descriptors).
- `server_config`: the uvicorn configuration `chitieu run` and the console's web view use.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import TYPE_CHECKING, Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from bot.settings import Settings

log = logging.getLogger(__name__)


class BadJson(ValueError):
    """A request body that is not a JSON document we can read."""


def read_json(body: bytes) -> Any:
    """The decoded body; `BadJson` for anything else (100,000 nested `[` included: never a RecursionError)."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadJson(type(exc).__name__) from None


class BodyLimit:
    """413 for bodies over `max_bytes`, 408 for bodies slower than `timeout` seconds; on every route.

    The refusal is sent from inside `receive` the moment the limit is crossed; the application then sees
    the client gone (`http.disconnect`), and whatever it still sends, a 500 included, is dropped.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            log.warning("refused a declared body of %d bytes (limit %d)", declared, self.max_bytes)
            await _refuse(send, 413, "request body too large")
            return
        chunked = any(k == b"transfer-encoding" for k, _ in scope.get("headers", []))
        if chunked:  # no size announced: read it here (at most the limit), whether the route reads bodies or not
            receive = await self._read_chunked(scope, receive, send)
            if receive is None:
                return
        state = {"read": 0, "done": chunked or not declared, "started": False, "refused": False}
        deadline = time.monotonic() + self.timeout

        async def refuse(status: int, text: str) -> Message:
            state["refused"] = True
            if not state["started"]:
                state["started"] = True
                await _refuse(send, status, text)
            return {"type": "http.disconnect"}

        async def limited_receive() -> Message:
            if state["refused"]:
                return {"type": "http.disconnect"}
            if state["done"]:
                return await receive()
            try:
                async with asyncio.timeout(max(deadline - time.monotonic(), 0.001)):
                    message = await receive()
            except TimeoutError:
                log.warning("refused a request body slower than %g s", self.timeout)
                return await refuse(408, "request body too slow")
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > self.max_bytes:
                    log.warning("refused a streamed body over %d bytes", self.max_bytes)
                    return await refuse(413, "request body too large")
                if not message.get("more_body", False):
                    state["done"] = True
            return message

        async def watched_send(message: Message) -> None:
            if state["refused"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
                if not state["done"]:  # the body is not read: close rather than drain it
                    message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except Exception:
            if not state["refused"]:
                raise  # a real failure: uvicorn logs it (through the secret filter)


    async def _read_chunked(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """The whole chunked body read within the limits, replayed to the application; None when refused."""
        parts, size = [], 0
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                async with asyncio.timeout(max(deadline - time.monotonic(), 0.001)):
                    message = await receive()
            except TimeoutError:
                log.warning("refused a request body slower than %g s", self.timeout)
                await _refuse(send, 408, "request body too slow")
                return None
            if message["type"] != "http.request":
                return None  # the client went away
            parts.append(message.get("body", b""))
            size += len(parts[-1])
            if size > self.max_bytes:
                log.warning("refused a streamed body over %d bytes", self.max_bytes)
                await _refuse(send, 413, "request body too large")
                return None
            if not message.get("more_body", False):
                break
        replay: list[Message] = [{"type": "http.request", "body": b"".join(parts), "more_body": False}]

        async def replayed() -> Message:
            return replay.pop() if replay else await receive()

        return replayed


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


class GuardedH11(H11Protocol):
    """h11 with a header timeout and a ceiling on open connections (`configure` sets both)."""

    header_timeout: float = 10.0
    max_connections: int = 256

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # noqa: D102
        super().connection_made(transport)
        self._opened = time.monotonic()
        self._header_timer: asyncio.TimerHandle | None = None
        if len(self.connections) > self.max_connections and not self._evict_one():
            log.warning("refused a connection: %d are open", len(self.connections) - 1)
            transport.write(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            self._close()
            return
        self._arm_header_timer()

    def on_response_complete(self) -> None:  # noqa: D102
        super().on_response_complete()
        self._opened = time.monotonic()  # a kept-alive connection waits for its next headers from now
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: D102
        if self._header_timer is not None:
            self._header_timer.cancel()
        super().connection_lost(exc)

    def _waiting_for_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE and not self.transport.is_closing()

    def _arm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        self._header_timer = self.loop.call_later(self.header_timeout, self._header_deadline)

    def _header_deadline(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers():
            log.info("closed a connection that sent no complete request headers within %g s", self.header_timeout)
            self._close()

    def _evict_one(self) -> bool:
        """Close the connection that has waited longest for its headers (never one whose request runs)."""
        idle = [c for c in self.connections if c is not self and isinstance(c, GuardedH11) and c._waiting_for_headers()]
        if not idle:
            return False
        oldest = min(idle, key=lambda c: c._opened)
        oldest._close()
        return True

    def _close(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()
        self.connections.discard(self)


def protocol_for(settings: Settings) -> type[GuardedH11]:
    """`GuardedH11` with the settings' header timeout and connection ceiling."""
    return type("GuardedH11", (GuardedH11,), {"header_timeout": settings.http_header_timeout,
                                              "max_connections": settings.http_max_connections})


def guard(app: ASGIApp, settings: Settings) -> ASGIApp:
    """The application behind the body limit."""
    return BodyLimit(app, settings.http_max_body_bytes, settings.http_body_timeout)


def server_config(app: ASGIApp, settings: Settings, **extra: Any) -> uvicorn.Config:
    """uvicorn as `chitieu run` starts it: the guarded protocol, the limits, the logs through the root's filters.

    `log_config=None`: uvicorn installs no handlers of its own, so its error and access lines go to the
    root logger's handlers and through the secret filter (bot.logsafe).
    """
    level = logging.INFO if settings.access_log else logging.WARNING
    config = uvicorn.Config(
        guard(app, settings), host=settings.listen_host, port=settings.listen_port, log_config=None,
        log_level=None, access_log=settings.access_log, http=protocol_for(settings),  # type: ignore[arg-type]
        limit_concurrency=settings.http_max_connections + 1,  # a backstop: GuardedH11 keeps below it
        timeout_keep_alive=settings.http_keep_alive_seconds,  # type: ignore[arg-type]
        backlog=settings.http_backlog, h11_max_incomplete_event_size=16 * 1024, **extra)
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").setLevel(level)
    return config
