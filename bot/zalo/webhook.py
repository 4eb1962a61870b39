"""Pure helpers for Zalo's webhook: check the signature, read an event, key it for replay detection.

The app's web server reads the raw body, verifies it with `verify_signature` (using the body's own
`timestamp`), answers 200 at once, and hands `parse_event(json)` to the channel.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SIGNATURE_HEADER = "X-ZEvent-Signature"


class ZaloEventError(ValueError):
    """A webhook body that is not a Zalo event we can read (missing name or user)."""


@dataclass(frozen=True)
class Attachment:
    """One item of `message.attachments`: an image, file, sticker, link, location..."""

    kind: str
    url: str | None = None
    name: str | None = None
    size: int | None = None
    thumbnail: str | None = None


@dataclass(frozen=True)
class ZaloEvent:
    """One webhook event, reduced to what a channel needs. `user_id` is the Zalo user, never the OA."""

    event_name: str
    user_id: str
    timestamp: int  # milliseconds since the epoch, as Zalo sends it
    text: str | None = None
    msg_id: str | None = None
    oa_id: str | None = None
    attachments: tuple[Attachment, ...] = ()
    info: Mapping[str, Any] = field(default_factory=dict, hash=False)  # user_submit_info answers

    @property
    def from_user(self) -> bool:
        """True for what the user did (messages, follow, form); False for the OA's own echoes."""
        return not self.event_name.startswith("oa_")


def expected_signature(raw_body: bytes, app_id: str, oa_secret_key: str, timestamp: str) -> str:
    """`mac=` + sha256(app_id + body + timestamp + key): a plain digest of the concatenation, not an HMAC."""
    digest = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode())
    return "mac=" + digest.hexdigest()


def verify_signature(
    raw_body: bytes, header: str | None, app_id: str, oa_secret_key: str, timestamp: str
) -> bool:
    """True when the `X-ZEvent-Signature` header matches the body (constant-time comparison)."""
    if not header or not oa_secret_key or not app_id:
        return False
    given = header.strip().lower()
    given = given if given.startswith("mac=") else "mac=" + given
    expected = expected_signature(raw_body, app_id, oa_secret_key, timestamp)
    return hmac.compare_digest(given.encode(), expected.encode())


def parse_event(raw: Mapping[str, Any]) -> ZaloEvent:
    """Read a decoded webhook body into a `ZaloEvent`; raise `ZaloEventError` if it lacks a name or user."""
    name = raw.get("event_name")
    if not isinstance(name, str) or not name:
        raise ZaloEventError("webhook body has no event_name")
    user_id = _user_of(name, raw)
    if not user_id:
        raise ZaloEventError(f"{name} event names no user")
    message = raw.get("message") if isinstance(raw.get("message"), Mapping) else {}
    return ZaloEvent(
        event_name=name,
        user_id=user_id,
        timestamp=_int(raw.get("timestamp")) or 0,
        text=_str(message.get("text")),
        msg_id=_str(message.get("msg_id")),
        oa_id=_oa_of(name, raw),
        attachments=tuple(_attachment(item) for item in _attachment_list(raw, message)),
        info=dict(raw["info"]) if isinstance(raw.get("info"), Mapping) else {},
    )


def event_key(event: ZaloEvent) -> str:
    """A key equal for a retried delivery and different for distinct events: msg_id, else user and time."""
    if event.msg_id:
        return f"{event.event_name}:{event.msg_id}"
    return f"{event.event_name}:{event.user_id}:{event.timestamp}"


def _user_of(name: str, raw: Mapping[str, Any]) -> str | None:
    if name in ("follow", "unfollow"):
        return _id(raw.get("follower"))
    if name.startswith("oa_"):  # the OA wrote to the user: the user is the recipient
        return _id(raw.get("recipient"))
    return _id(raw.get("sender")) or _str(raw.get("user_id"))


def _oa_of(name: str, raw: Mapping[str, Any]) -> str | None:
    if raw.get("oa_id"):
        return _str(raw.get("oa_id"))
    return _id(raw.get("sender") if name.startswith("oa_") else raw.get("recipient"))


def _attachment_list(raw: Mapping[str, Any], message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = message.get("attachments") or raw.get("attachments") or []
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def _attachment(item: Mapping[str, Any]) -> Attachment:
    payload = item.get("payload") if isinstance(item.get("payload"), Mapping) else {}
    return Attachment(
        kind=str(item.get("type") or "unknown").lower(),
        url=_str(payload.get("url")),
        name=_str(payload.get("name")),
        size=_int(payload.get("size")),
        thumbnail=_str(payload.get("thumbnail")),
    )


def _id(party: object) -> str | None:
    return _str(party.get("id")) if isinstance(party, Mapping) else None


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
