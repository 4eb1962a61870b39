"""`GET /metrics` (Prometheus text format) over HTTP while a focal person submits through the fake Bot API."""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.scheduler import ReminderScheduler
from conversations.invites import canonical
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.clock import vn
from tests.helpers.server import running_server
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app
from tests.reminders.world import Bot, add_person

USER = 7301


async def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with httpx.AsyncClient() as client:
        response = await client.get(base + "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def tg(name: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return name, (("channel", "telegram"),)


def plain(name: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return name, ()


async def test_metrics_move_during_a_submission(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    code = invite(app, "QUANGTRI", name="Lê Thị B")
    lan = TelegramUser(fake_telegram, USER)
    try:
        async with running_bot(app) as channel, running_server(app, telegram=channel) as base:
            before = await scrape(base)
            for name in ("chitieu_outbox_backlog", "chitieu_outbox_oldest_unsent_seconds", "chitieu_inbox_pending",
                         "chitieu_inbox_lag_seconds", "chitieu_reminder_passes_total"):
                assert plain(name) in before, name
            fake_telegram.user_sends_command(USER, "start", canonical(code))
            await fake_telegram.wait_for_messages_async(USER, 1)
            await lan.say("/nop")
            await lan.press("2026-Q4")
            await lan.say("65/30")  # not valid: still a turn and a reply
            saved = await lan.say("62%/38%")
            assert saved.text
            # a reply is counted once the Bot API has answered its sendMessage, a moment after the fake got it
            sent_key = tg("chitieu_replies_sent_total")
            for _ in range(50):
                after = await scrape(base)
                if after.get(sent_key, 0.0) - before.get(sent_key, 0.0) >= 5 and not after[plain("chitieu_outbox_backlog")]:
                    break
                await asyncio.sleep(0.1)

            def moved(key: tuple[str, tuple[tuple[str, str], ...]]) -> float:
                return after.get(key, 0.0) - before.get(key, 0.0)

            assert moved(tg("chitieu_updates_received_total")) >= 5
            assert moved(tg("chitieu_turns_applied_total")) >= 5
            assert moved(tg("chitieu_turn_seconds_count")) == moved(tg("chitieu_turns_applied_total"))
            assert moved(tg("chitieu_turn_seconds_sum")) > 0
            assert moved(tg("chitieu_replies_sent_total")) >= 5
            assert after[plain("chitieu_outbox_backlog")] == 0
            assert after[plain("chitieu_inbox_pending")] == 0

            # Telegram's flood control: the 429 is counted, the reply retried from the outbox, then sent
            fake_telegram.rate_limit(per_second=None, per_chat_per_second=1, per_group_per_minute=None,
                                     retry_after=1)
            await lan.say("Bỏ qua")
            fake_telegram.user_sends_text(USER, "80%")
            fake_telegram.user_sends_text(USER, "Quay lại")
            limited = before.get(tg("chitieu_rate_limited_total"), 0.0)
            await fake_telegram.wait_for_async(lambda: rate_limited() > limited, timeout=20)
            fake_telegram.no_rate_limit()
            flooded = await scrape(base)
            assert flooded[tg("chitieu_rate_limited_total")] - before.get(tg("chitieu_rate_limited_total"), 0) >= 1
            assert flooded[tg("chitieu_replies_retried_total")] - before.get(tg("chitieu_replies_retried_total"),
                                                                             0) >= 1
    finally:
        app.close()


async def test_metrics_count_reminder_passes_and_nudges(app: App) -> None:
    add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 4, 8, 30))  # the d-3 reminder of 2026-Q4 is due
    bot = Bot(app)
    async with running_server(app) as base:
        before = await scrape(base)
        await ReminderScheduler(app, bot.delivery).run_once()
        await ReminderScheduler(app, bot.delivery).run_once()  # nothing new: a pass, no nudge
        after = await scrape(base)
    assert after[plain("chitieu_reminder_passes_total")] - before[plain("chitieu_reminder_passes_total")] == 2
    assert after[plain("chitieu_reminder_nudges_total")] - before[plain("chitieu_reminder_nudges_total")] == 1
    assert after[plain("chitieu_outbox_backlog")] == 1  # queued, no delivery running here
    assert after[plain("chitieu_outbox_oldest_unsent_seconds")] >= 0


def rate_limited() -> float:
    from bot.metrics import REGISTRY

    return REGISTRY.get_sample_value("chitieu_rate_limited_total", {"channel": "telegram"}) or 0.0
