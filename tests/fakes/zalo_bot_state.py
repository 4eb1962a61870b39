"""What the fake Zalo Bot Platform knows: bots, chats, queued updates, sent messages and the call log.

One ``BotPlatformState`` is shared by the HTTP server thread and the test thread: every public method
takes ``lock``, and ``changed`` wakes whoever waits (long polls, ``wait_for_*``) when something happens.
The shapes follow ``bot/zalo/BOT_PLATFORM.md``; where the platform is undocumented the fake's choice is
listed there too.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_signal import ChangeSignal

EVENTS = {
    "text": "message.text.received",
    "image": "message.image.received",
    "sticker": "message.sticker.received",
    "voice": "message.voice.received",
    "unsupported": "message.unsupported.received",
}


def zalo_id() -> str:
    """An id shaped like Zalo's: 20 hex digits (users, chats and messages all look like this)."""
    return secrets.token_hex(10)


def now_ms() -> int:
    """Milliseconds since the epoch, as Zalo stamps `date` and `updated_at`."""
    return int(time.time() * 1000)


@dataclass(frozen=True)
class ApiCall:
    """One call as the fake answered it: HTTP status, and the envelope's `error_code` (0 for success)."""

    token: str
    method: str
    params: dict[str, Any]
    at: float  # time.time() when the call arrived
    status: int = 200
    error_code: int = 0
    description: str | None = None


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent: `kind` is "text", "photo" or "sticker"."""

    chat_id: str
    kind: str
    text: str | None  # the text, or a photo's caption
    message_id: str
    date: int
    photo_url: str | None = None
    photo: bytes | None = None  # what the fake fetched from `photo_url`
    sticker: str | None = None
    parse_mode: str | None = None


@dataclass
class Delivery:
    """One update POSTed to the bot's webhook; `statuses` has one entry per attempt (0: no answer)."""

    update: dict[str, Any]
    url: str
    statuses: list[int] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """True once an attempt was answered 2xx."""
        return any(200 <= status < 300 for status in self.statuses)


@dataclass
class Chat:
    """A conversation the bot can write to: a person's private chat, or a group."""

    chat_id: str
    chat_type: str  # "PRIVATE" or "GROUP"
    blocked: bool = False  # the person blocked the bot (the fake's assumption: sends get 403)


@dataclass
class BotAccount:
    """One bot, addressed by its token: identity, webhook, pending updates, chats and what it sent."""

    token: str
    bot_id: str
    account_name: str
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_updated_at: int = 0
    pending: deque[dict[str, Any]] = field(default_factory=deque)
    chats: dict[str, Chat] = field(default_factory=dict)
    sent: list[SentMessage] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)  # (chat_id, action) of sendChatAction

    def me(self) -> dict[str, Any]:
        """The `result` of getMe."""
        return {"id": self.bot_id, "account_name": self.account_name, "account_type": "BASIC",
                "can_join_groups": False}

    def webhook(self) -> dict[str, Any]:
        """The `result` of setWebhook, deleteWebhook and getWebhookInfo."""
        return {"url": self.webhook_url, "updated_at": self.webhook_updated_at}


class BotPlatformState:
    """Every bot the fake hosts, the call log, and the lock and signal that guard them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = ChangeSignal(self.lock)
        self.bots: dict[str, BotAccount] = {}
        self.calls: list[ApiCall] = []
        self.deliveries: list[Delivery] = []
        self.internal_errors: list[str] = []
        self.closing = False

    def add_bot(self, token: str, account_name: str) -> BotAccount:
        """Host a bot answering to `token`."""
        with self.lock:
            bot_id = token.split(":", 1)[0]
            account = BotAccount(token, bot_id, account_name)
            self.bots[token] = account
            return account

    def bot(self, token: str) -> BotAccount | None:
        """The bot answering to `token`, if any."""
        with self.lock:
            return self.bots.get(token)

    def record(self, call: ApiCall) -> None:
        """Append to the call log."""
        with self.lock:
            self.calls.append(call)
            self.changed.notify()

    def new_update(self, bot: BotAccount, kind: str, sender: dict[str, Any], chat: Chat,
                   content: dict[str, Any]) -> dict[str, Any]:
        """An update as Zalo builds it (not yet queued or delivered); the chat becomes known to the bot."""
        message = {"from": sender, "chat": {"id": chat.chat_id, "chat_type": chat.chat_type},
                   "message_id": zalo_id(), "date": now_ms(), **content}
        with self.lock:
            bot.chats.setdefault(chat.chat_id, chat)
        return {"event_name": EVENTS[kind], "message": message}

    def enqueue(self, bot: BotAccount, update: dict[str, Any]) -> None:
        """Keep an update for the next getUpdates."""
        with self.lock:
            bot.pending.append(update)
            self.changed.notify()

    def take_update(self, bot: BotAccount) -> dict[str, Any] | None:
        """The oldest pending update, removed: Zalo has no offset, so a served update is gone."""
        with self.lock:
            return bot.pending.popleft() if bot.pending else None

    def record_sent(self, bot: BotAccount, message: SentMessage) -> None:
        """Remember a message the bot sent, and wake waiters."""
        with self.lock:
            bot.sent.append(message)
            self.changed.notify()

    def close(self) -> None:
        """End pending long polls (the server is stopping)."""
        with self.lock:
            self.closing = True
            self.changed.notify()
