"""The fake Zalo Bot Platform over real HTTP: `/bot<TOKEN>/<method>` as a Starlette app.

Parameters come as JSON, a form or the query string (GET or POST), as the platform's docs allow. Every
call is logged with the HTTP status and `error_code` the fake answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tests.fakes.zalo_bot_faults import Fault, Faults, PlatformError, bad_request
from tests.fakes.zalo_bot_state import ApiCall, BotAccount, BotPlatformState, SentMessage, now_ms, zalo_id

_LOGGER = logging.getLogger(__name__)
TEXT_LIMIT = 2000  # characters, counted here in UTF-16 units (the stricter reading)
POLL_RECHECK = 0.05


class DroppedConnection(Exception):
    """Raised after the response has started, so the server breaks the connection mid-reply."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class BotPlatformApp:
    """Answers `/bot<TOKEN>/<method>` from the shared state and the planned faults."""

    def __init__(self, state: BotPlatformState, faults: Faults, options: dict[str, Any]) -> None:
        self.state, self.faults, self.options = state, faults, options
        self.methods = {"getMe": self._get_me, "getUpdates": self._get_updates, "setWebhook": self._set_webhook,
                        "deleteWebhook": self._delete_webhook, "getWebhookInfo": self._get_webhook_info,
                        "sendMessage": self._send_message, "sendPhoto": self._send_photo,
                        "sendSticker": self._send_sticker, "sendChatAction": self._send_chat_action}
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self.call, methods=["GET", "POST"])])

    async def call(self, request: Request) -> Response:
        """One API call, logged; planned faults apply before (status, drop) or after (delay, drop) the work."""
        arrived, token, method = time.time(), request.path_params["token"], request.path_params["method"]
        params: dict[str, Any] = {}
        fault: Fault | None = None
        try:
            params = await _read_params(request)
            bot = self._bot(token, method)
            fault = self.faults.take(method)
            if fault and fault.status:
                raise fault.error()
            if fault and fault.drop == "before":
                return _broken(self, ApiCall(token, method, params, arrived, 0, 0, "dropped before the work"))
            self.faults.admit(token, method)
            result = await self.methods[method](bot, params, request)
            response, status, code, text = _ok(result), 200, 0, None
        except PlatformError as exc:
            response, status, code, text = _error(exc), exc.status, exc.error_code, exc.description
        except ClientDisconnect:  # logged as 499, as nginx does: the bot hung up before the answer
            self.state.record(ApiCall(token, method, params, arrived, 499, 0, "client went away"))
            return Response(status_code=499)
        except Exception as exc:  # a bug in the fake, not platform behaviour: kept for the test to see
            _LOGGER.exception("the fake Zalo Bot Platform failed on %s", method)
            self.state.internal_errors.append(f"{method}: {exc!r}")
            response, status, code, text = _error(PlatformError(500, f"fake failed: {exc!r}")), 500, 500, str(exc)
        if fault and fault.drop == "after":
            return _broken(self, ApiCall(token, method, params, arrived, 0, code, "dropped after the work"))
        self.state.record(ApiCall(token, method, params, arrived, status, code, text))
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        return response

    def _bot(self, token: str, method: str) -> BotAccount:
        bot = self.state.bot(token)
        if bot is None:
            raise PlatformError(401, "Unauthorized")
        if method not in self.methods:
            raise PlatformError(404, "Not Found")
        return bot

    async def _get_me(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        return bot.me()

    async def _get_updates(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        """Long poll: one update, or `error_code` 408 once `timeout` seconds (default 30) pass empty."""
        if bot.webhook_url:
            raise PlatformError(409, "Conflict: getUpdates does not work while a webhook is set")
        deadline = time.monotonic() + _seconds(params.get("timeout"), 30.0)
        while True:
            if await request.is_disconnected():  # the bot went away: keep its update for the next poll
                raise ClientDisconnect()
            update = self.state.take_update(bot)
            if update is not None:
                return update
            left = deadline - time.monotonic()
            if left <= 0 or self.state.closing:
                raise PlatformError(self.options["poll_timeout_status"], "Request timeout", 408)
            await self.state.changed.wait_async(lambda: bool(bot.pending) or self.state.closing,
                                                min(left, POLL_RECHECK))

    async def _set_webhook(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        schemes = ("https://",) if self.options["require_https"] else ("https://", "http://")
        if not url.startswith(schemes):
            raise bad_request("url must be an HTTPS URL")
        if not 8 <= len(secret) <= 256:
            raise bad_request("secret_token must be 8-256 characters")
        with self.state.lock:
            bot.webhook_url, bot.webhook_secret, bot.webhook_updated_at = url, secret, now_ms()
        return bot.webhook()

    async def _delete_webhook(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        with self.state.lock:
            bot.webhook_url, bot.webhook_secret, bot.webhook_updated_at = "", "", now_ms()
        return bot.webhook()

    async def _get_webhook_info(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        if not bot.webhook_url:  # measured by two community clients: HTTP 404 when no webhook is set
            raise PlatformError(404, "Not Found")
        return bot.webhook()

    async def _send_message(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        chat_id = self._writable_chat(bot, params)
        text = _text(params, "text", required=True)
        return self._sent(bot, SentMessage(chat_id, "text", text, zalo_id(), now_ms(),
                                           parse_mode=params.get("parse_mode")))

    async def _send_photo(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        chat_id = self._writable_chat(bot, params)
        photo, caption = str(params.get("photo") or ""), _text(params, "caption", required=False)
        if not photo:
            raise bad_request("The photo must not be empty")
        if not photo.startswith(("http://", "https://")):
            raise bad_request("The photo must start with http:// or https://")
        content = await _fetch(photo) if self.options["fetch_photos"] else None
        return self._sent(bot, SentMessage(chat_id, "photo", caption, zalo_id(), now_ms(), photo, content))

    async def _send_sticker(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        chat_id = self._writable_chat(bot, params)
        sticker = str(params.get("sticker") or "")
        if not sticker:
            raise bad_request("sticker is required")
        return self._sent(bot, SentMessage(chat_id, "sticker", None, zalo_id(), now_ms(), sticker=sticker))

    async def _send_chat_action(self, bot: BotAccount, params: dict[str, Any], request: Request) -> Any:
        chat_id = self._writable_chat(bot, params)
        action = str(params.get("action") or "")
        if action not in ("typing", "upload_photo"):
            raise bad_request("action must be typing or upload_photo")
        with self.state.lock:
            bot.actions.append((chat_id, action))
        return None  # the documented answer is a bare {"ok": true}

    def _writable_chat(self, bot: BotAccount, params: dict[str, Any]) -> str:
        """The `chat_id` of a chat that wrote to the bot (the fake's assumption: others are refused)."""
        chat_id = str(params.get("chat_id") or "")
        if not chat_id:
            raise bad_request("chat_id is required")
        with self.state.lock:
            chat = bot.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked:
            raise PlatformError(403, "Forbidden: the user has blocked the bot")
        return chat_id

    def _sent(self, bot: BotAccount, message: SentMessage) -> dict[str, Any]:
        self.state.record_sent(bot, message)
        return {"message_id": message.message_id, "date": message.date}


def _text(params: dict[str, Any], name: str, *, required: bool) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} must be 1-{TEXT_LIMIT} characters")
        return None
    text = str(value)
    if utf16_len(text) > TEXT_LIMIT:
        raise bad_request(f"{name} must be 1-{TEXT_LIMIT} characters")
    return text


async def _fetch(url: str) -> bytes:
    """Zalo fetches a photo from its URL itself; an unreachable or failing URL is refused."""
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            answer = await client.get(url)
    except httpx.HTTPError:
        raise bad_request("The photo URL is invalid") from None
    if answer.status_code != 200:
        raise bad_request("The photo URL is invalid")
    return answer.content


async def _read_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    kind = request.headers.get("content-type", "")
    if body and kind.startswith("application/json"):
        try:
            decoded = json.loads(body)
        except ValueError:
            raise bad_request("invalid JSON") from None
        if isinstance(decoded, dict):
            params.update(decoded)
    elif body and kind.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _seconds(value: Any, default: float) -> float:
    try:
        return max(float(value), 0.0) if value not in (None, "") else default
    except (TypeError, ValueError):
        raise bad_request("timeout must be a number of seconds") from None


def _ok(result: Any) -> JSONResponse:
    body: dict[str, Any] = {"ok": True} if result is None else {"ok": True, "result": result, "error_code": 0}
    return JSONResponse(body)


def _error(exc: PlatformError) -> Response:
    if exc.page:  # an outage answered by a gateway in front of the API, not by the API itself
        return HTMLResponse(f"<html><body><h1>{exc.status} {exc.description}</h1></body></html>", exc.status)
    headers = {"Retry-After": f"{exc.retry_after:g}"} if exc.retry_after is not None else None
    return JSONResponse(exc.body(), exc.status, headers=headers)


def _broken(app: BotPlatformApp, call: ApiCall) -> Response:
    """Log the call, then answer with headers and a body cut short: the client sees the connection drop."""
    app.state.record(call)
    return _BrokenResponse()


class _BrokenResponse(Response):
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")]})
        await send({"type": "http.response.body", "body": b'{"ok": tr', "more_body": True})
        raise DroppedConnection("the fake drops this connection on purpose")


class QuietDrops(logging.Filter):
    """Keeps uvicorn from logging the planned `DroppedConnection` as an application error."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))
