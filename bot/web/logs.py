"""Sign-in tokens never reach a log: the access log's paths have them cut out."""

from __future__ import annotations

import logging
import re

from bot.web.paths import PREFIX, SIGN_IN

TOKEN_IN_PATH = re.compile(re.escape(PREFIX + SIGN_IN.split("{")[0]) + r"[^\s\"?#]*")
HIDDEN = PREFIX + SIGN_IN.split("{")[0] + "…"
ACCESS_LOGGERS = ("uvicorn.access", "uvicorn.error")


def hide_tokens(text: str) -> str:
    """`/w/vao/…` instead of `/w/vao/<token>`."""
    return TOKEN_IN_PATH.sub(HIDDEN, text)


class HideSignInTokens(logging.Filter):
    """Rewrites a record's message and arguments (uvicorn passes the path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record, without the token."""
        if isinstance(record.msg, str):
            record.msg = hide_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_tokens(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    """Attach the filter to the web server's loggers (once)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideSignInTokens) for f in logger.filters):
            logger.addFilter(HideSignInTokens())
