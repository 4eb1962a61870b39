"""Cleaning typed text: invisible characters, full-width digits, loose diacritics, stray punctuation."""

from __future__ import annotations

import unicodedata

_LINE_BREAKS = "\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\u29f8"
_SYMBOLS = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SLASHES, "/")})
_OUTER_PUNCTUATION = " .!?…\"'`“”‘’«»"
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def _visible(char: str) -> str:
    """The character itself, a space for a line break, or nothing for an invisible one."""
    category = unicodedata.category(char)
    if char in _LINE_BREAKS:
        return " "
    return "" if category in ("Cc", "Cf", "Cs") else char


def normalise(text: str) -> str:
    """NFKC (full-width digits), strip control/zero-width/RTL marks, collapse spaces."""
    visible = "".join(_visible(c) for c in text)
    composed = unicodedata.normalize("NFKC", visible)
    return " ".join("".join(_visible(c) for c in composed).split())


def _fold_char(char: str) -> str:
    """One character folded to one character: lower-case, without its diacritics."""
    if char in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    base = base if len(base) == 1 else char
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ->d): for matching keywords typed loosely.

    One character out per character of the NFC text, so spans found in the fold are spans of the text.
    """
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def tidy(text: str) -> str:
    """Unify dashes and slashes, drop quotes and sentence punctuation around a short answer."""
    return text.translate(_SYMBOLS).strip(_OUTER_PUNCTUATION)


def has_content(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only emoji or punctuation)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def clean_text(text: str) -> str:
    """A free-text answer as typed, minus control characters, with the ends stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = (c for c in text if _kept_in_free_text(c))
    return "".join(kept).strip()


def _kept_in_free_text(char: str) -> bool:
    """Keep line breaks and tabs, drop other control characters, direction overrides and surrogates."""
    if char in "\n\t":
        return True
    return unicodedata.category(char) not in ("Cc", "Cs") and char not in _BIDI_CONTROLS


def shorten(text: str, limit: int = 40) -> str:
    """The text cut to about `limit` characters, at a word boundary when one is near, for quoting back."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head, space, _ = cut.rpartition(" ")
    return (head if space and len(head) > limit // 2 else cut).rstrip() + "…"


def echo(text: str, limit: int = 40) -> str:
    """Something a person typed, made safe to quote back in a reply: one line, visible, short."""
    return shorten(normalise(text), limit)
