"""A client of the Zalo Bot Platform (bot.zaloplatforms.com): every method, typed errors, the poll loop.

A bot made in "Zalo Bot Manager" (no Official Account) is driven Telegram-style: `POST
<base>/bot<TOKEN>/<method>` with JSON, answered `{ok, result, error_code, description}`. Wire format only;
the channel decides what to send. Sources, and what is unverified: `bot/zalo/BOT_PLATFORM.md`. The token
is in every URL, so no URL is logged or put in an exception, and the log filter learns the token.

Settings the channel will need (drafted here, added to `bot/settings.py` with the channel)::

    zalo_bot_token: SecretStr | None = None           # ZALO_BOT_TOKEN, "<bot id>:<secret>"; enables the channel
    zalo_bot_api_base_url: str = DEFAULT_BASE_URL     # ZALO_BOT_API_BASE_URL; LEGACY_BASE_URL also answers
    zalo_bot_webhook_url: str | None = None           # ZALO_BOT_WEBHOOK_URL, public HTTPS; unset: long polling
    zalo_bot_webhook_secret: SecretStr | None = None  # ZALO_BOT_WEBHOOK_SECRET, 8-256 chars (`check_secret`)
    zalo_bot_poll_timeout: int = POLL_TIMEOUT         # ZALO_BOT_POLL_TIMEOUT, seconds per getUpdates

and `bot.app.secret_values` must list the token and the webhook secret.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from bot import logsafe
from bot.delivery import RetryLater, Undeliverable
from bot.zalo.limits import size, split_text
from bot.zalo_bot.updates import (
    ZaloBotUpdate,
    ZaloBotUpdateError,
    as_int,
    check_secret,
    mapping,
    parse_update,
)

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
LEGACY_BASE_URL = "https://bot-api.zapps.me"  # the older host, still used by the official Python SDK
TEXT_LIMIT = 2000  # sendMessage text and sendPhoto caption, 1-2000 characters
POLL_TIMEOUT = 30  # seconds getUpdates waits for a message (the platform's default)
POLL_MARGIN = 7.0  # the HTTP read timeout outlasts the long poll by this much
EMPTY_POLL = 408  # `error_code` of a long poll that ended with no message: normal, not a failure
TOKEN_PAUSE = 300.0  # seconds the outbox waits when the platform refuses the bot token


class ZaloBotError(Exception):
    """A call the platform refused or that could not be made; `code` is `error_code` (else HTTP status)."""

    retryable = False

    def __init__(self, method: str, description: str, code: int | None = None, retry_after: float | None = None):
        super().__init__(f"{method}: {description}" + (f" (error {code})" if code is not None else ""))
        self.method, self.description, self.code, self.retry_after = method, description, code, retry_after


class ZaloBotUnavailable(ZaloBotError):
    """No useful answer: timeout, connection failure, HTTP 5xx or a non-JSON page. Safe to retry."""

    retryable = True


class ZaloBotFlood(ZaloBotError):
    """Flood control (429); `retry_after` is the platform's hint in seconds when it gives one."""

    retryable = True


class ZaloBotUnauthorized(ZaloBotError):
    """The bot token was refused (401): wrong, or revoked in Zalo Bot Manager. A person must fix it."""


class ZaloBotForbidden(ZaloBotError):
    """The platform will not deliver to this chat (403; read as "blocked the bot", unverified)."""


def outbox_error(exc: ZaloBotError) -> RetryLater | Undeliverable:
    """What the outbox should do with a failed send: retry later (how soon), or give up."""
    if isinstance(exc, ZaloBotFlood):
        return RetryLater("zalo_bot: flood control", exc.retry_after or 1.0)  # the whole channel waits
    if isinstance(exc, ZaloBotUnavailable):
        return RetryLater(f"zalo_bot: {type(exc).__name__}")
    if isinstance(exc, ZaloBotUnauthorized):
        return RetryLater("zalo_bot: bot token refused; check ZALO_BOT_TOKEN", TOKEN_PAUSE)
    if isinstance(exc, ZaloBotForbidden):
        return Undeliverable(f"zalo_bot: {exc.description}")
    return Undeliverable(f"zalo_bot: {exc}", person_unreachable=False)


@dataclass(frozen=True)
class BotInfo:
    """getMe: the bot's id and account."""

    id: str
    account_name: str
    account_type: str
    can_join_groups: bool


@dataclass(frozen=True)
class WebhookInfo:
    """The webhook as the platform holds it (`url` empty after deleteWebhook)."""

    url: str
    updated_at: int


@dataclass(frozen=True)
class Sent:
    """A message the platform accepted."""

    message_id: str
    date: int


class ZaloBotClient:
    """Async client of one bot: `await client.send_text(chat_id, "...")`, `await client.get_update()`."""

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, *, timeout: float = 10.0,
                 http: httpx.AsyncClient | None = None) -> None:
        if not token:
            raise ValueError("the Zalo Bot token is empty")
        logsafe.remember(token, token.partition(":")[2])
        self._token, self.base_url, self.timeout = token, base_url.rstrip("/"), timeout
        self._owns_http = http is None
        self.http = http or httpx.AsyncClient(timeout=timeout)

    def __repr__(self) -> str:
        return f"ZaloBotClient(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        """Close the connection pool (unless the caller passed its own)."""
        if self._owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> ZaloBotClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def get_me(self) -> BotInfo:
        """The bot behind the token (also the way to check the token)."""
        r = mapping(await self.call("getMe"))
        return BotInfo(str(r.get("id", "")), str(r.get("account_name", "")), str(r.get("account_type", "")),
                       r.get("can_join_groups") is True)

    async def get_update(self, timeout: float = POLL_TIMEOUT) -> ZaloBotUpdate | None:
        """Long-poll one update (the platform hands out one per call); None when `timeout` s pass empty."""
        seconds = int(timeout) if float(timeout).is_integer() else timeout
        try:
            result = await self.call("getUpdates", {"timeout": seconds}, timeout=timeout + POLL_MARGIN)
        except ZaloBotError as exc:
            if exc.code == EMPTY_POLL:
                return None
            raise
        return parse_update(result) if isinstance(result, Mapping) and result.get("event_name") else None

    async def set_webhook(self, url: str, secret_token: str) -> WebhookInfo:
        """Have updates POSTed to `url` (public HTTPS) with `secret_token` in the secret header."""
        return _webhook(await self.call("setWebhook", {"url": url, "secret_token": check_secret(secret_token)}))

    async def delete_webhook(self) -> WebhookInfo:
        """Back to long polling (getUpdates does not work while a webhook is set)."""
        return _webhook(await self.call("deleteWebhook"))

    async def get_webhook_info(self) -> WebhookInfo | None:
        """The webhook, or None when none is set (the platform answers 404 then)."""
        try:
            return _webhook(await self.call("getWebhookInfo"))
        except ZaloBotError as exc:
            if exc.code == 404 and not exc.retryable:  # not a proxy's 404 page for a wrong base URL
                return None
            raise

    async def send_message(self, chat_id: str, text: str) -> Sent:
        """Send one text of 1-2000 characters (longer: `send_text`)."""
        if not 1 <= size(text) <= TEXT_LIMIT:
            raise ValueError(f"a Zalo Bot message is 1-{TEXT_LIMIT} characters, not {size(text)}")
        return _sent(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_text(self, chat_id: str, text: str) -> list[Sent]:
        """Send `text` in as many messages as the length limit needs, cut at paragraphs, lines or words."""
        return [await self.send_message(chat_id, chunk) for chunk in split_text(text, TEXT_LIMIT)]

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> list[Sent]:
        """Send the picture at `photo_url` (the platform fetches it: it must be public); a caption over the
        limit goes on in text messages."""
        if not photo_url.startswith(("https://", "http://")):
            raise ValueError("a Zalo Bot photo is sent by its http(s) URL")
        first, *rest = split_text(caption, TEXT_LIMIT) or [""]
        params = {"chat_id": chat_id, "photo": photo_url} | ({"caption": first} if first else {})
        return [_sent(await self.call("sendPhoto", params))] + [await self.send_message(chat_id, c) for c in rest]

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show "typing..." for a while (the only action the platform marks stable)."""
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def call(self, method: str, params: Mapping[str, Any] | None = None, *,
                   timeout: float | None = None) -> Any:
        """POST `params` as JSON to `method`; the `result`, or a typed `ZaloBotError`."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            response = await self.http.post(url, json=dict(params or {}), timeout=timeout or self.timeout)
        except httpx.TimeoutException:
            raise ZaloBotUnavailable(method, "timed out") from None
        except httpx.HTTPError as exc:  # the message of an httpx error may quote the URL: not kept
            raise ZaloBotUnavailable(method, f"unreachable ({type(exc).__name__})") from None
        body = _envelope(response)
        if body is not None and body.get("ok") is True and response.is_success:
            return body.get("result")
        raise self._error(method, response, body)

    def _error(self, method: str, response: httpx.Response, body: Mapping[str, Any] | None) -> ZaloBotError:
        status = response.status_code
        code = (as_int(body.get("error_code")) if body else None) or status
        said = str(body.get("description") or "") if body else ""
        description = self._redact(said)[:200] or f"HTTP {status}"
        if 429 in (code, status):
            return ZaloBotFlood(method, description, code, _retry_after(response, body))
        if 401 in (code, status):
            return ZaloBotUnauthorized(method, description, code)
        if 403 in (code, status):
            return ZaloBotForbidden(method, description, code)
        if body is None or status >= 500 or code >= 500:
            return ZaloBotUnavailable(method, description, code)
        return ZaloBotError(method, description, code)

    def _redact(self, text: str) -> str:
        for secret in (self._token, self._token.partition(":")[2]):
            text = text.replace(secret, logsafe.REDACTED) if secret else text
        return text


Take = Callable[[ZaloBotUpdate], Awaitable[None]]


async def poll_forever(client: ZaloBotClient, take: Take, *, timeout: float = POLL_TIMEOUT,
                       sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Long-poll until cancelled, handing each update to `take` (which should store it durably).

    There is no offset: an update the platform handed out is gone from it, so one `take` refuses is
    offered again (with a pause) until it is taken. Empty polls (408) loop at once; outages back off
    1, 2, 4 ... 30 s; a refused token or a webhook in the way waits a minute between tries.
    """
    pause = 1.0
    while True:
        try:
            update = await client.get_update(timeout)
        except ZaloBotError as exc:
            if not exc.retryable:
                log.error("Zalo Bot getUpdates refused (%s); trying again in 60 s", exc.description)
                await sleep(60.0)
                continue
            log.warning("Zalo Bot getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, pause)
            await sleep(pause)
            pause = min(pause * 2, 30.0)
            continue
        except ZaloBotUpdateError as exc:
            log.warning("skipped an unreadable Zalo Bot update: %s", exc)
            continue
        pause = 1.0
        if update is not None:
            await _hand_over(update, take, sleep)


async def _hand_over(update: ZaloBotUpdate, take: Take, sleep: Callable[[float], Awaitable[None]]) -> None:
    wait = 1.0
    while True:
        try:
            await take(update)
            return
        except Exception:  # noqa: BLE001 - the update exists nowhere else: keep it and try again
            log.exception("could not take a Zalo Bot update; trying again in %.0f s", wait)
            await sleep(wait)
            wait = min(wait * 2, 30.0)


def _envelope(response: httpx.Response) -> Mapping[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, Mapping) else None


def _retry_after(response: httpx.Response, body: Mapping[str, Any] | None) -> float | None:
    hint = mapping(body.get("parameters")).get("retry_after") if body else None
    for value in (hint, response.headers.get("retry-after")):
        try:
            if value is not None and float(value) > 0:
                return float(value)
        except (TypeError, ValueError):
            continue
    return None


def _webhook(result: Any) -> WebhookInfo:
    r = mapping(result)
    return WebhookInfo(str(r.get("url") or ""), as_int(r.get("updated_at")) or 0)


def _sent(result: Any) -> Sent:
    r = mapping(result)
    return Sent(str(r.get("message_id") or ""), as_int(r.get("date")) or 0)
