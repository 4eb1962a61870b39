"""The Zalo token pair kept in the database, so a rotated single-use refresh token is never lost."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot import logsafe
from bot.tokenkey import cipher_from
from bot.zalo.tokens import TokenPair
from storage.models import ChannelToken

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
CHANNEL = "zalo"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class DatabaseTokenStore:
    """`TokenStore` on the `channel_tokens` table, encrypted with TOKEN_KEY; seeded once from ZALO_REFRESH_TOKEN.

    Built at start-up: a missing or malformed key, or one that does not open the stored tokens, stops the
    bot there with a one-line error (not at the first message); tokens stored in plain text by an earlier
    version are encrypted then.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        key = app.settings.token_key
        self.cipher = cipher_from(key.get_secret_value() if key else None)
        self._check_and_seal()

    def _check_and_seal(self) -> None:
        """Open the stored pair once (the key is right) and encrypt it if it was stored in plain text."""
        with self.app.uow() as uow:
            row = uow.session.get(ChannelToken, CHANNEL)
            if row is None:
                return
            plain = [self.cipher.open(v) for v in (row.access_token, row.refresh_token)]
            if not all(self.cipher.sealed(v) or not v for v in (row.access_token, row.refresh_token)):
                row.access_token, row.refresh_token = (self.cipher.seal(v) for v in plain)
                uow.commit()
                log.warning("the Zalo tokens stored in plain text are now encrypted with TOKEN_KEY")

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
                return TokenPair(self.cipher.open(row.access_token), self.cipher.open(row.refresh_token),
                                 row.expires_at)
        seed = self.app.settings.zalo_refresh_token
        return TokenPair("", seed.get_secret_value(), NEVER) if seed else None

    def _save(self, pair: TokenPair) -> None:
        with self.app.uow() as uow:
            row = uow.session.get(ChannelToken, CHANNEL)
            if row is None:
                row = ChannelToken(channel=CHANNEL, access_token="", refresh_token="", expires_at=NEVER)
                uow.session.add(row)
            row.access_token, row.refresh_token = self.cipher.seal(pair.access_token), self.cipher.seal(pair.refresh_token)
            row.expires_at = pair.expires_at
            row.updated_at = datetime.now(UTC)
            uow.commit()
