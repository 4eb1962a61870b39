"""Logging that never writes secrets: tokens and keys are replaced wherever they appear in a record."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote

REDACTED = "[redacted]"
# Telegram bot tokens look like 123456789:AA...; Bot API URLs carry them after /bot.
# A request line's path carries them percent-encoded (":" as %3A): that form is caught too.
TOKEN_PATTERN = re.compile(r"(?<!\d)\d{6,12}(?::|%3[Aa])[A-Za-z0-9_-]{20,}")
# A download link's token is the file's only key (bot.downloads): never in a log line either.
DOWNLOAD_PATTERN = re.compile(r"(/files/)[A-Za-z0-9_-]{16,}")


def _forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as written and percent-encoded (as it appears in a URL an access log line shows),
    longest first."""
    found = {s for s in secrets if s and len(s) >= 6}
    found |= {quote(s, safe="") for s in found} | {quote(s) for s in found}
    return sorted(found, key=len, reverse=True)


class SecretFilter(logging.Filter):
    """Replaces known secrets (and anything shaped like a bot token) in every record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = _forms(secrets)

    def redact(self, text: str) -> str:
        """The text without secrets."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return DOWNLOAD_PATTERN.sub(r"\1" + REDACTED, TOKEN_PATTERN.sub(REDACTED, text))

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (arguments merged) and its exception text."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.redact(message), None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """`LOG_FORMAT=json`: one JSON object a line (time in UTC, level, logger, message, exception), for a
    log collector. It formats what the handler's filters left: the secret filter has already redacted the
    message and the exception text."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def use_json(logger: logging.Logger | None = None) -> None:
    """Format every handler of the root logger (or `logger`) as JSON lines."""
    for handler in (logger or logging.getLogger()).handlers:
        handler.setFormatter(JsonFormatter())


class RepeatLimit(logging.Filter):
    """At most `per_minute` records with the same logger, level and first line of text a minute.

    A flood (accept() out of system resource, refused webhooks, closed slow connections) writes a few
    lines, not gigabytes; the first line let through after a quiet spell says how many were held back.
    """

    def __init__(self, per_minute: int = 10, window: float = 60.0) -> None:
        super().__init__()
        self.per_minute, self.window = per_minute, window
        self.seen: dict[tuple[str, int, str], list[float]] = {}  # key -> [window start, count, held back]

    exempt = frozenset({"uvicorn.access"})  # one template for every request: asked for (ACCESS_LOG), kept whole

    def filter(self, record: logging.LogRecord) -> bool:
        """True to let the record through."""
        if record.name in self.exempt:
            return True
        template = record.msg if isinstance(record.msg, str) else str(record.msg)
        key = (record.name, record.levelno, template.split("\n", 1)[0][:200])
        now = time.monotonic()
        entry = self.seen.get(key)
        if entry is None or now - entry[0] >= self.window:
            held = int(entry[2]) if entry else 0
            if len(self.seen) > 10_000:  # many distinct messages: forget the old windows
                self.seen = {k: v for k, v in self.seen.items() if now - v[0] < self.window}
            self.seen[key] = [now, 1, 0]
            if held:
                record.msg = f"{record.getMessage()} ({held} more like this in the last minute were not logged)"
                record.args = None
            return True
        if entry[1] < self.per_minute:
            entry[1] += 1
            return True
        entry[2] += 1
        return False


_INSTALLED: list[SecretFilter] = []


def install(secrets: Iterable[str], repeats_per_minute: int | None = None) -> SecretFilter:
    """Attach the filters to every handler of the root logger (records from all loggers pass there).

    With `repeats_per_minute`, identical lines are limited first (before the secret filter merges a
    record's arguments into its text, so lines differing only in their arguments count as identical).
    """
    flt = SecretFilter(secrets)
    limit = RepeatLimit(repeats_per_minute) if repeats_per_minute else None
    for handler in logging.getLogger().handlers:
        if limit is not None and not any(isinstance(f, RepeatLimit) for f in handler.filters):
            handler.addFilter(limit)
        handler.addFilter(flt)
    _INSTALLED.append(flt)
    return flt


def remember(*secrets: str) -> None:
    """Secrets learnt while running (Zalo's rotated tokens): redacted from now on by every installed filter."""
    for flt in _INSTALLED:
        flt.secrets = _forms([*flt.secrets, *secrets])
