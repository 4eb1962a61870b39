"""The OA access token: kept, refreshed before it expires, and never lost when Zalo rotates it.

Zalo refresh tokens are single-use. Once Zalo has answered a refresh, the old refresh token is dead, so
the new pair is saved through the `TokenStore` *before* anyone uses it; if saving fails we keep the pair
in memory, refuse to hand it out, and try saving again on the next call.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NoReturn, Protocol

from bot.zalo.errors import ZaloError, ZaloRefreshFailed

log = logging.getLogger(__name__)

Refresher = Callable[[str], Awaitable["TokenPair"]]
FailureCallback = Callable[[ZaloRefreshFailed], Awaitable[None] | None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class TokenPair:
    """An access token, the refresh token issued with it, and when the access token expires."""

    access_token: str
    refresh_token: str
    expires_at: datetime


class TokenStore(Protocol):
    """Where the current pair survives restarts. The app implements `save` atomically in its database."""

    async def load(self) -> TokenPair | None:
        """The last saved pair, or None before the OA was ever authorised."""
        ...

    async def save(self, pair: TokenPair) -> None:
        """Replace the stored pair; raise if it could not be made durable."""
        ...


class InMemoryTokenStore:
    """A `TokenStore` in a variable, for tests and the console channel."""

    def __init__(self, pair: TokenPair | None = None) -> None:
        self.pair = pair
        self.saved: list[TokenPair] = []

    async def load(self) -> TokenPair | None:
        """The pair held in memory."""
        return self.pair

    async def save(self, pair: TokenPair) -> None:
        """Keep `pair` and remember it in `saved`."""
        self.pair = pair
        self.saved.append(pair)


class TokenKeeper:
    """Hands out a valid access token, refreshing at most once at a time and saving before use."""

    def __init__(
        self,
        store: TokenStore,
        refresher: Refresher,
        *,
        margin: timedelta = timedelta(hours=1),
        on_failure: FailureCallback | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.refresher = refresher
        self.margin = margin
        self.on_failure = on_failure
        self.clock = clock
        self._pair: TokenPair | None = None
        self._unsaved: TokenPair | None = None
        self._lifetime: timedelta | None = None  # of the last pair we obtained; caps a too-wide margin
        self._lock = asyncio.Lock()

    async def access_token(self) -> str:
        """A token that will not expire within the margin, refreshing first if needed."""
        seen = self._pair
        if seen is not None and self._unsaved is None and not self._due(seen):
            return seen.access_token
        async with self._lock:
            pair = await self._current()
            replaced_meanwhile = seen is not None and pair.access_token != seen.access_token
            if self._due(pair) and not replaced_meanwhile:
                pair = await self._refresh(pair)
            return pair.access_token

    async def refresh_after_rejection(self, rejected: str) -> str:
        """Zalo refused `rejected`: refresh, unless another caller already replaced it meanwhile."""
        async with self._lock:
            pair = await self._current()
            if pair.access_token != rejected:
                return pair.access_token
            return (await self._refresh(pair)).access_token

    def _due(self, pair: TokenPair) -> bool:
        margin = self.margin if self._lifetime is None else min(self.margin, self._lifetime / 2)
        return self.clock() >= pair.expires_at - margin

    async def _current(self) -> TokenPair:
        """The freshest pair we know: a pending unsaved one, else the store's (another process may have refreshed)."""
        if self._unsaved is not None:
            await self._keep(self._unsaved)
            return self._unsaved_done()
        stored = await self.store.load()
        if stored is None:
            await self._fail(ZaloRefreshFailed("no Zalo tokens stored; the OA must be authorised first"))
        self._pair = stored
        return stored

    def _unsaved_done(self) -> TokenPair:
        pair, self._unsaved = self._unsaved, None
        assert pair is not None
        self._pair = pair
        return pair

    async def _refresh(self, old: TokenPair) -> TokenPair:
        try:
            new = await self.refresher(old.refresh_token)
        except ZaloError as error:
            await self._fail(ZaloRefreshFailed(f"refresh refused: {error}", error.code), error)
        log.info("zalo access token refreshed; expires at %s", new.expires_at.isoformat())
        self._lifetime = new.expires_at - self.clock()
        self._unsaved = new
        await self._keep(new)
        return self._unsaved_done()

    async def _keep(self, pair: TokenPair) -> None:
        """Save `pair`; on failure keep it pending (it is the only valid refresh token) and report."""
        try:
            await self.store.save(pair)
        except Exception as error:  # the store is the app's code; any failure means "not durable"
            log.critical("zalo token pair could not be saved; holding it in memory")
            await self._fail(ZaloRefreshFailed(f"new Zalo tokens could not be saved: {error}"), error)

    async def _fail(self, failure: ZaloRefreshFailed, cause: BaseException | None = None) -> NoReturn:
        if self.on_failure is not None:
            try:
                outcome = self.on_failure(failure)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:  # reporting must not hide the failure itself
                log.exception("zalo on_failure callback raised")
        raise failure from cause
