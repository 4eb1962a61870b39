"""Fixtures: a running fake Zalo, and clients wired to it with tokens the fake issued."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.zalo.client import ZaloClient, ZaloConfig
from bot.zalo.tokens import InMemoryTokenStore, TokenPair, TokenStore
from tests.fakes.zalo_api import FakeZaloApi, IssuedTokens

USER = "2512523625412515"


@pytest.fixture
def fake() -> Iterator[FakeZaloApi]:
    """A fake Zalo on a free loopback port, for one test (access tokens live 25 h, as Zalo's)."""
    with FakeZaloApi() as server:
        yield server


def pair_of(issued: IssuedTokens) -> TokenPair:
    """The fake's tokens as the client stores them."""
    return TokenPair(
        issued.access_token, issued.refresh_token, datetime.fromtimestamp(issued.expires_at, UTC)
    )


def fake_clock(fake: FakeZaloApi) -> Callable[[], datetime]:
    """The client's clock following the fake's (so `fake.advance` ages tokens on both sides)."""
    return lambda: datetime.fromtimestamp(fake.now(), UTC)


@pytest.fixture
def store(fake: FakeZaloApi) -> InMemoryTokenStore:
    """A store holding a fresh pair issued by the fake."""
    return InMemoryTokenStore(pair_of(fake.issue_tokens()))


ClientFactory = Callable[..., ZaloClient]


@pytest.fixture
async def make_client(fake: FakeZaloApi, store: InMemoryTokenStore) -> AsyncIterator[ClientFactory]:
    """Build clients against the fake: `make_client(store=..., on_refresh_failure=..., **config)`."""
    clients: list[ZaloClient] = []

    def build(store_: TokenStore | None = None, on_refresh_failure: Any = None, **config: Any) -> ZaloClient:
        urls = {"api_base_url": fake.base_url, "oauth_base_url": fake.base_url, "zns_base_url": fake.base_url}
        settings = ZaloConfig(app_id=fake.app_id, app_secret=fake.app_secret, **{**urls, **config})
        client = ZaloClient(
            settings, store_ or store, on_refresh_failure=on_refresh_failure, clock=fake_clock(fake)
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(make_client: ClientFactory, fake: FakeZaloApi) -> ZaloClient:
    """A client whose user `USER` wrote to the OA a moment ago."""
    fake.user_wrote(USER)
    return make_client()
