"""Replies as stored in the outbox: neutral messages to JSON and back (attachments kept as bytes)."""

from __future__ import annotations

from typing import Any

from conversations.messages import Button, DocumentOut, ImageOut, Reply, TextOut


def to_payload(reply: Reply) -> tuple[dict[str, Any], bytes | None]:
    """JSON-able payload and the attachment bytes of a reply."""
    if isinstance(reply, TextOut):
        rows = [[{"label": b.label, "data": b.data} for b in row] for row in reply.buttons]
        return {"type": "text", "text": reply.text, "title": reply.title, "buttons": rows}, None
    if isinstance(reply, DocumentOut):
        return {"type": "document", "filename": reply.filename, "caption": reply.caption}, reply.data
    return {"type": "image", "filename": reply.filename, "caption": reply.caption}, reply.data


def from_payload(payload: dict[str, Any], attachment: bytes | None) -> Reply:
    """Rebuild the reply a payload was made from."""
    kind = payload.get("type")
    if kind == "document":
        return DocumentOut(payload["filename"], attachment or b"", payload.get("caption", ""))
    if kind == "image":
        return ImageOut(attachment or b"", payload.get("caption", ""), payload.get("filename", "chart.png"))
    rows = tuple(tuple(Button(b["label"], b["data"]) for b in row) for row in payload.get("buttons", []))
    return TextOut(payload.get("text", ""), payload.get("title"), rows)
