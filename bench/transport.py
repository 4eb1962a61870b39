"""A fast in-process Bot API transport: a PTB `BaseRequest` that answers without HTTP.

Measuring bot-side time through a real HTTP server would mostly measure the HTTP stack of both ends.
This transport answers `getUpdates` from an in-memory queue (long polling included), `sendMessage`,
`answerCallbackQuery`, `editMessageReplyMarkup` etc. with well-formed results, and records when each
reply reached it, so a benchmark can time "update handed to the bot → reply handed to Telegram".
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT = {"id": 999_000, "is_bot": True, "first_name": "Chỉ tiêu", "username": "chitieu_bench_bot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class Transport:
    """State shared by the request objects of one bot: the update queue and the replies seen."""

    def __init__(self) -> None:
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1)
        self.waiters: dict[int, list[tuple[int, asyncio.Future[float]]]] = defaultdict(list)
        self.sent: dict[int, int] = defaultdict(int)  # chat -> sendMessage count
        self.last_markup: dict[int, dict[str, Any] | None] = {}
        self.calls: dict[str, int] = defaultdict(int)

    def request(self) -> FastRequest:
        """A request object for PTB's builder (`.request(...)`, `.get_updates_request(...)`)."""
        return FastRequest(self)

    # users --------------------------------------------------------------------------------------------
    def _user(self, uid: int) -> dict[str, Any]:
        return {"id": uid, "is_bot": False, "first_name": f"Đầu mối {uid}", "language_code": "vi"}

    def text(self, uid: int, text: str) -> dict[str, Any]:
        """An update: the user typed `text` in the private chat (commands get their entity)."""
        message: dict[str, Any] = {"message_id": next(self.message_ids), "date": int(time.time()),
                                   "chat": {"id": uid, "type": "private", "first_name": f"Đầu mối {uid}"},
                                   "from": self._user(uid), "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self.update_ids), "message": message}

    def press(self, uid: int, data: str) -> dict[str, Any]:
        """An update: the user pressed the button carrying `data` on the bot's latest message."""
        message = {"message_id": next(self.message_ids), "date": int(time.time()), "from": BOT,
                   "chat": {"id": uid, "type": "private", "first_name": f"Đầu mối {uid}"}, "text": "…"}
        return {"update_id": next(self.update_ids), "callback_query": {
            "id": str(next(self.message_ids)), "from": self._user(uid), "chat_instance": str(uid),
            "message": message, "data": data}}

    def buttons(self, uid: int) -> dict[str, str]:
        """label → callback data of the latest keyboard the bot sent to `uid`."""
        markup = self.last_markup.get(uid) or {}
        return {b["text"]: b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row}

    def expect(self, uid: int, count: int = 1) -> asyncio.Future[float]:
        """A future set to the perf_counter time at which the chat has received `count` more messages."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[uid].append((self.sent[uid] + count, future))
        return future

    def push(self, *updates: dict[str, Any]) -> None:
        """Hand updates to the bot (they come back from its next getUpdates)."""
        for update in updates:
            self.updates.put_nowait(update)

    # the Bot API ---------------------------------------------------------------------------------------
    async def answer(self, method: str, params: dict[str, Any]) -> Any:
        self.calls[method] += 1
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "getMe":
            return BOT
        if method in ("sendMessage", "sendDocument", "sendPhoto", "editMessageReplyMarkup", "editMessageText"):
            chat = int(params.get("chat_id") or 0)
            markup = params.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            result = {"message_id": next(self.message_ids), "date": int(time.time()), "from": BOT,
                      "chat": {"id": chat, "type": "private"}, "text": params.get("text", "")}
            if method == "sendMessage":
                self.last_markup[chat] = markup
                self._sent(chat)
            return result if method != "editMessageReplyMarkup" else True
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook, …

    def _sent(self, chat: int) -> None:
        self.sent[chat] += 1
        now = time.perf_counter()
        waiting = self.waiters.get(chat)
        if waiting:
            keep = []
            for target, future in waiting:
                if self.sent[chat] >= target and not future.done():
                    future.set_result(now)
                elif not future.done():
                    keep.append((target, future))
            self.waiters[chat] = keep

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        timeout = float(params.get("timeout") or 0)
        batch: list[dict[str, Any]] = []
        if self.updates.empty() and timeout:
            try:
                batch.append(await asyncio.wait_for(self.updates.get(), timeout))
            except TimeoutError:
                return []
        while not self.updates.empty() and len(batch) < int(params.get("limit") or 100):
            batch.append(self.updates.get_nowait())
        return batch


class FastRequest(BaseRequest):
    """PTB request object answering from `Transport` without HTTP."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    async def initialize(self) -> None:  # noqa: D102
        pass

    async def shutdown(self) -> None:  # noqa: D102
        pass

    @property
    def read_timeout(self) -> float | None:  # noqa: D102
        return 30.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        result = await self.transport.answer(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()
