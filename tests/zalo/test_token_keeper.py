"""TokenKeeper on its own: when it refreshes, how it serialises, and that it saves before use."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.zalo.errors import ZaloError, ZaloRefreshFailed
from bot.zalo.tokens import InMemoryTokenStore, TokenKeeper, TokenPair

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class CountingRefresher:
    """Issues `A<n>`/`R<n>` pairs valid for 25 h; refuses any refresh token it did not issue last."""

    def __init__(self, clock: ManualClock, delay: float = 0.0) -> None:
        self.clock, self.delay = clock, delay
        self.used: list[str] = []
        self.valid = "R0"

    async def __call__(self, refresh_token: str) -> TokenPair:
        await asyncio.sleep(self.delay)
        if refresh_token != self.valid:
            raise ZaloError("Invalid refresh token", -14014)
        self.used.append(refresh_token)
        self.valid = f"R{len(self.used)}"
        return TokenPair(f"A{len(self.used)}", self.valid, self.clock() + timedelta(hours=25))


def keeper_with(pair: TokenPair, clock: ManualClock, refresher: CountingRefresher, **options: object):
    store = InMemoryTokenStore(pair)
    return store, TokenKeeper(store, refresher, margin=timedelta(hours=1), clock=clock, **options)  # type: ignore[arg-type]


async def test_fresh_token_is_used_as_is() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock)
    _, keeper = keeper_with(TokenPair("A0", "R0", T0 + timedelta(hours=25)), clock, refresher)
    assert await keeper.access_token() == "A0"
    assert refresher.used == []


async def test_refreshes_once_inside_the_margin_and_saves_first() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock)
    store, keeper = keeper_with(TokenPair("A0", "R0", T0 + timedelta(hours=25)), clock, refresher)
    clock.now = T0 + timedelta(hours=24, minutes=1)
    assert await keeper.access_token() == "A1"
    assert await keeper.access_token() == "A1"
    assert refresher.used == ["R0"]
    assert [pair.access_token for pair in store.saved] == ["A1"]


async def test_concurrent_callers_share_one_refresh() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock, delay=0.05)
    _, keeper = keeper_with(TokenPair("A0", "R0", T0), clock, refresher)
    tokens = await asyncio.gather(*(keeper.access_token() for _ in range(20)))
    assert set(tokens) == {"A1"}
    assert refresher.used == ["R0"]


async def test_rejection_refreshes_only_the_rejected_token() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock, delay=0.02)
    _, keeper = keeper_with(TokenPair("A0", "R0", T0 + timedelta(hours=25)), clock, refresher)
    first, second = await asyncio.gather(
        keeper.refresh_after_rejection("A0"), keeper.refresh_after_rejection("A0")
    )
    assert first == second == "A1"
    assert refresher.used == ["R0"]


async def test_pair_refreshed_by_another_process_is_picked_up() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock)
    store, keeper = keeper_with(TokenPair("A0", "R0", T0 + timedelta(hours=2)), clock, refresher)
    assert await keeper.access_token() == "A0"
    store.pair = TokenPair("B9", "S9", T0 + timedelta(hours=25))  # written by a sibling worker
    clock.now = T0 + timedelta(hours=1, minutes=30)
    assert await keeper.access_token() == "B9"
    assert refresher.used == []


async def test_failed_refresh_raises_and_reports() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock)
    reports: list[ZaloRefreshFailed] = []
    _, keeper = keeper_with(TokenPair("A0", "stale", T0), clock, refresher, on_failure=reports.append)
    with pytest.raises(ZaloRefreshFailed) as raised:
        await keeper.access_token()
    assert reports == [raised.value]
    assert raised.value.code == -14014


async def test_async_failure_callback_is_awaited() -> None:
    clock = ManualClock()
    reports: list[ZaloRefreshFailed] = []

    async def report(failure: ZaloRefreshFailed) -> None:
        reports.append(failure)

    keeper = TokenKeeper(InMemoryTokenStore(), CountingRefresher(clock), on_failure=report, clock=clock)
    with pytest.raises(ZaloRefreshFailed, match="no Zalo tokens stored"):
        await keeper.access_token()
    assert len(reports) == 1


class FlakyStore(InMemoryTokenStore):
    """Fails to save the first `failures` times."""

    def __init__(self, pair: TokenPair, failures: int) -> None:
        super().__init__(pair)
        self.failures = failures

    async def save(self, pair: TokenPair) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("database unavailable")
        await super().save(pair)


async def test_unsaved_pair_is_withheld_then_saved_and_used_without_a_second_refresh() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock)
    store = FlakyStore(TokenPair("A0", "R0", T0), failures=1)
    reports: list[ZaloRefreshFailed] = []
    keeper = TokenKeeper(store, refresher, clock=clock, on_failure=reports.append)
    with pytest.raises(ZaloRefreshFailed, match="could not be saved"):
        await keeper.access_token()
    assert store.pair is not None and store.pair.access_token == "A0"
    assert await keeper.access_token() == "A1"
    assert store.pair.access_token == "A1"
    assert refresher.used == ["R0"]
    assert len(reports) == 1


async def test_margin_wider_than_the_lifetime_does_not_refresh_in_a_loop() -> None:
    clock = ManualClock()
    refresher = CountingRefresher(clock, delay=0.01)  # issues 25 h tokens
    store = InMemoryTokenStore(TokenPair("A0", "R0", T0))
    keeper = TokenKeeper(store, refresher, margin=timedelta(hours=30), clock=clock)
    assert set(await asyncio.gather(*(keeper.access_token() for _ in range(5)))) == {"A1"}
    assert await keeper.access_token() == "A1"
    assert refresher.used == ["R0"]
    clock.now = T0 + timedelta(hours=13)  # past half the lifetime: the capped margin applies
    assert await keeper.access_token() == "A2"
