"""The fake Bot API over real HTTP: a Starlette app served by uvicorn in a background thread.

Routes: ``/bot{token}/{method}`` (any method, GET or POST, as Telegram) and
``/file/bot{token}/{file_path}`` (downloads), the two URLs PTB builds from ``base_url``/``base_file_url``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.telegram_limits import Limits
from tests.fakes.telegram_methods import BotApiMethods
from tests.fakes.telegram_state import ApiCall, TelegramState
from tests.fakes.telegram_wire import ApiError, error_response, ok_response, read_call

_LOGGER = logging.getLogger(__name__)
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)


class BotApiApp:
    """Answers HTTP calls from ``state``, ``methods`` and ``limits``; logs every call."""

    def __init__(self, state: TelegramState, methods: BotApiMethods, limits: Limits) -> None:
        self._state = state
        self._methods = methods
        self._limits = limits
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self.api_call, methods=["GET", "POST"]),
                Route("/file/bot{token}/{file_path:path}", self.download, methods=["GET"]),
            ]
        )

    async def api_call(self, request: Request) -> Response:
        """One Bot API call, logged; a planned delay holds the reply after the work is done."""
        arrived = time.time()
        method, params, files, delay = request.path_params["method"], {}, {}, 0.0
        try:
            params, files = await read_call(request)
            method = self._checked_method(request.path_params["token"], method)
            delay = self._planned_delay(method)
            result = (
                await self._long_poll(params)
                if method == "getUpdates"
                else self._methods.call(method, params, files)
            )
            response, status, error = ok_response(result), 200, None
        except ApiError as exc:
            response, status, error = error_response(exc), exc.status, exc.description
        except ClientDisconnect:  # the bot went away mid-request (killed, or stopping a long poll)
            return Response(status_code=499)
        except Exception as exc:  # a bug in the fake, not Telegram behaviour: keep it for the test to see
            _LOGGER.exception("the fake Bot API failed on %s", method)
            error = f"internal error in the fake Bot API: {exc!r}"
            self._state.internal_errors.append(f"{method}: {exc!r}")
            response, status = error_response(ApiError(500, error)), 500
        self._state.record_call(ApiCall(method, params, files, params.get("chat_id"), arrived, status, error))
        if delay:
            await asyncio.sleep(delay)
        return response

    def _checked_method(self, token: str, method: str) -> str:
        if token != self._state.token:
            raise ApiError(401, "Unauthorized")
        return self._methods.canonical_name(method)

    def _planned_delay(self, method: str) -> float:
        """Raise a planned error for this call, or return how long to hold its reply."""
        fault = self._limits.take_fault(method)
        if fault and fault.status:
            raise fault.error()
        return fault.delay if fault else 0.0

    async def _long_poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates: confirm by offset, answer at once if updates wait, else wait up to ``timeout``."""
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        generation = self._state.begin_poll(
            _optional_int(params.get("offset")), params.get("allowed_updates")
        )

        def answer_ready() -> bool:
            return bool(
                self._state.closing
                or self._state.poll_superseded(generation)
                or self._state.ready_updates(limit)
            )

        if timeout:
            await self._state.changed.wait_async(answer_ready, timeout)
        with self._state.lock:
            if self._state.poll_superseded(generation):
                raise ApiError(409, _CONFLICT)
            batch = self._state.ready_updates(limit)
            self._state.mark_served(batch)
            return batch

    async def download(self, request: Request) -> Response:
        """A file download, logged as the pseudo-method ``downloadFile``."""
        path = request.path_params["file_path"]
        stored = self._state.file_by_path(path)
        found = stored is not None and request.path_params["token"] == self._state.token
        self._state.record_call(
            ApiCall(
                "downloadFile",
                {"file_path": path},
                {},
                None,
                time.time(),
                200 if found else 404,
                None if found else "Not Found",
            )
        )
        if not found:
            return error_response(ApiError(404, "Not Found"))
        return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")


class ServerThread:
    """Runs an ASGI app with uvicorn on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"fake-bot-api:{self.port}",
            daemon=True,
        )

    def start(self, timeout: float = 10.0) -> None:
        """Start serving and return once uvicorn accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Bot API server did not start")
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)
