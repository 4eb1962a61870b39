"""The neutral vocabulary every channel translates into and out of (no platform objects here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The most characters of one message the bot reads (Telegram's own limit per message). Longer text, commands and
# button data are refused before any parsing, on every channel: the engine is where they all pass.
MAX_INBOUND_CHARS = 4096


@dataclass(frozen=True)
class Sender:
    """Who wrote, where, on which channel."""

    channel: str
    user_id: str
    chat_id: str
    display_name: str | None = None
    chat_type: str = "private"  # private | group


@dataclass(frozen=True)
class TextIn:
    """Text typed by the person."""

    text: str


@dataclass(frozen=True)
class CommandIn:
    """A command such as `/nop` or `/start CODE` (name without slash, lower-case)."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class ButtonIn:
    """A button pressed; `data` is what the button carried."""

    data: str


@dataclass(frozen=True)
class FileIn:
    """A file, photo, sticker, voice note… where the dialogue expects text."""

    kind: str
    name: str | None = None


Event = TextIn | CommandIn | ButtonIn | FileIn


def typed_length(event: Event) -> int:
    """How many characters the person typed (or the button carried) in `event`; 0 for a file."""
    if isinstance(event, TextIn):
        return len(event.text)
    if isinstance(event, CommandIn):  # as typed: the slash, the name, a space and the arguments
        return 1 + len(event.name) + (1 + len(event.args) if event.args else 0)
    if isinstance(event, ButtonIn):
        return len(event.data)
    return 0


@dataclass(frozen=True)
class Inbound:
    """One event from one sender; `update_key` identifies it so a redelivery is applied once."""

    sender: Sender
    event: Event
    update_key: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Button:
    """A choice offered under a message; `data` must stay within 64 bytes (Telegram's limit)."""

    label: str
    data: str


@dataclass(frozen=True)
class TextOut:
    """A message: an optional bold title, plain body text (always escaped by channels), buttons in rows."""

    text: str
    title: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class DocumentOut:
    """A file to send, e.g. the Excel summary."""

    filename: str
    data: bytes = field(repr=False)
    caption: str = ""


@dataclass(frozen=True)
class ImageOut:
    """A picture to send, e.g. the PNG chart."""

    data: bytes = field(repr=False)
    caption: str = ""
    filename: str = "chart.png"


Reply = TextOut | DocumentOut | ImageOut
