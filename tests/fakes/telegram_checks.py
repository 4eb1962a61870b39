"""Telegram's checks on what a bot sends: text after parsing, keyboards, commands, images.

Each check returns the cleaned value or raises the 400 error the real Bot API sends.
"""

from __future__ import annotations

import io
import re
from typing import Any

from tests.fakes.telegram_html import EntityParseError, parse_html, strip_text
from tests.fakes.telegram_wire import bad_request

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "login_url",
    "callback_game",
    "pay",
    "copy_text",
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def format_text(
    text: str | None, parse_mode: str | None, entities: list[dict] | None, *, caption: bool = False
) -> tuple[str, list[dict]]:
    """Text and entities as Telegram stores them: markup parsed, whitespace trimmed, length checked.

    Only HTML is validated; Markdown and MarkdownV2 pass through unparsed (the fake does not check them).
    """
    text = text or ""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(text)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    elif mode in ("markdown", "markdownv2"):
        entities = []
    elif mode:
        raise bad_request("unsupported parse_mode")
    text, entities = strip_text(text, list(entities or []))
    limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
    if len(text) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return text, entities


def text_fields(text: str, entities: list[dict], *, caption: bool = False) -> dict[str, Any]:
    """The ``text``/``entities`` (or ``caption``/``caption_entities``) fields of a Message."""
    name = "caption" if caption else "text"
    if not text:
        return {}
    return {name: text, **({f"{name}_entities" if caption else "entities": entities} if entities else {})}


def check_reply_markup(markup: Any) -> tuple[dict | None, list[list[str]] | None]:
    """Split ``reply_markup`` into (inline keyboard for the Message, reply keyboard labels)."""
    if markup is None:
        return None, None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _rows(markup["inline_keyboard"])
        for button in (button for row in rows for button in row):
            _check_inline_button(button)
        return (markup if any(rows) else None), None
    if "keyboard" in markup:
        rows = _rows(markup["keyboard"])
        return None, [[b if isinstance(b, str) else str(b.get("text", "")) for b in row] for row in rows]
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return None, None
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(rows: Any) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return rows


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not any(action in button for action in _BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not re.match(r"(https?|tg)://\S+$", str(url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def check_not_modified(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Telegram refuses an edit that changes nothing."""
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    if all(old.get(key) == new.get(key) for key in keys):
        raise bad_request(_NOT_MODIFIED)


def check_commands(commands: Any) -> list[dict[str, str]]:
    """The command list of setMyCommands, checked as Telegram checks it."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    checked = []
    for item in commands:
        command, description = str(item.get("command", "")), str(item.get("description", ""))
        if not _COMMAND_NAME.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request(
                "command description is empty" if not description else "BOT_COMMAND_DESCRIPTION_INVALID"
            )
        checked.append({"command": command, "description": description})
    return checked


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of an uploaded photo; Telegram's IMAGE_PROCESS_FAILED if it is not an image."""
    from PIL import Image, UnidentifiedImageError  # Pillow comes with matplotlib

    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise bad_request("IMAGE_PROCESS_FAILED") from exc
