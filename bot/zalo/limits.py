"""Zalo's size limits (see NOTES.md) and the helpers that cut our replies to fit them."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TypeVar

TEXT_LIMIT = 2000  # characters in one message text
MAX_BUTTONS = 5  # buttons in one message
PAYLOAD_LIMIT = 1000  # characters in an oa.query.* payload
IMAGE_MAX_BYTES = 1024 * 1024
FILE_MAX_BYTES = 5 * 1024 * 1024

T = TypeVar("T")
_SEPARATORS = ("\n\n", "\n", " ")


def size(text: str) -> int:
    """Length in UTF-16 code units: never less than the character count, so safe whichever Zalo counts."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut `text` into pieces of at most `limit`, preferring paragraph, then line, then word boundaries."""
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return []
    pieces = _split(text, limit, _SEPARATORS)
    return [piece.strip() for piece in pieces if piece.strip()]


def _split(text: str, limit: int, separators: Sequence[str]) -> list[str]:
    if size(text) <= limit:
        return [text]
    if not separators:
        return _hard_cut(text, limit)
    separator, finer = separators[0], separators[1:]
    chunks: list[str] = []
    current = ""
    for part in text.split(separator):
        for piece in _split(part, limit, finer):
            joined = f"{current}{separator}{piece}" if current else piece
            if size(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    """Last resort for a single word longer than the limit: cut between characters."""
    chunks: list[str] = []
    current = ""
    for char in text:
        if size(current + char) > limit:
            chunks.append(current)
            current = ""
        current += char
    return [*chunks, current] if current else chunks


def batches(items: Sequence[T], per_batch: int = MAX_BUTTONS) -> list[list[T]]:
    """`items` in consecutive groups of at most `per_batch` (one group per message)."""
    return [list(items[start : start + per_batch]) for start in range(0, len(items), per_batch)]
