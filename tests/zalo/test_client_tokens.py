"""Token handling end to end: the client refreshes through the fake, which enforces single use."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.zalo.client import ZaloClient, ZaloConfig
from bot.zalo.errors import ZaloRefreshFailed, ZaloTokenExpired
from bot.zalo.tokens import InMemoryTokenStore, TokenPair
from tests.fakes.zalo_api import FakeZaloApi
from tests.zalo.conftest import USER, ClientFactory

CS = "/v3.0/oa/message/cs"
TOKEN = "/v4/oa/access_token"


class WatchingStore(InMemoryTokenStore):
    """Notes how many messages the fake had received at each save (to prove save-before-use)."""

    def __init__(self, pair: TokenPair, fake: FakeZaloApi) -> None:
        super().__init__(pair)
        self.fake = fake
        self.cs_calls_at_save: list[int] = []

    async def save(self, pair: TokenPair) -> None:
        self.cs_calls_at_save.append(len(self.fake.calls_to(CS)))
        await super().save(pair)


async def test_token_is_refreshed_before_expiry_and_saved_before_use(
    make_client: ClientFactory, fake: FakeZaloApi, store: InMemoryTokenStore
) -> None:
    assert store.pair is not None
    watching = WatchingStore(store.pair, fake)
    fake.user_wrote(USER)
    client = make_client(watching, refresh_margin=timedelta(minutes=10))
    await client.send_text(USER, "một")
    fake.advance(90000 - 300)  # five minutes before expiry: inside the margin
    await client.send_text(USER, "hai")
    assert len(fake.calls_to(TOKEN)) == 1
    assert watching.cs_calls_at_save == [1]  # saved after message one, before message two
    new = watching.pair
    assert new is not None and new.access_token != store.pair.access_token
    assert [call.headers["access_token"] for call in fake.calls_to(CS)][-1] == new.access_token
    lifetime = new.expires_at - datetime.fromtimestamp(fake.now(), UTC)
    assert lifetime.total_seconds() == pytest.approx(90000, abs=5)


async def test_expired_token_error_refreshes_once_and_retries(
    make_client: ClientFactory, fake: FakeZaloApi, store: InMemoryTokenStore
) -> None:
    assert store.pair is not None
    old = store.pair
    store.pair = TokenPair(
        old.access_token, old.refresh_token, old.expires_at + timedelta(days=30)
    )  # we think it's fine
    fake.user_wrote(USER)
    fake.advance(90001)  # Zalo knows better
    assert await make_client().send_text(USER, "vẫn đến nơi")
    assert [len(fake.calls_to(CS)), len(fake.calls_to(TOKEN))] == [2, 1]
    assert fake.sent_to(USER) == [{"text": "vẫn đến nơi"}]
    with pytest.raises(ZaloRefreshFailed) as raised:  # the used refresh token is dead now
        await make_client().refresh_tokens(old.refresh_token)
    assert raised.value.code == -14014


async def test_concurrent_sends_share_a_single_refresh(make_client: ClientFactory, fake: FakeZaloApi) -> None:
    fake.user_wrote(USER)
    fake.advance(90000)
    client = make_client()
    await asyncio.gather(*(client.send_text(USER, f"tin {n}") for n in range(10)))
    assert len(fake.calls_to(TOKEN)) == 1
    assert len(fake.sent_to(USER)) == 10


async def test_failed_refresh_raises_and_calls_on_failure(
    make_client: ClientFactory, fake: FakeZaloApi
) -> None:
    reports: list[ZaloRefreshFailed] = []
    dead = InMemoryTokenStore(
        TokenPair("old-access", "revoked-refresh", datetime.fromtimestamp(fake.now(), UTC))
    )
    fake.user_wrote(USER)
    with pytest.raises(ZaloRefreshFailed) as raised:
        await make_client(dead, on_refresh_failure=reports.append).send_text(USER, "x")
    assert reports == [raised.value]
    assert fake.calls_to(CS) == []
    assert dead.saved == []


async def test_refresh_during_an_outage_is_a_refresh_failure(
    make_client: ClientFactory, fake: FakeZaloApi
) -> None:
    reports: list[ZaloRefreshFailed] = []
    fake.user_wrote(USER)
    fake.advance(90000)
    fake.fail_with(503, for_seconds=5)
    with pytest.raises(ZaloRefreshFailed, match="503"):
        await make_client(on_refresh_failure=reports.append).send_text(USER, "x")
    assert len(reports) == 1


async def test_missing_expires_in_means_zalos_25_hours() -> None:
    def zalo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "A2", "refresh_token": "R2"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(zalo)) as http:
        client = ZaloClient(ZaloConfig("app", "secret"), InMemoryTokenStore(), http=http)
        pair = await client.refresh_tokens("R1")
    assert (pair.expires_at - client.clock()).total_seconds() == pytest.approx(90000, abs=5)


async def test_oauth_error_body_is_a_refresh_failure() -> None:
    def zalo(request: httpx.Request) -> httpx.Response:
        assert request.headers["secret_key"] == "secret"
        assert dict(httpx.QueryParams(request.content.decode())) == {
            "app_id": "app",
            "grant_type": "refresh_token",
            "refresh_token": "R1",
        }
        return httpx.Response(200, json={"error_name": "Invalid refresh token", "error_reason": ""})

    async with httpx.AsyncClient(transport=httpx.MockTransport(zalo)) as http:
        client = ZaloClient(ZaloConfig("app", "secret"), InMemoryTokenStore(), http=http)
        with pytest.raises(ZaloRefreshFailed, match="Invalid refresh token"):
            await client.refresh_tokens("R1")


async def test_refresh_parses_string_expires_in(
    make_client: ClientFactory, store: InMemoryTokenStore
) -> None:
    assert store.pair is not None
    client = make_client()
    pair = await client.refresh_tokens(store.pair.refresh_token)
    assert pair.refresh_token != store.pair.refresh_token
    assert (pair.expires_at - client.clock()).total_seconds() == pytest.approx(90000, abs=5)


async def test_a_second_token_refusal_is_not_retried_again() -> None:
    """With Zalo refusing every token, the client refreshes once, retries once, then gives up."""
    hits = {CS: 0, TOKEN: 0}

    def zalo(request: httpx.Request) -> httpx.Response:
        hits[request.url.path] += 1
        if request.url.path == TOKEN:
            return httpx.Response(
                200, json={"access_token": "A2", "refresh_token": "R2", "expires_in": "90000"}
            )
        return httpx.Response(200, json={"error": -220, "message": "access_token is expired or removed"})

    far = datetime.now(UTC) + timedelta(days=1)
    http = httpx.AsyncClient(transport=httpx.MockTransport(zalo))
    client = ZaloClient(
        ZaloConfig("app", "secret"), InMemoryTokenStore(TokenPair("A1", "R1", far)), http=http
    )
    with pytest.raises(ZaloTokenExpired):
        await client.send_text(USER, "x")
    assert hits == {CS: 2, TOKEN: 1}
    await http.aclose()
