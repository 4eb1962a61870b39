"""The Zalo token pair kept in the database, so a rotated single-use refresh token is never lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot import logsafe
from bot.zalo.tokens import TokenPair
from storage.models import ChannelToken

if TYPE_CHECKING:
    from bot.app import App

CHANNEL = "zalo"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class DatabaseTokenStore:
    """`TokenStore` on the `channel_tokens` table; seeded once from ZALO_REFRESH_TOKEN."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def load(self) -> TokenPair | None:
        """The stored pair; before the first refresh, the configured refresh token with an expired access token."""
        pair = await asyncio.to_thread(self._load)
        if pair is not None:
            logsafe.remember(pair.access_token, pair.refresh_token)
        return pair

    async def save(self, pair: TokenPair) -> None:
        """Replace the pair in its own committed transaction (raises if the database refuses)."""
        logsafe.remember(pair.access_token, pair.refresh_token)  # never in a log line from now on
        await asyncio.to_thread(self._save, pair)

    def _load(self) -> TokenPair | None:
        with self.app.uow() as uow:
            row = uow.session.get(ChannelToken, CHANNEL)
            if row is not None:
                return TokenPair(row.access_token, row.refresh_token, row.expires_at)
        seed = self.app.settings.zalo_refresh_token
        return TokenPair("", seed.get_secret_value(), NEVER) if seed else None

    def _save(self, pair: TokenPair) -> None:
        with self.app.uow() as uow:
            row = uow.session.get(ChannelToken, CHANNEL)
            if row is None:
                row = ChannelToken(channel=CHANNEL, access_token="", refresh_token="", expires_at=NEVER)
                uow.session.add(row)
            row.access_token, row.refresh_token, row.expires_at = pair.access_token, pair.refresh_token, pair.expires_at
            row.updated_at = datetime.now(UTC)
            uow.commit()
