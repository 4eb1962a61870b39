"""Exactly once: passes run twice or on two workers at once, and crashes on either side of sending."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.delivery import Delivery
from conversations.forms import FormCache
from conversations.reminders import PassReport, run_pass
from storage.models import OutboxMessage, ReminderLog
from storage.repositories import OutboxRepository
from tests.helpers.app import make_app
from tests.helpers.clock import vn
from tests.reminders.world import Bot, add_person, log, outbox

D_MINUS_3 = vn(2026, 12, 4, 8, 30)  # d-3 of CL 2026-Q4 (due Sat 05/12, counts until Mon 07/12): one nudge each
PROVINCES = ["HANOI", "HUE", "QUANGTRI", "DANANG", "HCM", "CANTHO", "LAICHAU", "SONLA", "NGHEAN", "GIALAI"]


def focal_everywhere(app: App) -> list[int]:
    return [add_person(app, code, name=f"Đầu mối {code}") for code in PROVINCES]


def reminder_rows(app: App) -> tuple[int, int]:
    """(reminder log rows waiting or sent, reminder outbox rows)."""
    with app.uow() as uow:
        logged = uow.session.scalar(select(func.count()).select_from(ReminderLog)
                                    .where(ReminderLog.status.in_(["pending", "sent"])))
        queued = uow.session.scalar(select(func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.kind == "reminder"))
        return logged or 0, queued or 0


def test_a_pass_run_twice_queues_each_nudge_once(app: App) -> None:
    people = focal_everywhere(app)
    first = run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)
    again = run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)
    later = run_pass(app.uow, FormCache(), app.clock.tz, vn(2026, 12, 4, 15, 0))
    assert first.queued >= len(people) and again.decisions == [] and later.decisions == []
    logged, queued = reminder_rows(app)
    assert logged == queued == first.queued
    assert Counter(m.chat_id for m in outbox(app)).most_common(1)[0][1] == 1  # one message per person per pass


@pytest.fixture
def two_workers(db_url: str) -> Iterator[tuple[App, App]]:
    """Two applications (two engines, two connection pools) on one database with the catalog."""
    one = make_app(db_url, at=D_MINUS_3)
    two = make_app(db_url, at=D_MINUS_3, load=False)
    yield one, two
    one.close()
    two.close()


def test_two_workers_at_once_queue_each_nudge_once(two_workers: tuple[App, App]) -> None:
    one, two = two_workers
    people = focal_everywhere(one)
    start = threading.Barrier(2)
    reports: list[PassReport] = []

    def worker(app: App) -> None:
        start.wait()
        reports.append(run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3, chunk=3))

    threads = [threading.Thread(target=worker, args=(a,)) for a in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(reports) == 2
    logged, queued = reminder_rows(one)
    assert logged == queued == sum(r.queued for r in reports) >= len(people)
    per_key = Counter((e.period_id, e.unit_id, e.person_id, e.rule) for e in log(one))
    assert set(per_key.values()) == {1}
    per_reminder = Counter(m.reminder_id for m in outbox(one))
    assert set(per_reminder.values()) == {1}


def test_crash_after_recording_before_sending_still_sends_once(app: App) -> None:
    focal_everywhere(app)
    report = run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)  # then the process dies
    app.clock.set(vn(2026, 12, 4, 8, 45))
    restarted = Bot(app)
    assert restarted.tick().decisions == []  # nothing new to decide …
    assert len(restarted.channel.sent) == report.queued  # … but everything queued goes out
    # skipped: d-7 (superseded by d-3); expired: CL 2026-Q3's nudges, two months old, are never sent
    assert {e.status for e in log(app)} == {"sent", "skipped", "expired"}


def test_crash_in_the_middle_of_a_pass_loses_nothing(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    people = focal_everywhere(app)
    real_add, calls = OutboxRepository.add, []

    def failing_add(self: OutboxRepository, message: OutboxMessage) -> OutboxMessage:
        calls.append(message)
        if len(calls) == 5:
            raise ConnectionError("database went away")
        return real_add(self, message)

    monkeypatch.setattr(OutboxRepository, "add", failing_add)
    with pytest.raises(ConnectionError):
        run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3, chunk=2)
    logged, queued = reminder_rows(app)
    assert logged == queued == 4  # two whole chunks committed; the third rolled back with its log rows
    monkeypatch.setattr(OutboxRepository, "add", real_add)
    bot = Bot(app)
    app.clock.set(vn(2026, 12, 4, 8, 31))
    bot.tick()
    q4 = [r for _, _, r in bot.channel.sent if "Quý IV/2026" in (r.title or "")]
    assert len(q4) == len(people)
    assert len({c for c, _ in {(c, r.title) for _, c, r in bot.channel.sent}}) == len(people)


def test_crash_after_telegram_accepted_before_marking_sends_twice(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """The side we chose: at-least-once. The outbox row stays claimed, goes stale, and is sent again."""
    add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(D_MINUS_3)
    run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)
    bot = Bot(app)
    real_mark = Delivery._mark_sent

    def die(self: Delivery, row_id: int) -> None:
        raise SystemExit("killed right after the channel accepted the message")

    monkeypatch.setattr(Delivery, "_mark_sent", die)
    with pytest.raises(SystemExit):
        asyncio.run(bot.delivery.drain())
    monkeypatch.setattr(Delivery, "_mark_sent", real_mark)
    app.clock.set(vn(2026, 12, 4, 8, 31))
    asyncio.run(bot.delivery.drain())
    assert len(bot.channel.sent) == 1  # within the claim's two minutes nobody retakes it
    app.clock.set(vn(2026, 12, 4, 8, 34))
    while asyncio.run(bot.delivery.drain()):
        pass
    sent = [r.title for _, c, r in bot.channel.sent if c == "1"]
    assert len(sent) == len(set(sent)) + 1  # exactly one duplicate: the window we accept
    assert "pending" not in {e.status for e in log(app)}


def test_an_idle_pass_reads_without_taking_the_write_lock(app: App) -> None:
    focal_everywhere(app)
    run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)
    with app.uow() as writer:  # a dialogue turn holds SQLite's write lock meanwhile
        writer.people.add_person("đang nhập")
        started = time.monotonic()
        report = run_pass(app.uow, FormCache(), app.clock.tz, vn(2026, 12, 4, 9, 0), read_uow=app.read_uow)
        assert report.decisions == [] and time.monotonic() - started < 5
