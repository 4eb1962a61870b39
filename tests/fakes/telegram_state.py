"""What the fake Telegram knows: users, chats, messages, files, pending updates and the call log.

Every public method takes ``lock``; the HTTP server thread and the test thread share one instance.
``changed`` wakes anyone waiting (long polls, ``wait_for``) whenever something happens.
"""

from __future__ import annotations

import copy
import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from tests.fakes.telegram_signal import ChangeSignal
from tests.fakes.telegram_wire import ApiError, UploadedFile, bad_request

DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)  # every type except chat_member, message_reaction and message_reaction_count, as Telegram defaults


@dataclass(frozen=True)
class StoredFile:
    """A file held by the fake: uploaded by the bot or sent by a simulated user."""

    file_id: str
    file_unique_id: str
    file_path: str
    filename: str | None
    content: bytes
    mime_type: str | None


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call as the fake answered it (``status`` 200 for success)."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    chat_id: int | str | None
    at: float  # time.time() when the call arrived
    status: int = 200
    error: str | None = None


@dataclass
class MessageRecord:
    """A message in a chat as it stands now (edits applied), plus what only the fake knows about it."""

    message: dict[str, Any]
    from_bot: bool
    sent_at: float  # time.monotonic()
    parse_mode: str | None = None
    reply_keyboard: list[list[str]] | None = None
    file: StoredFile | None = None
    edits: int = 0


@dataclass
class ChatRecord:
    """A chat the fake knows, with its messages by id."""

    info: dict[str, Any]
    started: bool = True  # a private chat where the user pressed Start
    blocked: bool = False
    last_message_id: int = 0
    messages: dict[int, MessageRecord] = field(default_factory=dict)


class TelegramState:
    """All data of one fake Telegram, guarded by ``lock``."""

    def __init__(self, token: str, bot_username: str, bot_name: str) -> None:
        self.lock = threading.RLock()
        self.changed = ChangeSignal(self.lock)
        self.token = token
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.files: dict[str, StoredFile] = {}
        self.calls: list[ApiCall] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.callback_queries: dict[str, dict[str, Any]] = {}  # query id -> {"update_id", "answer"}
        self.closing = False
        self.internal_errors: list[str] = []  # exceptions inside the fake itself (its bugs)
        self._pending: list[dict[str, Any]] = []
        self._redeliveries: list[dict[str, Any]] = []
        self._history: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(10_001)
        self._file_numbers = itertools.count(1)
        self._allowed_updates = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0

    # -- users and chats -------------------------------------------------------------------------
    def ensure_user(self, user_id: int, **profile: str | None) -> dict[str, Any]:
        """The Telegram ``User`` for ``user_id``, created on first sight; given profile fields override."""
        with self.lock:
            user = self.users.setdefault(
                user_id,
                {"id": user_id, "is_bot": False, "first_name": f"User {user_id}", "language_code": "vi"},
            )
            user.update({key: value for key, value in profile.items() if value is not None})
            return user

    def ensure_chat(self, chat_id: int, info: dict[str, Any]) -> ChatRecord:
        """The chat with ``chat_id``, created with ``info`` (a Telegram ``Chat``) on first sight."""
        with self.lock:
            return self.chats.setdefault(chat_id, ChatRecord(info={"id": chat_id, **info}))

    def chat_for_sending(self, chat_id: int | str | None) -> ChatRecord:
        """The chat a bot may send to, or the 400/403 error Telegram gives."""
        with self.lock:
            if chat_id in (None, ""):
                raise bad_request("chat_id is empty")
            chat = self._find_chat(chat_id)
            if chat is None:
                raise bad_request("chat not found")
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return chat

    def _find_chat(self, chat_id: int | str) -> ChatRecord | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return next((c for c in self.chats.values() if c.info.get("username") == chat_id[1:]), None)
        try:
            return self.chats.get(int(chat_id))
        except ValueError:
            return None

    # -- messages --------------------------------------------------------------------------------
    def add_message(
        self, chat: ChatRecord, fields: dict[str, Any], sender: dict[str, Any] | None = None, **extra: Any
    ) -> MessageRecord:
        """Append a message from ``sender`` (the bot when None) with the chat's next message id."""
        with self.lock:
            chat.last_message_id += 1
            message = {
                "message_id": chat.last_message_id,
                "from": sender or self.bot_user,
                "chat": chat.info,
                "date": int(time.time()),
                **fields,
            }
            record = MessageRecord(message, from_bot=sender is None, sent_at=time.monotonic(), **extra)
            chat.messages[chat.last_message_id] = record
            self.changed.notify()
            return record

    def find_message(self, chat_id: int | str | None, message_id: int | None) -> MessageRecord:
        """A message of a chat, or Telegram's 400 for a message that is not there."""
        with self.lock:
            chat = self.chat_for_sending(chat_id)
            record = chat.messages.get(message_id) if message_id is not None else None
            if record is None:
                raise bad_request("message to edit not found")
            return record

    # -- files -----------------------------------------------------------------------------------
    def store_file(
        self, content: bytes, folder: str, filename: str | None, mime_type: str | None
    ) -> StoredFile:
        """Keep ``content`` under a fresh file_id and a ``folder/file_N.ext`` download path."""
        with self.lock:
            number = next(self._file_numbers)
            suffix = PurePosixPath(filename or "").suffix
            stored = StoredFile(
                f"FAKE-{folder[:3].upper()}-{number:06d}",
                f"U{number:06d}",
                f"{folder}/file_{number}{suffix}",
                filename,
                content,
                mime_type,
            )
            self.files[stored.file_id] = stored
            return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """The file behind a download path, if any."""
        with self.lock:
            return next((f for f in self.files.values() if f.file_path == file_path), None)

    # -- updates ---------------------------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates (giving it the next update_id if it has none)."""
        with self.lock:
            update = {"update_id": next(self._update_ids), **update} if "update_id" not in update else update
            self._history[update["update_id"]] = copy.deepcopy(update)
            self._pending.append(update)
            self.changed.notify()
            return update["update_id"]

    def redeliver(self, update_id: int) -> None:
        """Serve an already pushed update once more, whatever offset the bot has confirmed."""
        with self.lock:
            self._redeliveries.append(copy.deepcopy(self._history[update_id]))
            self.changed.notify()

    def pending_update(self, update_id: int) -> dict[str, Any]:
        """A pushed update by id (for webhook delivery)."""
        with self.lock:
            return copy.deepcopy(self._history[update_id])

    def confirm_delivered(self, update_id: int) -> None:
        """Forget an update the bot accepted (a webhook answered 2xx)."""
        with self.lock:
            self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def begin_poll(self, offset: int | None, allowed_updates: list[str] | None) -> int:
        """Start a getUpdates call: confirm by offset, remember allowed_updates, end any older poll."""
        with self.lock:
            if self.webhook:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if offset is not None and offset < 0:
                self._pending = self._pending[offset:]
            elif offset is not None:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            if allowed_updates is not None:
                self._allowed_updates = frozenset(allowed_updates) or DEFAULT_ALLOWED_UPDATES
            self._poll_generation += 1
            self.changed.notify()
            return self._poll_generation

    def poll_superseded(self, generation: int) -> bool:
        """True when a newer getUpdates call has started since ``generation``."""
        with self.lock:
            return generation != self._poll_generation

    def ready_updates(self, limit: int) -> list[dict[str, Any]]:
        """Updates a getUpdates call would return now; drops types the bot did not ask for."""
        with self.lock:
            self._pending = [u for u in self._pending if _update_type(u) in self._allowed_updates]
            return [copy.deepcopy(u) for u in (self._redeliveries + self._pending)[:limit]]

    def mark_served(self, batch: list[dict[str, Any]]) -> None:
        """Redeliveries are served once; pending updates stay until the offset confirms them."""
        with self.lock:
            served = {u["update_id"] for u in batch}
            self._redeliveries = [u for u in self._redeliveries if u["update_id"] not in served]

    def drop_pending_updates(self) -> None:
        """Forget all queued updates (drop_pending_updates=True)."""
        with self.lock:
            self._pending.clear()
            self._redeliveries.clear()

    @property
    def pending_count(self) -> int:
        """Updates queued and not yet confirmed."""
        with self.lock:
            return len(self._pending)

    # -- log -------------------------------------------------------------------------------------
    def record_call(self, call: ApiCall) -> None:
        """Append to the call log and wake waiters."""
        with self.lock:
            self.calls.append(call)
            self.changed.notify()

    def close(self) -> None:
        """Make pending long polls return now; the server is going away."""
        with self.lock:
            self.closing = True
            self.changed.notify()


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
