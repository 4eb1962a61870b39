"""Simulated users and chats: each action pushes the update Telegram would deliver and returns its id."""

from __future__ import annotations

import copy
import itertools
import mimetypes
import re
import struct
import time
import zlib
from typing import Any, Literal, TypedDict, Unpack

from tests.fakes.telegram_html import utf16_len
from tests.fakes.telegram_observe import SentMessage
from tests.fakes.telegram_state import ChatRecord, TelegramState

DEFAULT_GROUP_ID = -4_000_000_001  # basic groups have small negative ids
DEFAULT_SUPERGROUP_ID = -1_001_000_000_001  # supergroups have -100 in front
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_query_ids = itertools.count(4_000_000_000_000_000_001)

ChatType = Literal["private", "group", "supergroup"]


class Where(TypedDict, total=False):
    """Who sends and where: the keyword arguments every ``user_sends_*`` takes."""

    chat_type: ChatType  # "private" (default): the user's chat with the bot
    chat_id: int  # for groups; defaults to DEFAULT_GROUP_ID / DEFAULT_SUPERGROUP_ID
    chat_title: str
    first_name: str
    last_name: str
    username: str
    reply_to: SentMessage  # the message this one replies to


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG image, for photos sent by users."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


class SimulatedUsers:
    """User-side helpers of :class:`FakeBotApi`; all are thread-safe."""

    _state: TelegramState

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        username: str | None = None,
        has_started: bool = True,
    ) -> None:
        """Make a user known; ``has_started=False`` is someone who never opened the bot (sends get 403)."""
        with self._state.lock:
            user = self._state.ensure_user(user_id, first_name=first_name, username=username)
            self._state.ensure_chat(user_id, _private_chat_info(user)).started = has_started

    def add_group(
        self, chat_id: int = DEFAULT_GROUP_ID, title: str = "Test group", chat_type: ChatType = "group"
    ) -> None:
        """Make a group the bot is a member of known."""
        self._state.ensure_chat(chat_id, {"type": chat_type, "title": title})

    def block_user(self, user_id: int, *, notify: bool = True) -> None:
        """The user blocks the bot: sends to them get 403; with ``notify``, a my_chat_member update."""
        with self._state.lock:
            self.add_user(user_id)
            self._state.chats[user_id].blocked = True
            if notify:
                self._push_member_change(user_id, "member", "kicked")

    def unblock_user(self, user_id: int) -> None:
        """The user unblocks (restarts) the bot."""
        with self._state.lock:
            self.add_user(user_id)
            self._state.chats[user_id].blocked = False

    def user_sends_text(self, user_id: int, text: str, **where: Unpack[Where]) -> int:
        """A text message; ``/commands`` in it get ``bot_command`` entities, as Telegram adds them."""
        entities = [
            {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())}
            for m in _COMMAND.finditer(text)
        ]
        return self._user_message(
            user_id, {"text": text, **({"entities": entities} if entities else {})}, where
        )

    def user_sends_command(
        self,
        user_id: int,
        command: str,
        payload: str = "",
        *,
        mention_bot: bool = False,
        **where: Unpack[Where],
    ) -> int:
        """``/command payload`` (``/start PAYLOAD`` is a deep link); ``mention_bot`` adds ``@botname``."""
        text = "/" + command.removeprefix("/")
        text += f"@{self._state.bot_user['username']}" if mention_bot else ""
        return self.user_sends_text(user_id, f"{text} {payload}" if payload else text, **where)

    def user_sends_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        **where: Unpack[Where],
    ) -> int:
        """A document the bot can fetch with getFile and download (mime_type guessed from the name if not given)."""
        mime_type = mime_type or mimetypes.guess_type(filename)[0]
        stored = self._state.store_file(content, "documents", filename, mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "file_size": len(content),
            **({"mime_type": mime_type} if mime_type else {}),
        }
        return self._user_message(user_id, {"document": document, **_caption(caption)}, where)

    def user_sends_photo(
        self,
        user_id: int,
        content: bytes | None = None,
        *,
        width: int = 2,
        height: int = 2,
        caption: str | None = None,
        **where: Unpack[Where],
    ) -> int:
        """A photo (a small PNG unless ``content`` is given; ``width``/``height`` are reported as is)."""
        stored = self._state.store_file(content or tiny_png(width, height), "photos", None, "image/png")
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "width": width,
            "height": height,
        }
        return self._user_message(user_id, {"photo": [size], **_caption(caption)}, where)

    def user_sends_sticker(self, user_id: int, emoji: str = "👍", **where: Unpack[Where]) -> int:
        """A sticker."""
        stored = self._state.store_file(b"RIFF\x00\x00\x00\x00WEBP", "stickers", None, "image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user_id, {"sticker": sticker}, where)

    def user_presses_button(
        self, user_id: int, message: SentMessage, callback_data: str | None = None, *, text: str | None = None
    ) -> int:
        """A press on an inline button of a bot message, found by ``callback_data`` or by label ``text``.

        Raises LookupError if the message (as it stands now) has no such button: a user could not press it.
        """
        with self._state.lock:
            chat = self._state.chats.get(message.chat_id)
            record = chat.messages.get(message.message_id) if chat else None
            if record is None:
                raise LookupError(f"message {message.message_id} is not in chat {message.chat_id}")
            data = _pressed_data(record.message, callback_data, text)
            query_id = str(next(_query_ids))
            query = {
                "id": query_id,
                "from": self._state.ensure_user(user_id),
                "message": copy.deepcopy(record.message),
                "chat_instance": str(abs(message.chat_id) * 31 + 7),
                "data": data,
            }
            update_id = self._state.push_update({"callback_query": query})
            self._state.callback_queries[query_id] = {"update_id": update_id, "answer": None}
            return update_id

    def push_raw_update(self, update: dict[str, Any]) -> int:
        """Queue any update dict as is (an update_id is added if missing)."""
        return self._state.push_update(copy.deepcopy(update))

    def redeliver(self, update_id: int) -> None:
        """Deliver an update once more, as Telegram does when the bot did not confirm it in time."""
        self._state.redeliver(update_id)

    def _user_message(self, user_id: int, fields: dict[str, Any], where: Where) -> int:
        with self._state.lock:
            user = self._state.ensure_user(
                user_id,
                first_name=where.get("first_name"),
                last_name=where.get("last_name"),
                username=where.get("username"),
            )
            chat = self._chat_for(user, where)
            if "reply_to" in where:
                fields["reply_to_message"] = copy.deepcopy(where["reply_to"].raw)
            record = self._state.add_message(chat, fields, sender=user)
            return self._state.push_update({"message": copy.deepcopy(record.message)})

    def _chat_for(self, user: dict[str, Any], where: Where) -> ChatRecord:
        chat_type = where.get("chat_type", "private")
        if chat_type == "private":
            chat = self._state.ensure_chat(user["id"], _private_chat_info(user))
            chat.started, chat.blocked = True, False  # writing to the bot means it is started and unblocked
            return chat
        default_id = DEFAULT_GROUP_ID if chat_type == "group" else DEFAULT_SUPERGROUP_ID
        title = where.get("chat_title", "Test group")
        return self._state.ensure_chat(where.get("chat_id", default_id), {"type": chat_type, "title": title})

    def _push_member_change(self, user_id: int, old: str, new: str) -> None:
        user, bot = self._state.users[user_id], self._state.bot_user
        change = {
            "chat": self._state.chats[user_id].info,
            "from": user,
            "date": int(time.time()),
            "old_chat_member": {"status": old, "user": bot},
            "new_chat_member": {"status": new, "user": bot, "until_date": 0},
        }
        self._state.push_update({"my_chat_member": change})


def _private_chat_info(user: dict[str, Any]) -> dict[str, Any]:
    keys = ("first_name", "last_name", "username")
    return {"type": "private", **{key: user[key] for key in keys if key in user}}


def _caption(caption: str | None) -> dict[str, str]:
    return {"caption": caption} if caption else {}


def _pressed_data(message: dict[str, Any], callback_data: str | None, text: str | None) -> str:
    buttons = [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    for button in buttons:
        if "callback_data" in button and (button["callback_data"] == callback_data or button["text"] == text):
            return button["callback_data"]
    offered = [(b["text"], b.get("callback_data")) for b in buttons]
    raise LookupError(f"no button with callback_data={callback_data!r} or text={text!r}; buttons: {offered}")
