"""Reading numbers the way people type them: 1.234,5 / 12.5 / 1,234.5 / 1 234 / １２ / 12,5%."""

from __future__ import annotations

import re
from decimal import Decimal

from .text import normalise, tidy

MAX_SIGNIFICANT = 15
MAX_DIGITS = 40
DECIMAL_MARK = {"vi": ",", "en": "."}

_SIGNED = re.compile(r"([+-]?)\s*(.*)", re.ASCII | re.DOTALL)
_PLAIN = re.compile(r"\d+(?:[.,]\d+)*", re.ASCII)
_SPACE_GROUPED = re.compile(r"[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)


class NotANumber(ValueError):
    """The text is not a number in any spelling we accept."""


class TooManyDigits(ValueError):
    """The text is a number, but absurdly long (more than MAX_SIGNIFICANT significant digits)."""


def split_percent(text: str) -> tuple[str, bool]:
    """Strip one trailing percent sign: "12,5 %" -> ("12,5", True)."""
    text = text.strip()
    if text.endswith("%"):
        return text[:-1].rstrip(), True
    return text, False


def _is_grouped(body: str, mark: str) -> bool:
    """True when `mark` separates thousands in `body`: 1.234 / 12.345.678 (not 0.123, not 1234.567)."""
    return re.fullmatch(rf"[1-9]\d{{0,2}}(?:{re.escape(mark)}\d{{3}})+", body, re.ASCII) is not None


def _one_kind(body: str, mark: str, count: int, lang: str) -> str:
    """Canonical digits when only one kind of separator was typed."""
    grouped = _is_grouped(body, mark)
    if count > 1 and not grouped:
        raise NotANumber(body)
    if count > 1 or (grouped and mark != DECIMAL_MARK.get(lang, ",")):
        return body.replace(mark, "")
    return body.replace(mark, ".")


def _both_kinds(body: str) -> str:
    """Canonical digits when dots and commas were both typed: the last one is the decimal separator."""
    cut = max(body.rfind("."), body.rfind(","))
    whole, decimal_mark, fraction = body[:cut], body[cut], body[cut + 1 :]
    group_mark = "," if decimal_mark == "." else "."
    if decimal_mark in whole or not _is_grouped(whole, group_mark):
        raise NotANumber(body)
    return whole.replace(group_mark, "") + "." + fraction


def _canonical(body: str, lang: str) -> str:
    """The digits of `body` with a single "." as decimal point, or NotANumber."""
    if " " in body:
        if not _SPACE_GROUPED.fullmatch(body):
            raise NotANumber(body)
        return body.replace(" ", "").replace(",", ".")
    if not _PLAIN.fullmatch(body):
        raise NotANumber(body)
    marks = [c for c in body if c in ".,"]
    if not marks:
        return body
    if len(set(marks)) == 2:
        return _both_kinds(body)
    return _one_kind(body, marks[0], len(marks), lang)


def _trimmed(digits: str) -> str:
    """Canonical digits without trailing zeros after the decimal point; TooManyDigits if absurd."""
    whole, _, fraction = digits.partition(".")
    fraction = fraction.rstrip("0")
    significant = (whole + fraction).lstrip("0")
    if len(whole) + len(fraction) > MAX_DIGITS or len(significant) > MAX_SIGNIFICANT:
        raise TooManyDigits(digits)
    return f"{whole}.{fraction}" if fraction else whole


def scan_number(text: str, lang: str = "vi") -> Decimal:
    """The number spelled by `text` (no percent sign); raise NotANumber or TooManyDigits."""
    match = _SIGNED.fullmatch(text.strip())
    sign, body = match.groups() if match else ("", text)
    value = Decimal(sign + _trimmed(_canonical(body, lang)))
    return value.copy_abs() if value == 0 else value


def parse_number(text: str, lang: str = "vi") -> Decimal | None:
    """A Vietnamese number (1.234,5; 12.5; 1,234.5; 1 234; １２; trailing %), or None if it is not one."""
    body, _ = split_percent(tidy(normalise(text)))
    try:
        return scan_number(body, lang)
    except ValueError:
        return None
