"""A fake Zalo Bot Platform (bot.zaloplatforms.com) for tests over real HTTP.

    with FakeZaloBotApi() as fake:                    # or the ``fake_zalo_bot`` fixture
        client = ZaloBotClient(fake.token, fake.base_url)
        fake.user_sends_text("6ede9afa66b88fe6d6a9", "/start ABC123")
        update = await client.get_update(timeout=1)    # or, after setWebhook, POSTed to the webhook
        [reply] = await fake.wait_for_messages_async(update.chat_id, 1)

Per-token bots, users who type (queued for getUpdates, or POSTed to the webhook with the
`X-Bot-Api-Secret-Token` header from a background thread), a log of every call, the 2000-character
limit, and planned faults: 5xx outages, 429 flood control, the 408 long-poll timeout, slow and dropped
replies. What is measured and what is assumed is in ``bot/zalo/BOT_PLATFORM.md``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Self

import httpx
import pytest

from tests.fakes.telegram_server import ServerThread
from tests.fakes.zalo_bot_faults import Fault, Faults, Flood
from tests.fakes.zalo_bot_server import BotPlatformApp, QuietDrops
from tests.fakes.zalo_bot_state import ApiCall, BotPlatformState, Chat, Delivery, SentMessage

DEFAULT_TOKEN = "1459232241454765289:FAKE-zalo-bot-token-for-tests-0123456789abcdef"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
Methods = str | Iterable[str] | None


class FakeZaloBotApi:
    """A local Zalo Bot Platform with simulated users, a call log and planned faults (thread-safe)."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, require_https: bool = False, fetch_photos: bool = True,
                 wrap_webhook: bool = True, webhook_retry_delays: tuple[float, ...] = ()) -> None:
        self._state = BotPlatformState()
        self._faults = Faults()
        # The real platform: HTTPS webhooks only, and it fetches photos itself; the fake allows plain HTTP
        # on loopback. `wrap_webhook`: the documented body is {ok, result: update}; False sends it bare.
        self._options: dict[str, Any] = {"require_https": require_https, "fetch_photos": fetch_photos,
                                         "poll_timeout_status": 200}
        self.wrap_webhook, self.webhook_retry_delays = wrap_webhook, webhook_retry_delays
        self._app = BotPlatformApp(self._state, self._faults, self._options)
        self._server: ServerThread | None = None
        self._outbox: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        self._poster: threading.Thread | None = None
        self._quiet = QuietDrops()
        self.token = token
        self._state.add_bot(token, "bot.FakeChiTieu")

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> Self:
        """Serve on a free port of 127.0.0.1 and start the webhook poster."""
        logging.getLogger("uvicorn.error").addFilter(self._quiet)
        self._server = ServerThread(self._app.app)
        self._server.start()
        self._poster = threading.Thread(target=self._post_forever, name="fake-zalo-webhook", daemon=True)
        self._poster.start()
        return self

    def stop(self) -> None:
        """End long polls, stop the poster and the server."""
        self._state.close()
        if self._poster is not None:
            self._outbox.put(None)
            self._poster.join(10)
        if self._server is not None:
            self._server.stop()
            self._server = None
        logging.getLogger("uvicorn.error").removeFilter(self._quiet)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        if exc_type is None and self.internal_errors:
            raise AssertionError(f"the fake Zalo Bot Platform itself failed: {self.internal_errors}")

    @property
    def base_url(self) -> str:
        """What `ZALO_BOT_API_BASE_URL` should be: ``http://127.0.0.1:PORT`` (the client adds /bot<TOKEN>)."""
        if self._server is None:
            raise RuntimeError("start the fake Zalo Bot Platform first")
        return f"http://127.0.0.1:{self._server.port}"

    def add_bot(self, token: str, account_name: str = "bot.Other") -> str:
        """Host another bot (each token has its own chats, queue, webhook and messages)."""
        self._state.add_bot(token, account_name)
        return token

    @property
    def internal_errors(self) -> list[str]:
        """Exceptions inside the fake (answered 500): bugs of the fake, not of the bot."""
        with self._state.lock:
            return list(self._state.internal_errors)

    # -- users -----------------------------------------------------------------------------------
    def user_sends_text(self, user_id: str, text: str, **where: Any) -> dict[str, Any]:
        """The user types `text`; returns the update (queued, or POSTed if a webhook is set)."""
        return self._user_sends("text", user_id, {"text": text}, **where)

    def user_sends_photo(self, user_id: str, photo_url: str, caption: str | None = None,
                         **where: Any) -> dict[str, Any]:
        """The user sends a picture (Zalo gives its URL)."""
        content = {"photo": photo_url} | ({"caption": caption} if caption else {})
        return self._user_sends("image", user_id, content, **where)

    def user_sends_sticker(self, user_id: str, sticker: str = "d063f44dc80821567819", **where: Any) -> dict[str, Any]:
        """The user sends a sticker."""
        return self._user_sends("sticker", user_id, {"sticker": sticker}, **where)

    def user_sends_voice(self, user_id: str, voice_url: str, **where: Any) -> dict[str, Any]:
        """The user sends a voice message (an .aac URL)."""
        return self._user_sends("voice", user_id, {"voice_url": voice_url}, **where)

    def user_sends_unsupported(self, user_id: str, **where: Any) -> dict[str, Any]:
        """What Zalo sends instead of the content for protected users, and for files, videos, links..."""
        return self._user_sends("unsupported", user_id, {}, **where)

    def block(self, chat_id: str, token: str | None = None) -> None:
        """The person blocks the bot: sends to the chat get 403 (the fake's assumption)."""
        with self._state.lock:
            self._bot(token).chats[chat_id].blocked = True

    def _user_sends(self, kind: str, user_id: str, content: dict[str, Any], *, display_name: str = "Nguyễn Văn A",
                    group_id: str | None = None, token: str | None = None) -> dict[str, Any]:
        bot = self._bot(token)
        chat = Chat(group_id, "GROUP") if group_id else Chat(user_id, "PRIVATE")
        sender = {"id": user_id, "display_name": display_name, "is_bot": False}
        update = self._state.new_update(bot, kind, sender, chat, content)
        if bot.webhook_url:
            self._outbox.put((bot.token, update))
        else:
            self._state.enqueue(bot, update)
        return copy.deepcopy(update)

    def _bot(self, token: str | None) -> Any:
        bot = self._state.bot(token or self.token)
        if bot is None:
            raise LookupError(f"no bot with token {token!r}")
        return bot

    # -- webhook ---------------------------------------------------------------------------------
    @property
    def webhook(self) -> tuple[str, str]:
        """(url, secret_token) the default bot registered with setWebhook; ("", "") when none."""
        bot = self._bot(None)
        return bot.webhook_url, bot.webhook_secret

    def deliver_raw(self, body: bytes, *, secret: str | None, url: str | None = None) -> int:
        """POST any bytes to the webhook with `secret` as header (None: no header); returns the status."""
        headers = {"Content-Type": "application/json"} | ({SECRET_HEADER: secret} if secret is not None else {})
        return httpx.post(url or self.webhook[0], content=body, headers=headers, timeout=10).status_code

    def redeliver(self, delivery: Delivery) -> None:
        """Send a delivered update again (as a platform retrying would)."""
        self._outbox.put((self._token_for(delivery.url), delivery.update))

    def _token_for(self, url: str) -> str:
        with self._state.lock:
            return next((t for t, b in self._state.bots.items() if b.webhook_url == url), self.token)

    def _post_forever(self) -> None:
        with httpx.Client(timeout=10) as http:
            while (job := self._outbox.get()) is not None:
                self._deliver(http, *job)

    def _deliver(self, http: httpx.Client, token: str, update: dict[str, Any]) -> None:
        bot = self._bot(token)
        delivery = Delivery(copy.deepcopy(update), bot.webhook_url)
        with self._state.lock:
            self._state.deliveries.append(delivery)
        body = json.dumps({"ok": True, "result": update} if self.wrap_webhook else update, ensure_ascii=False)
        headers = {"Content-Type": "application/json", SECRET_HEADER: bot.webhook_secret}
        for delay in (0.0, *self.webhook_retry_delays):
            time.sleep(delay)
            try:
                status = http.post(delivery.url, content=body.encode(), headers=headers).status_code
            except (httpx.HTTPError, UnicodeError):  # no answer (0), as when the bot's server is down
                status = 0
            with self._state.lock:
                delivery.statuses.append(status)
                self._state.changed.notify()
            if 200 <= status < 300:
                break

    # -- what the bot did ------------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every call answered (of `method`), oldest first."""
        with self._state.lock:
            return [c for c in self._state.calls if method is None or c.method == method]

    def sent_to(self, chat_id: str, token: str | None = None) -> list[SentMessage]:
        """Messages the bot sent to `chat_id`, oldest first."""
        with self._state.lock:
            return [m for m in self._bot(token).sent if m.chat_id == chat_id]

    def chat_actions(self, token: str | None = None) -> list[tuple[str, str]]:
        """(chat_id, action) of every sendChatAction."""
        with self._state.lock:
            return list(self._bot(token).actions)

    def pending_updates(self, token: str | None = None) -> int:
        """Updates waiting for getUpdates."""
        with self._state.lock:
            return len(self._bot(token).pending)

    @property
    def deliveries(self) -> list[Delivery]:
        """Webhook deliveries, oldest first."""
        with self._state.lock:
            return list(self._state.deliveries)

    def wait_for_messages(self, chat_id: str, n: int, timeout: float = 5.0) -> list[SentMessage]:
        """Block until `chat_id` got at least `n` messages; return them (AssertionError on timeout)."""
        found = self._state.changed.wait(lambda: len(self.sent_to(chat_id)) >= n, timeout)
        return self._enough(found, self.sent_to(chat_id), n, f"messages to {chat_id}")

    async def wait_for_messages_async(self, chat_id: str, n: int, timeout: float = 5.0) -> list[SentMessage]:
        """`wait_for_messages` without blocking the event loop."""
        found = await self._state.changed.wait_async(lambda: len(self.sent_to(chat_id)) >= n, timeout)
        return self._enough(found, self.sent_to(chat_id), n, f"messages to {chat_id}")

    def wait_for_deliveries(self, n: int, timeout: float = 5.0) -> list[Delivery]:
        """Block until `n` webhook deliveries have had an answer (or given up)."""
        def done() -> bool:
            return sum(1 for d in self.deliveries if d.accepted or
                       len(d.statuses) > len(self.webhook_retry_delays)) >= n
        return self._enough(self._state.changed.wait(done, timeout), self.deliveries, n, "webhook deliveries")

    async def wait_for_deliveries_async(self, n: int, timeout: float = 5.0) -> list[Delivery]:
        """`wait_for_deliveries` without blocking the event loop."""
        return await asyncio.to_thread(self.wait_for_deliveries, n, timeout)

    @staticmethod
    def _enough(found: bool, items: list[Any], n: int, what: str) -> list[Any]:
        if not found:
            raise AssertionError(f"expected {n} {what}, got {len(items)}: {items}")
        return items

    # -- faults ----------------------------------------------------------------------------------
    def fail_with(self, status: int = 503, *, page: bool = False, for_seconds: float | None = None,
                  times: int | None = None, methods: Methods = None) -> Fault:
        """An outage: answer `status` (a gateway's HTML page when `page`) instead of doing the work."""
        return self._faults.plan(Fault(status=status, page=page), methods, for_seconds, times)

    def slow_down(self, seconds: float, *, for_seconds: float | None = None, times: int | None = None,
                  methods: Methods = None) -> Fault:
        """Do the work, then hold the reply `seconds` (a client may time out after the send happened)."""
        return self._faults.plan(Fault(delay=seconds), methods, for_seconds, times)

    def drop_connections(self, *, after_work: bool = True, times: int | None = 1,
                         methods: Methods = None) -> Fault:
        """Break the connection mid-reply, after doing the work (a send happened) or before it."""
        return self._faults.plan(Fault(drop="after" if after_work else "before"), methods, None, times)

    def flood(self, per_second: int = 1, retry_after: float | None = None) -> None:
        """Flood control on sends: 429 past `per_second` per bot; `retry_after` adds the hint (header and
        `parameters.retry_after`); the real platform's limits and hint are undocumented."""
        self._faults.set_flood(Flood(per_second, retry_after))

    def clear_faults(self) -> None:
        """Cancel every planned fault and flood control."""
        self._faults.clear()

    def poll_timeouts_as_http_408(self, enabled: bool = True) -> None:
        """Answer an empty long poll with HTTP 408 (one community report) instead of HTTP 200 (measured)."""
        self._options["poll_timeout_status"] = 408 if enabled else 200


@pytest.fixture
def fake_zalo_bot() -> Iterator[FakeZaloBotApi]:
    """A running :class:`FakeZaloBotApi`, stopped after the test."""
    with FakeZaloBotApi() as fake:
        yield fake
