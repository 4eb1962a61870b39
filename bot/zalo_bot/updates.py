"""Zalo Bot Platform updates as plain data, and the webhook's secret check (no network here).

The same update shape arrives from getUpdates (`result`) and from the webhook (documented as
`{ok: true, result: update}`, seen bare too). There is no update id: `ZaloBotUpdate.key` is built
from the event name and `message_id`.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SECRET_HEADER = "X-Bot-Api-Secret-Token"
KINDS = {"message.text.received": "text", "message.image.received": "image",
         "message.sticker.received": "sticker", "message.voice.received": "voice",
         "message.unsupported.received": "unsupported"}


class ZaloBotUpdateError(ValueError):
    """A payload that is not a Zalo Bot update we can read (no event name, chat or sender)."""


@dataclass(frozen=True)
class ZaloBotUpdate:
    """One update, as plain data. `chat_id` is where replies go; `kind` is text, image, sticker, voice,
    unsupported (Zalo hides the content, or cannot show it) or other (an event name we do not know)."""

    event_name: str
    kind: str
    message_id: str
    chat_id: str
    chat_type: str  # "private" or "group"
    sender_id: str
    sender_name: str | None
    sender_is_bot: bool
    date_ms: int
    text: str | None = None  # the text, or an image's caption
    photo_url: str | None = None
    sticker: str | None = None
    voice_url: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what to store

    @property
    def key(self) -> str:
        """Equal for a redelivered update, different for distinct ones (there is no update id)."""
        return f"{self.event_name}:{self.message_id or f'{self.chat_id}:{self.date_ms}'}"


def unwrap(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The update itself: `{ok: true, result: update}` or the bare update."""
    result = payload.get("result")
    return result if payload.get("ok") is True and isinstance(result, Mapping) else payload


def parse_update(payload: Mapping[str, Any]) -> ZaloBotUpdate:
    """Read an update (bare or wrapped); raise `ZaloBotUpdateError` without event name, chat or sender."""
    body = unwrap(payload)
    message, name = body.get("message"), body.get("event_name")
    if not isinstance(name, str) or not name or not isinstance(message, Mapping):
        raise ZaloBotUpdateError("no event_name or message")
    chat, sender = mapping(message.get("chat")), mapping(message.get("from"))
    chat_id, sender_id = text_of(chat.get("id")), text_of(sender.get("id"))
    if not chat_id or not sender_id:
        raise ZaloBotUpdateError(f"{name} without chat or sender id")
    return ZaloBotUpdate(
        event_name=name, kind=KINDS.get(name, "other"), message_id=text_of(message.get("message_id")) or "",
        chat_id=chat_id, chat_type="group" if str(chat.get("chat_type", "")).upper() == "GROUP" else "private",
        sender_id=sender_id, sender_name=text_of(sender.get("display_name")),
        sender_is_bot=sender.get("is_bot") is True, date_ms=as_int(message.get("date")) or 0,
        text=text_of(message.get("text")) or text_of(message.get("caption")),
        photo_url=text_of(message.get("photo") or message.get("photo_url")),
        sticker=text_of(message.get("sticker")), voice_url=text_of(message.get("voice_url")), raw=dict(body))


def read_webhook_body(raw: bytes) -> ZaloBotUpdate:
    """The update in a webhook request body (check the secret header first: `secret_matches`)."""
    try:
        payload = json.loads(raw)
    except ValueError:
        raise ZaloBotUpdateError("webhook body is not JSON") from None
    if not isinstance(payload, Mapping):
        raise ZaloBotUpdateError("webhook body is not one JSON object")
    return parse_update(payload)


def check_secret(secret: str) -> str:
    """The webhook secret if usable: 8-256 characters (the platform's rule), printable ASCII without spaces
    (ours: it travels in an HTTP header); else ValueError. `secrets.token_urlsafe(32)` makes a good one."""
    if not 8 <= len(secret) <= 256 or not all(33 <= ord(char) <= 126 for char in secret):
        raise ValueError("the Zalo Bot webhook secret must be 8-256 printable ASCII characters, no spaces")
    return secret


def secret_matches(expected: str | bytes | None, received: str | bytes | None) -> bool:
    """True when the `X-Bot-Api-Secret-Token` header equals the secret (constant time; no secret, no match)."""
    if not expected or received is None:
        return False
    want = expected.encode() if isinstance(expected, str) else expected
    got = received.encode() if isinstance(received, str) else received
    return hmac.compare_digest(want, got)


def mapping(value: Any) -> Mapping[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def text_of(value: Any) -> str | None:
    """A scalar as stripped text (ids may come as numbers); None for missing, empty or structured values."""
    text = str(value).strip() if value is not None and not isinstance(value, Mapping | list) else ""
    return text or None


def as_int(value: Any) -> int | None:
    """An integer from a number or numeric string (codes may come as either); None otherwise."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
