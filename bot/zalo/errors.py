"""Typed Zalo failures, and the table that turns Zalo's numeric `error` codes into them (see NOTES.md)."""

from __future__ import annotations


class ZaloError(Exception):
    """A call Zalo refused, or that could not be made. `code` is Zalo's `error` field when there is one."""

    retryable = False

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message if code is None else f"{message} (Zalo error {code})")
        self.code = code
        self.detail = message


class ZaloTokenExpired(ZaloError):
    """The access token was refused (expired, revoked or invalid); a refresh may cure it."""


class ZaloOutsideWindow(ZaloError):
    """The user cannot get a consultation message: no interaction within 7 days, or not reachable."""


class ZaloRateLimited(ZaloError):
    """Too many calls this minute (Zalo -32 or HTTP 429); try again later."""

    retryable = True


class ZaloUnavailable(ZaloError):
    """Zalo did not answer usefully: timeout, connection failure or HTTP 5xx. Safe to retry later."""

    retryable = True


class ZaloRefreshFailed(ZaloError):
    """The refresh token was refused or the new pair could not be kept; an admin must step in."""


TOKEN_CODES = frozenset({-216, -220, -124})
WINDOW_CODES = frozenset({-213, -230, -232})
RATE_LIMIT_CODES = frozenset({-32})


def error_for(code: int, message: str) -> ZaloError:
    """The typed exception for a non-zero Zalo `error` code."""
    if code in TOKEN_CODES:
        return ZaloTokenExpired(message, code)
    if code in WINDOW_CODES:
        return ZaloOutsideWindow(message, code)
    if code in RATE_LIMIT_CODES:
        return ZaloRateLimited(message, code)
    return ZaloError(message, code)
