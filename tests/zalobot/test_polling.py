"""`poll_forever` against the fake: order, empty polls, outages, a refused token, and updates never dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.zalo_bot.client import ZaloBotClient, poll_forever
from bot.zalo_bot.updates import ZaloBotUpdate
from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.zalobot.conftest import new_user


class Recorder:
    """Takes updates (optionally refusing the first few) and records the pauses the loop asks for."""

    def __init__(self, refuse: int = 0) -> None:
        self.taken: list[ZaloBotUpdate] = []
        self.offered = 0
        self.refuse = refuse
        self.pauses: list[float] = []

    async def take(self, update: ZaloBotUpdate) -> None:
        self.offered += 1
        if self.offered <= self.refuse:
            raise RuntimeError("database unavailable")
        self.taken.append(update)

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        await asyncio.sleep(0)


async def run_until(client: ZaloBotClient, recorder: Recorder, done: Callable[[], bool], timeout: float = 0.1) -> None:
    """Run the loop until `done()`, then cancel it (fails after 10 s of waiting)."""
    task = asyncio.create_task(poll_forever(client, recorder.take, timeout=timeout, sleep=recorder.sleep))
    try:
        for _ in range(1000):
            if done():
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"loop never got there: taken {len(recorder.taken)}, pauses {recorder.pauses}")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_updates_are_taken_in_the_order_people_typed(client: ZaloBotClient,
                                                           fake_zalo_bot: FakeZaloBotApi) -> None:
    users = [new_user(), new_user()]
    typed = [fake_zalo_bot.user_sends_text(users[n % 2], f"tin {n}") for n in range(4)]
    recorder = Recorder()
    await run_until(client, recorder, lambda: len(recorder.taken) == 4)
    assert [u.raw for u in recorder.taken] == typed
    assert recorder.pauses == []


async def test_empty_polls_go_straight_on(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    fake_zalo_bot.poll_timeouts_as_http_408()
    recorder = Recorder()
    await run_until(client, recorder, lambda: len(fake_zalo_bot.calls("getUpdates")) >= 3, timeout=0.05)
    assert recorder.pauses == [] and recorder.taken == []


async def test_an_outage_backs_off_then_resumes(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    fake_zalo_bot.user_sends_text(new_user(), "sau sự cố")
    fake_zalo_bot.fail_with(503, times=3, methods="getUpdates")
    recorder = Recorder()
    await run_until(client, recorder, lambda: len(recorder.taken) == 1)
    assert recorder.pauses == [1.0, 2.0, 4.0]
    assert recorder.taken[0].text == "sau sự cố"


async def test_a_dropped_poll_is_retried(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    fake_zalo_bot.drop_connections(after_work=False, methods="getUpdates")
    fake_zalo_bot.user_sends_text(new_user(), "vẫn còn")
    recorder = Recorder()
    await run_until(client, recorder, lambda: len(recorder.taken) == 1)
    assert recorder.pauses == [1.0] and recorder.taken[0].text == "vẫn còn"


async def test_a_refused_token_is_retried_only_once_a_minute(fake_zalo_bot: FakeZaloBotApi) -> None:
    recorder = Recorder()
    async with ZaloBotClient("123456:revoked-token", fake_zalo_bot.base_url) as revoked:
        await run_until(revoked, recorder, lambda: len(recorder.pauses) >= 2)
    assert set(recorder.pauses) == {60.0}


async def test_an_update_that_cannot_be_stored_is_offered_again_not_dropped(
        client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    first = fake_zalo_bot.user_sends_text(new_user(), "đừng mất")
    second = fake_zalo_bot.user_sends_text(new_user(), "sau đó")
    recorder = Recorder(refuse=2)
    await run_until(client, recorder, lambda: len(recorder.taken) == 2)
    assert recorder.offered == 4 and recorder.pauses == [1.0, 2.0]
    assert [u.raw for u in recorder.taken] == [first, second]
