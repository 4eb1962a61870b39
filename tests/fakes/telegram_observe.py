"""Observing what the bot did: sent messages decoded for assertions, the call log, counters, waiting."""

from __future__ import annotations

import asyncio
import copy
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tests.fakes.telegram_state import ApiCall, MessageRecord, StoredFile, TelegramState

T = TypeVar("T")
_KINDS = ("text", "document", "photo", "sticker")


@dataclass(frozen=True)
class InlineButton:
    """One button of an inline keyboard."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SentMessage:
    """A message as it stands now in a chat (edits applied), decoded for assertions."""

    chat_id: int
    message_id: int
    kind: str  # "text", "document", "photo", "sticker" or "other"
    text: str | None  # the text, or the caption of a document or photo
    buttons: tuple[tuple[InlineButton, ...], ...]
    reply_keyboard: tuple[tuple[str, ...], ...] | None
    file: StoredFile | None
    parse_mode: str | None
    edits: int
    from_bot: bool
    raw: dict[str, Any]  # the Message object as Telegram would return it

    @property
    def button_texts(self) -> list[str]:
        """Labels of the inline buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    def button(self, text: str) -> InlineButton:
        """The inline button labelled ``text``."""
        for row in self.buttons:
            for button in row:
                if button.text == text:
                    return button
        raise LookupError(f"no button {text!r}; the buttons are {self.button_texts}")


@dataclass(frozen=True)
class Stats:
    """Counters over everything the fake answered."""

    delivered: dict[int, int]  # chat id -> messages the bot delivered there
    rate_limited: int  # 429 replies
    server_errors: int  # 5xx replies (planned with fail_with)
    forbidden: int  # 403 replies
    bad_requests: int  # 400 replies


def snapshot(record: MessageRecord) -> SentMessage:
    """Decode a stored message into a :class:`SentMessage`."""
    message = copy.deepcopy(record.message)
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return SentMessage(
        chat_id=message["chat"]["id"],
        message_id=message["message_id"],
        kind=next((kind for kind in _KINDS if kind in message), "other"),
        text=message.get("text", message.get("caption")),
        buttons=tuple(
            tuple(InlineButton(b["text"], b.get("callback_data"), b.get("url")) for b in row) for row in rows
        ),
        reply_keyboard=tuple(tuple(row) for row in record.reply_keyboard) if record.reply_keyboard else None,
        file=record.file,
        parse_mode=record.parse_mode,
        edits=record.edits,
        from_bot=record.from_bot,
        raw=message,
    )


class Observations:
    """Read-side helpers of :class:`FakeBotApi`; all are thread-safe."""

    _state: TelegramState

    def calls(self, method: str | None = None, *, chat_id: int | None = None) -> list[ApiCall]:
        """Every API call so far (getUpdates included), optionally of one method and/or chat."""
        with self._state.lock:
            return [
                c
                for c in self._state.calls
                if (method is None or c.method == method)
                and (chat_id is None or _same_chat(c.chat_id, chat_id))
            ]

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """What the bot sent to a chat (messages, documents, photos), oldest first, edits applied."""
        return [m for m in self._messages_in(chat_id) if m.from_bot]

    def last_message(self, chat_id: int) -> SentMessage:
        """The bot's latest message in a chat."""
        sent = self.sent_to(chat_id)
        if not sent:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return sent[-1]

    def buttons_of(self, message: SentMessage) -> list[list[InlineButton]]:
        """The inline keyboard of a message as it stands now, row by row ([] once it is deleted)."""
        current = [m for m in self._messages_in(message.chat_id) if m.message_id == message.message_id]
        return [list(row) for row in current[0].buttons] if current else []

    def transcript(self, chat_id: int) -> list[str]:
        """The chat as lines ``"user: ..."``/``"bot: ..."``; files show as ``[document name.xlsx]``."""
        lines = []
        for m in self._messages_in(chat_id):
            body = m.text or ""
            if m.kind in ("document", "photo", "sticker"):
                name = (m.file.filename if m.file else None) or m.raw.get("sticker", {}).get("emoji", "")
                label = " ".join(part for part in (m.kind, name) if part)
                body = f"[{label}]" + (f" {m.text}" if m.text else "")
            lines.append(f"{'bot' if m.from_bot else 'user'}: {body}")
        return lines

    def _messages_in(self, chat_id: int) -> list[SentMessage]:
        with self._state.lock:
            chat = self._state.chats.get(chat_id)
            return [snapshot(r) for r in chat.messages.values()] if chat else []

    @property
    def commands(self) -> list[tuple[str, str]]:
        """(command, description) pairs set by setMyCommands for the default scope and language."""
        return self.commands_for()

    def commands_for(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """(command, description) pairs for one scope and language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        with self._state.lock:
            return [(c["command"], c["description"]) for c in self._state.commands.get(key, [])]

    def callback_answer(self, update_id: int) -> dict[str, Any] | None:
        """How the bot answered the button press of ``update_id`` (text, show_alert, url), or None."""
        with self._state.lock:
            query = next(
                (q for q in self._state.callback_queries.values() if q["update_id"] == update_id), None
            )
            return copy.deepcopy(query["answer"]) if query else None

    def file(self, file_id: str) -> StoredFile:
        """A stored file by file_id."""
        with self._state.lock:
            return self._state.files[file_id]

    @property
    def webhook(self) -> dict[str, Any] | None:
        """The webhook set by setWebhook (url, secret_token, max_connections, allowed_updates), or None."""
        with self._state.lock:
            return copy.deepcopy(self._state.webhook)

    # -- counters --------------------------------------------------------------------------------
    def delivered(self, chat_id: int) -> int:
        """How many messages the bot delivered to a chat (deleted ones excluded)."""
        return len(self.sent_to(chat_id))

    def duplicates(self, chat_id: int | None = None, *, within: float | None = None) -> int:
        """Bot messages identical (kind, text, file bytes) to an earlier one in the same chat.

        With ``within``, only repeats at most that many seconds after the earlier copy count.
        """
        with self._state.lock:
            if chat_id is None:
                chats = list(self._state.chats.values())
            else:
                chats = [self._state.chats[chat_id]] if chat_id in self._state.chats else []
            return sum(_repeats([r for r in chat.messages.values() if r.from_bot], within) for chat in chats)

    @property
    def stats(self) -> Stats:
        """Delivered messages per chat and counts of 429, 5xx, 403 and 400 replies."""
        with self._state.lock:
            statuses = Counter(call.status for call in self._state.calls)
            delivered = {
                chat_id: sum(r.from_bot for r in chat.messages.values())
                for chat_id, chat in self._state.chats.items()
            }
        return Stats(
            delivered={k: v for k, v in delivered.items() if v},
            rate_limited=statuses[429],
            server_errors=sum(n for status, n in statuses.items() if status >= 500),
            forbidden=statuses[403],
            bad_requests=statuses[400],
        )

    # -- waiting ---------------------------------------------------------------------------------
    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Block until ``predicate()`` is truthy and return it; TimeoutError with recent calls otherwise.

        For sync tests and subprocess bots. In an async test use :meth:`wait_for_async`: blocking
        the event loop would also stop a bot running in it.
        """
        refuse_inside_event_loop("wait_for")
        result = self._state.changed.wait(predicate, timeout)
        if not result:
            raise TimeoutError(self._timeout_report(timeout))
        return result

    async def wait_for_async(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Await until ``predicate()`` is truthy and return it, without blocking the event loop."""
        result = await self._state.changed.wait_async(predicate, timeout)
        if not result:
            raise TimeoutError(self._timeout_report(timeout))
        return result

    def wait_for_messages(self, chat_id: int, n: int = 1, timeout: float = 5.0) -> list[SentMessage]:
        """Block until the bot has sent at least ``n`` messages to a chat; return all of them."""
        return self.wait_for(lambda: self._at_least(chat_id, n), timeout)

    async def wait_for_messages_async(
        self, chat_id: int, n: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Await until the bot has sent at least ``n`` messages to a chat; return all of them."""
        return await self.wait_for_async(lambda: self._at_least(chat_id, n), timeout)

    def _at_least(self, chat_id: int, n: int) -> list[SentMessage]:
        sent = self.sent_to(chat_id)
        return sent if len(sent) >= n else []

    def _timeout_report(self, timeout: float) -> str:
        recent = [c for c in self.calls() if c.method != "getUpdates"][-12:]
        lines = [
            f"  {c.method} chat={c.chat_id} -> {c.status}{' ' + c.error if c.error else ''}" for c in recent
        ]
        return f"condition not met within {timeout} s; latest API calls:\n" + ("\n".join(lines) or "  (none)")


def _repeats(records: list[MessageRecord], within: float | None) -> int:
    last_seen: dict[Any, float] = {}
    repeats = 0
    for record in records:
        message = record.message
        key = (
            next((kind for kind in _KINDS if kind in message), "other"),
            message.get("text", message.get("caption")),
            record.file.content if record.file else None,
        )
        if key in last_seen and (within is None or record.sent_at - last_seen[key] <= within):
            repeats += 1
        last_seen[key] = record.sent_at
    return repeats


def _same_chat(logged: int | str | None, chat_id: int) -> bool:
    return logged is not None and str(logged) == str(chat_id)


def refuse_inside_event_loop(name: str) -> None:
    """Raise if called inside a running event loop, where blocking would freeze a bot in that loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"{name}() blocks; inside a running event loop use {name}_async() instead")
