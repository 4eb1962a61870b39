"""The Bot API methods the fake answers (all but getUpdates, which the server long-polls).

Each handler takes the call's typed parameters and uploaded files and returns the ``result`` Telegram
would send, or raises :class:`ApiError` with Telegram's status and description.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.telegram_checks import (
    check_commands,
    check_not_modified,
    check_reply_markup,
    format_text,
    image_size,
    text_fields,
)
from tests.fakes.telegram_limits import Limits
from tests.fakes.telegram_state import ChatRecord, MessageRecord, StoredFile, TelegramState
from tests.fakes.telegram_wire import ApiError, UploadedFile, bad_request

Params = dict[str, Any]
Files = dict[str, UploadedFile]
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


class BotApiMethods:
    """Dispatches a call by method name (case-insensitive, as Telegram) to its handler."""

    def __init__(self, state: TelegramState, limits: Limits) -> None:
        self._state = state
        self._limits = limits
        handlers: dict[str, Callable[[Params, Files], Any]] = {
            "getMe": self.get_me,
            "logOut": self.always_true,
            "close": self.always_true,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "sendChatAction": self.send_chat_action,
            "getFile": self.get_file,
        }
        self._by_lower_name = {name.lower(): (name, handler) for name, handler in handlers.items()}

    def canonical_name(self, method: str) -> str:
        """The method's Bot API spelling (``getUpdates`` included), or 404 Not Found."""
        if method.lower() == "getupdates":
            return "getUpdates"
        if method.lower() not in self._by_lower_name:
            raise ApiError(404, "Not Found")
        return self._by_lower_name[method.lower()][0]

    def call(self, method: str, params: Params, files: Files) -> Any:
        """Run one call under the state lock and return its ``result``."""
        with self._state.lock:
            return self._by_lower_name[method.lower()][1](params, files)

    # -- bot, webhook, commands ------------------------------------------------------------------
    def get_me(self, params: Params, files: Files) -> dict[str, Any]:
        """getMe: the bot's own User."""
        return {
            **self._state.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def always_true(self, params: Params, files: Files) -> bool:
        """logOut, close: nothing to do for a fake."""
        return True

    def set_webhook(self, params: Params, files: Files) -> bool:
        """setWebhook: remember url and secret_token (an empty url deletes the webhook)."""
        url = params.get("url") or ""
        if not url:
            return self.delete_webhook(params, files)
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._state.drop_pending_updates()
        self._state.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get("max_connections", 40),
            "allowed_updates": params.get("allowed_updates"),
        }
        return True

    def delete_webhook(self, params: Params, files: Files) -> bool:
        """deleteWebhook: forget the webhook, and queued updates if asked."""
        if params.get("drop_pending_updates"):
            self._state.drop_pending_updates()
        self._state.webhook = None
        return True

    def get_webhook_info(self, params: Params, files: Files) -> dict[str, Any]:
        """getWebhookInfo: url, pending_update_count and settings."""
        hook = self._state.webhook or {}
        info = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self._state.pending_count,
        }
        if hook:
            info["max_connections"] = hook["max_connections"]
            if hook["allowed_updates"] is not None:
                info["allowed_updates"] = hook["allowed_updates"]
        return info

    def set_my_commands(self, params: Params, files: Files) -> bool:
        """setMyCommands for one scope and language."""
        key = self._commands_key(params)
        self._state.commands[key] = check_commands(params.get("commands"))
        return True

    def get_my_commands(self, params: Params, files: Files) -> list[dict[str, str]]:
        """getMyCommands for one scope and language."""
        return copy.deepcopy(self._state.commands.get(self._commands_key(params), []))

    def delete_my_commands(self, params: Params, files: Files) -> bool:
        """deleteMyCommands for one scope and language."""
        self._state.commands.pop(self._commands_key(params), None)
        return True

    # -- messages --------------------------------------------------------------------------------
    def send_message(self, params: Params, files: Files) -> dict[str, Any]:
        """sendMessage: text (parsed as parse_mode says), keyboard, reply."""
        chat = self._state.chat_for_sending(params.get("chat_id"))
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        return self._deliver(chat, params, text_fields(text, entities))

    def send_document(self, params: Params, files: Files) -> dict[str, Any]:
        """sendDocument: a multipart upload (filename and bytes kept), or a known file_id."""
        chat = self._state.chat_for_sending(params.get("chat_id"))
        stored = self._input_file(params, files, "document", "documents")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        document |= {"file_name": stored.filename} if stored.filename else {}
        document |= {"mime_type": stored.mime_type} if stored.mime_type else {}
        return self._deliver(chat, params, {"document": document, **self._caption(params)}, file=stored)

    def send_photo(self, params: Params, files: Files) -> dict[str, Any]:
        """sendPhoto: like sendDocument, and the bytes must be an image."""
        chat = self._state.chat_for_sending(params.get("chat_id"))
        stored = self._input_file(params, files, "photo", "photos")
        width, height = image_size(stored.content)
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "width": width,
            "height": height,
        }
        return self._deliver(chat, params, {"photo": [size], **self._caption(params)}, file=stored)

    def _caption(self, params: Params) -> dict[str, Any]:
        caption, entities = format_text(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        return text_fields(caption, entities, caption=True)

    def _deliver(
        self, chat: ChatRecord, params: Params, fields: dict[str, Any], file: StoredFile | None = None
    ) -> dict[str, Any]:
        inline, reply_keyboard = check_reply_markup(params.get("reply_markup"))
        fields |= self._reply_to(chat, params)
        self._limits.admit_send(chat.info["id"], is_group=chat.info["type"] != "private")
        fields |= {"reply_markup": inline} if inline else {}
        record = self._state.add_message(
            chat, fields, parse_mode=params.get("parse_mode"), reply_keyboard=reply_keyboard, file=file
        )
        return copy.deepcopy(record.message)

    def _reply_to(self, chat: ChatRecord, params: Params) -> dict[str, Any]:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return {}
        record = chat.messages.get(message_id)
        if record is None:
            if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
                return {}
            raise bad_request("message to be replied not found")
        return {"reply_to_message": {k: v for k, v in record.message.items() if k != "reply_to_message"}}

    def _input_file(self, params: Params, files: Files, field: str, folder: str) -> StoredFile:
        value = params.get(field)
        upload = files.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            if len(upload.content) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            return self._state.store_file(upload.content, folder, upload.filename, upload.mime_type)
        if not value:
            raise bad_request(f"there is no {field} in the request")
        if value not in self._state.files:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return self._state.files[value]

    def edit_message_text(self, params: Params, files: Files) -> dict[str, Any]:
        """editMessageText; without reply_markup the inline keyboard goes, as on Telegram."""
        record = self._editable(params)
        if "text" not in record.message:
            raise bad_request("there is no text in the message to edit")
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        record.parse_mode = params.get("parse_mode")
        return self._apply_edit(record, params, text_fields(text, entities))

    def edit_message_reply_markup(self, params: Params, files: Files) -> dict[str, Any]:
        """editMessageReplyMarkup; without reply_markup the keyboard is removed."""
        record = self._editable(params)
        kept = ("text", "entities", "caption", "caption_entities")
        return self._apply_edit(record, params, {k: v for k, v in record.message.items() if k in kept})

    def _editable(self, params: Params) -> MessageRecord:
        if params.get("inline_message_id"):
            raise bad_request("the fake Bot API does not support inline messages")
        record = self._state.find_message(params.get("chat_id"), params.get("message_id"))
        if not record.from_bot:
            raise bad_request("message can't be edited")
        return record

    def _apply_edit(self, record: MessageRecord, params: Params, content: dict[str, Any]) -> dict[str, Any]:
        inline, _ = check_reply_markup(params.get("reply_markup"))
        content |= {"reply_markup": inline} if inline else {}
        check_not_modified(record.message, content)
        for key in ("text", "entities", "caption", "caption_entities", "reply_markup"):
            record.message.pop(key, None)
        record.message.update(content, edit_date=int(time.time()))
        record.edits += 1
        self._state.changed.notify()
        return copy.deepcopy(record.message)

    def delete_message(self, params: Params, files: Files) -> bool:
        """deleteMessage."""
        chat = self._state.chat_for_sending(params.get("chat_id"))
        if chat.messages.pop(params.get("message_id"), None) is None:
            raise bad_request("message to delete not found")
        return True

    def answer_callback_query(self, params: Params, files: Files) -> bool:
        """answerCallbackQuery: once per press; the answer is kept for callback_answer()."""
        query = self._state.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query["answer"] is not None:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answer"] = {key: params.get(key) for key in ("text", "show_alert", "url", "cache_time")}
        return True

    def send_chat_action(self, params: Params, files: Files) -> bool:
        """sendChatAction: a known action to a chat the bot may write to."""
        self._state.chat_for_sending(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def get_file(self, params: Params, files: Files) -> dict[str, Any]:
        """getFile: the download path under base_file_url."""
        stored = self._state.files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


    def _commands_key(self, params: Params) -> tuple[str, str]:
        """The (scope, language) a command list is kept under, refused as Telegram refuses a bad one: an
        unknown scope type, a chat scope naming a chat the bot does not know, a language that is not ISO 639-1."""
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            with self._state.lock:
                known = scope.get("chat_id") not in (None, "") and self._state._find_chat(scope["chat_id"])
            if not known:
                raise bad_request("chat not found")
        language = params.get("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", str(language)):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), language


_SCOPES = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
           "chat_administrators", "chat_member")
