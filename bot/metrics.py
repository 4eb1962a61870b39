"""`/metrics` in the Prometheus text format (prometheus-client), on the bot's web server.

Counters move where the work happens (bot.intake, bot.delivery, bot.scheduler); the outbox and inbox
gauges are read from the database at each scrape, so they are right whichever worker did the work:

    chitieu_updates_received_total{channel}        updates stored in the inbox
    chitieu_turns_applied_total{channel}           updates applied (a dialogue turn committed)
    chitieu_turn_seconds{channel}                  histogram: applying one update (the dialogue turn)
    chitieu_replies_sent_total{channel}            replies handed to the platform and recorded sent
    chitieu_replies_retried_total{channel}         sends put back in the outbox for later (outage, 429, ...)
    chitieu_replies_undeliverable_total{channel}   sends given up (the person blocked the bot, ...)
    chitieu_rate_limited_total{channel}            429s (flood waits) from the platform
    chitieu_outbox_backlog                         replies not yet sent (pending or being sent)
    chitieu_outbox_oldest_unsent_seconds           age of the oldest of them (0 when none)
    chitieu_inbox_pending                          updates received, not yet applied
    chitieu_inbox_lag_seconds                      age of the oldest of them (0 when none)
    chitieu_reminder_passes_total                  reminder passes run by `chitieu run`
    chitieu_reminder_nudges_total                  reminders those passes queued

Served as `text/plain; version=0.0.4`, the text format every Prometheus version reads.
A private registry (not the process-wide default), so nothing else registered in the process leaks out.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from storage.models import InboxEvent, OutboxMessage, OutboxStatus, utcnow

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
REGISTRY = CollectorRegistry()

UPDATES_RECEIVED = Counter("chitieu_updates_received", "Updates stored in the inbox.", ["channel"],
                           registry=REGISTRY)
TURNS_APPLIED = Counter("chitieu_turns_applied", "Updates applied (a dialogue turn committed).", ["channel"],
                        registry=REGISTRY)
TURN_SECONDS = Histogram("chitieu_turn_seconds", "Time to apply one update (the dialogue turn).", ["channel"],
                         buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=REGISTRY)
REPLIES_SENT = Counter("chitieu_replies_sent", "Replies handed to the platform and recorded sent.", ["channel"],
                       registry=REGISTRY)
REPLIES_RETRIED = Counter("chitieu_replies_retried", "Sends put back in the outbox to try again later.",
                          ["channel"], registry=REGISTRY)
REPLIES_UNDELIVERABLE = Counter("chitieu_replies_undeliverable", "Sends given up as undeliverable.", ["channel"],
                                registry=REGISTRY)
RATE_LIMITED = Counter("chitieu_rate_limited", "429s (flood waits) from the platform.", ["channel"],
                       registry=REGISTRY)
REMINDER_PASSES = Counter("chitieu_reminder_passes", "Reminder passes run.", registry=REGISTRY)
REMINDER_NUDGES = Counter("chitieu_reminder_nudges", "Reminders queued by the passes.", registry=REGISTRY)

OUTBOX_BACKLOG = Gauge("chitieu_outbox_backlog", "Replies not yet sent (pending or being sent).", registry=REGISTRY)
OUTBOX_OLDEST = Gauge("chitieu_outbox_oldest_unsent_seconds", "Age of the oldest reply not yet sent.",
                      registry=REGISTRY)
INBOX_PENDING = Gauge("chitieu_inbox_pending", "Updates received, not yet applied.", registry=REGISTRY)
INBOX_LAG = Gauge("chitieu_inbox_lag_seconds", "Age of the oldest update not yet applied.", registry=REGISTRY)


def _age(at: datetime | None) -> float:
    if at is None:
        return 0.0
    if at.tzinfo is None:  # SQLite and `timestamp without time zone` give naive UTC back
        at = at.replace(tzinfo=UTC)
    return max((utcnow() - at).total_seconds(), 0.0)


def read_gauges(app: App) -> None:
    """Outbox backlog and age, inbox backlog and lag, from the database."""
    unsent = OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
    with app.read_uow() as uow:
        backlog, oldest = uow.session.execute(
            select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(unsent)).one()
        pending, lag = uow.session.execute(
            select(func.count(InboxEvent.id), func.min(InboxEvent.received_at))
            .where(InboxEvent.processed_at.is_(None))).one()
    OUTBOX_BACKLOG.set(backlog)
    OUTBOX_OLDEST.set(_age(oldest))
    INBOX_PENDING.set(pending)
    INBOX_LAG.set(_age(lag))


async def endpoint(app: App, _: Request) -> Response:
    """The /metrics route (the gauges are left as last read when the database does not answer)."""
    try:
        await asyncio.to_thread(read_gauges, app)
    except Exception:  # noqa: BLE001 - a scrape reports what it has; /healthz says the database is down
        log.warning("metrics: the database did not answer; outbox and inbox gauges are stale")
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_PLAIN_0_0_4, headers={"Cache-Control": "no-store"})
