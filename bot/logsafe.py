"""Logging that never writes secrets: tokens and keys are replaced wherever they appear in a record."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
# Telegram bot tokens look like 123456789:AA...; Bot API URLs carry them after /bot.
TOKEN_PATTERN = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{20,}")


class SecretFilter(logging.Filter):
    """Replaces known secrets (and anything shaped like a bot token) in every record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text without secrets."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (arguments merged) and its exception text."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.redact(message), None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


_INSTALLED: list[SecretFilter] = []


def install(secrets: Iterable[str]) -> SecretFilter:
    """Attach the filter to every handler of the root logger (records from all loggers pass there)."""
    flt = SecretFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(flt)
    _INSTALLED.append(flt)
    return flt


def remember(*secrets: str) -> None:
    """Secrets learnt while running (Zalo's rotated tokens): redacted from now on by every installed filter."""
    for flt in _INSTALLED:
        flt.secrets = sorted({*flt.secrets, *(s for s in secrets if s and len(s) >= 6)}, key=len, reverse=True)
