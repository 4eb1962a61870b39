"""A fake Telegram Bot API server for end-to-end tests of the real PTB stack over real HTTP.

    with FakeBotApi() as fake:                      # or the ``fake_telegram`` fixture
        app = fake.application_builder().build()     # token, base_url, base_file_url set
        ...                                          # or pass fake.env() to a bot subprocess
        fake.user_sends_command(1001, "start", "unit-42")
        [reply] = await fake.wait_for_messages_async(1001, 1)

The server runs uvicorn in a background thread on 127.0.0.1 (a free port); all helpers are thread-safe.
Users, updates and observations live in ``telegram_users`` and ``telegram_observe``; the HTTP side in
``telegram_server``, ``telegram_methods`` and ``telegram_checks``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from types import EllipsisType, TracebackType
from typing import Any, Self

import httpx
import pytest
import telegram
from telegram.ext import ApplicationBuilder

from tests.fakes.telegram_limits import Fault, Limits, RateLimit
from tests.fakes.telegram_methods import BotApiMethods
from tests.fakes.telegram_observe import Observations, refuse_inside_event_loop
from tests.fakes.telegram_server import BotApiApp, ServerThread
from tests.fakes.telegram_state import TelegramState
from tests.fakes.telegram_users import SimulatedUsers

DEFAULT_TOKEN = "123456789:FAKE-token-for-tests"


class FakeBotApi(SimulatedUsers, Observations):
    """A local Bot API server with simulated users, a call log, fault injection and flood control."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "chitieu_test_bot",
        bot_name: str = "Chỉ tiêu (test)",
    ) -> None:
        self._state = TelegramState(token, bot_username, bot_name)
        self._limits = Limits()
        self._app = BotApiApp(self._state, BotApiMethods(self._state, self._limits), self._limits)
        self._server: ServerThread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> Self:
        """Start serving on a free port of 127.0.0.1."""
        if self._server is not None:
            raise RuntimeError("the fake Bot API is already running")
        self._server = ServerThread(self._app.app)
        self._server.start()
        return self

    def stop(self) -> None:
        """End pending long polls and stop the server."""
        if self._server is not None:
            self._state.close()
            self._server.stop()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if exc_type is None and self.internal_errors:
            raise AssertionError(f"the fake Bot API itself failed: {self.internal_errors}")

    @property
    def internal_errors(self) -> list[str]:
        """Exceptions raised inside the fake (answered as 500): bugs of the fake, not of the bot."""
        with self._state.lock:
            return list(self._state.internal_errors)

    # -- where the bot connects ------------------------------------------------------------------
    @property
    def token(self) -> str:
        """The bot token the fake accepts (other tokens get 401 Unauthorized)."""
        return self._state.token

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._server is None:
            raise RuntimeError("start the fake Bot API first")
        return self._server.port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: ``http://127.0.0.1:PORT/bot``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``: ``http://127.0.0.1:PORT/file/bot``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def application_builder(self) -> ApplicationBuilder:
        """A PTB ApplicationBuilder with token, base_url and base_file_url pointing here."""
        return (
            ApplicationBuilder().token(self.token).base_url(self.base_url).base_file_url(self.base_file_url)
        )

    def make_bot(self, **kwargs: Any) -> telegram.Bot:
        """A plain ``telegram.Bot`` pointing here (use ``async with``)."""
        return telegram.Bot(self.token, base_url=self.base_url, base_file_url=self.base_file_url, **kwargs)

    def env(
        self,
        token_var: str = "TELEGRAM_BOT_TOKEN",
        base_url_var: str = "TELEGRAM_BASE_URL",
        base_file_url_var: str = "TELEGRAM_BASE_FILE_URL",
    ) -> dict[str, str]:
        """Environment variables for a bot subprocess (names adjustable to the bot's settings)."""
        return {token_var: self.token, base_url_var: self.base_url, base_file_url_var: self.base_file_url}

    # -- faults and limits -----------------------------------------------------------------------
    def fail_with(
        self,
        status: int = 500,
        *,
        for_seconds: float | None = None,
        methods: str | Iterable[str] | None = None,
        times: int | None = None,
    ) -> Fault:
        """Answer calls with ``status`` (e.g. 500, 502) for a while, a number of times, or until cancelled."""
        return self._limits.add_fault(status, 0.0, _method_set(methods), for_seconds, times)

    def slow_down(
        self,
        seconds: float,
        *,
        for_seconds: float | None = None,
        methods: str | Iterable[str] | None = None,
        times: int | None = None,
    ) -> Fault:
        """Do the work, then hold the reply ``seconds`` (a client may time out after the send happened)."""
        return self._limits.add_fault(None, seconds, _method_set(methods), for_seconds, times)

    def clear_faults(self) -> None:
        """Cancel everything planned with fail_with and slow_down."""
        self._limits.clear_faults()

    def rate_limit(
        self,
        per_second: int | None = 30,
        per_chat_per_second: int | None = 1,
        per_group_per_minute: int | None = 20,
        retry_after: float | None = None,
    ) -> None:
        """Enforce Telegram's flood limits on sends: 429 with ``retry_after`` (default: whole seconds to wait)."""
        self._limits.set_rate_limit(
            RateLimit(per_second, per_chat_per_second, per_group_per_minute, retry_after)
        )

    def no_rate_limit(self) -> None:
        """Turn flood control off again (the initial state)."""
        self._limits.set_rate_limit(None)

    # -- webhook ---------------------------------------------------------------------------------
    def deliver_via_webhook(
        self,
        update: int | dict[str, Any],
        *,
        secret_token: str | None | EllipsisType = ...,
        timeout: float = 10.0,
    ) -> int:
        """POST an update (a pushed update's id, or a dict) to the webhook; return the HTTP status.

        ``secret_token``: ``...`` sends the one given to setWebhook, None sends no header.
        A 2xx answer confirms the update, as with Telegram. Blocks: in async tests use the ``_async`` variant.
        """
        refuse_inside_event_loop("deliver_via_webhook")
        request = self._webhook_request(update, secret_token)
        status = httpx.post(
            request["url"], content=request["body"], headers=request["headers"], timeout=timeout
        ).status_code
        return self._after_webhook(request["update_id"], status)

    async def deliver_via_webhook_async(
        self,
        update: int | dict[str, Any],
        *,
        secret_token: str | None | EllipsisType = ...,
        timeout: float = 10.0,
    ) -> int:
        """Like :meth:`deliver_via_webhook`, awaitable (the bot's webhook server may share the loop)."""
        request = self._webhook_request(update, secret_token)
        async with httpx.AsyncClient() as client:
            response = await client.post(
                request["url"], content=request["body"], headers=request["headers"], timeout=timeout
            )
        return self._after_webhook(request["update_id"], response.status_code)

    def _webhook_request(
        self, update: int | dict[str, Any], secret: str | None | EllipsisType
    ) -> dict[str, Any]:
        hook = self.webhook
        if hook is None:
            raise RuntimeError("no webhook is set: the bot has not called setWebhook")
        if isinstance(update, int):
            update = self._state.pending_update(update)
        secret = hook["secret_token"] if secret is ... else secret
        headers = {"Content-Type": "application/json"}
        headers |= {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return {
            "url": hook["url"],
            "body": json.dumps(update).encode(),
            "headers": headers,
            "update_id": update.get("update_id"),
        }

    def _after_webhook(self, update_id: int | None, status: int) -> int:
        if update_id is not None and 200 <= status < 300:
            self._state.confirm_delivered(update_id)
        return status


def _method_set(methods: str | Iterable[str] | None) -> list[str] | None:
    if methods is None:
        return None
    return [methods] if isinstance(methods, str) else list(methods)


@pytest.fixture
def fake_telegram() -> Iterator[FakeBotApi]:
    """A running :class:`FakeBotApi`, stopped after the test (import it into a conftest or test module)."""
    with FakeBotApi() as fake:
        yield fake
