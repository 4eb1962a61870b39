"""Reply cost: one incoming answer through the real PTB application and our TelegramChannel — stored in
the inbox, parsed, validated, committed with the next question in the outbox — until the next question
is handed to the Bot API transport. At 1, 50 and 200 focal persons in the middle of Form 1, on SQLite
and PostgreSQL; against the same script answered by the two peers of `bench.peer` (PTB's ConversationHandler
form bot with PicklePersistence, written every 60 s, and with a SQLite persistence committed after every update).

All bots run on the same fast in-process transport (`bench.transport`, a PTB BaseRequest answering
getUpdates/sendMessage without HTTP), so the figures are bot-side time: update handed to the bot →
reply handed to Telegram. PTB's AIORateLimiter is left out of all (it holds messages to Telegram's
30/s ceiling, which the wave benchmark measures; `python -m bench e2e` keeps it, as `chitieu run` does).

Two ways of arriving:
- `seq`: the N persons take turns, one answer in flight at a time (service time with N dialogues open);
- `burst`: all N persons answer at the same instant (one getUpdates batch): the last waits for all others.
The goals (issue 16: p50 ≤ 3 ms, p99 ≤ 15 ms at 200 on SQLite; 8 / 30 ms on PostgreSQL) are read on `seq`.
Per answer, for ours: SQL statements and transactions, thread hops (asyncio.to_thread); Bot API calls per
turn are counted end to end (`bench.e2e`), where the real stack makes them.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bench.common import line, median, note, percentile, pg_url
from bench.counters import CountingExecutor, SqlCounter, per
from bench.peer import KINDS, build
from bench.persistence import DurableApplication
from bench.transport import Transport
from bench.world import TOKEN, database, focal_persons, make

LEVELS = (1, 50, 200)
RUNS = 3
ANSWERS = {1: 40, 50: 150, 200: 300}  # answers measured per run and level (sequential)
KEYS = ("seq_p50", "seq_p99", "burst_p50", "burst_p99", "cost")
PEER_TAGS = {"pickle": "ptb_reference", "durable": "ptb_durable"}  # ptb_reference: the name it had before


def script(uid: int, step: int, transport: Transport) -> dict[str, Any]:
    """The update for step `step` of a five-step cycle through Form 1: answer ct1, skip its international
    comparison, answer ct2, back, back (to ct1 again). Two typed answers are stored per cycle."""
    k, phase = divmod(step, 5)
    k %= 5
    if phase == 0:
        return transport.text(uid, f"{60 + k}%/{40 - k}%")
    if phase == 1:
        return transport.press(uid, "skip:ct1")
    if phase == 2:
        return transport.text(uid, f"{120 + k}.500/150.000")
    return transport.press(uid, "back:ct2")


async def drive(transport: Transport, uids: list[int], answers: int, burst: bool,
                steps: dict[int, int], starts: list[float] | None = None) -> list[float]:
    """Send `answers` updates over the persons; seconds from hand-over to reply, per update (`starts`
    collects the hand-over times of a sequential run)."""
    latencies: list[float] = []
    if burst:
        while len(latencies) < answers:
            futures = [transport.expect(uid) for uid in uids]
            updates = [script(uid, steps[uid], transport) for uid in uids]
            for uid in uids:
                steps[uid] += 1
            t0 = time.perf_counter()
            transport.push(*updates)
            done = await asyncio.wait_for(asyncio.gather(*futures), 60)
            latencies += [t - t0 for t in done]
        return latencies
    i = 0
    while len(latencies) < answers:
        uid = uids[i % len(uids)]
        i += 1
        future = transport.expect(uid)
        update = script(uid, steps[uid], transport)
        steps[uid] += 1
        t0 = time.perf_counter()
        if starts is not None:
            starts.append(t0)
        transport.push(update)
        latencies.append(await asyncio.wait_for(future, 30) - t0)
    return latencies


# ---- our bot ------------------------------------------------------------------------------------------

def bench_channel(transport: Transport) -> type:
    """TelegramChannel built on the fast transport (no rate limiter)."""
    from bot.telegram import TelegramChannel

    class BenchChannel(TelegramChannel):
        def _build(self) -> Application:
            return (ApplicationBuilder().token(TOKEN).request(transport.request())
                    .get_updates_request(transport.request()).updater(None).build())

    return BenchChannel


async def ours(url: str, level: int, runs: int, around: Callable[[], AbstractContextManager[Any]] = nullcontext,
               burst: bool = True) -> dict[str, Any]:
    """Our bot on `url` with `level` persons: per run, the latencies of seq and burst; what the seq runs
    cost per answer (statements, transactions, thread hops). `around` wraps the measured
    runs (bench.profile samples them)."""
    from bot.delivery import Delivery
    from bot.server import start_telegram, stop_telegram

    app = make(url, telegram_bot_token=TOKEN)
    uids = await asyncio.to_thread(focal_persons, app, level)
    transport, channels = Transport(), {}
    delivery = Delivery(app.uow, channels, app.settings.outbox_claim_timeout_seconds)
    channel = bench_channel(transport)(app, app.dialogue_service(), delivery)
    channels["telegram"] = channel
    steps = dict.fromkeys(uids, 0)
    out: dict[str, Any] = {k: [] for k in KEYS} | {"counts": {}}
    sql, hops = SqlCounter([app.db.engine, app.db.read_engine]), CountingExecutor(thread_name_prefix="asyncio")
    asyncio.get_running_loop().set_default_executor(hops)
    async with channel.application:
        tasks = await start_telegram(app, channel)
        loop = asyncio.create_task(delivery.run(2.0))
        try:
            await drive(transport, uids, min(level * 5, 50), False, steps)  # warm up
            with around():
                for _ in range(runs):
                    before = _counts(sql, hops)
                    seq = await drive(transport, uids, ANSWERS[level], False, steps)
                    _add(out["counts"], before, _counts(sql, hops), len(seq))
                    _collect(out, seq, await _burst(transport, uids, level if burst else 1, steps))
        finally:
            loop.cancel()
            await stop_telegram(channel, tasks)
    app.close()
    return out


def _counts(sql: SqlCounter, hops: CountingExecutor) -> dict[str, float]:
    statements, transactions, _kinds = sql.snapshot()
    return {"statements": statements, "transactions": transactions, "thread_hops": hops.submitted}


def _add(total: dict[str, float], before: dict[str, float], after: dict[str, float], answers: int) -> None:
    for key in after:
        total[key] = total.get(key, 0) + after[key] - before[key]
    total["answers"] = total.get("answers", 0) + answers


async def _burst(transport: Transport, uids: list[int], level: int, steps: dict[int, int]) -> list[float]:
    if level == 1:
        return []
    t0 = time.perf_counter()
    latencies = await drive(transport, uids, level, True, steps)
    latencies.append(-(time.perf_counter() - t0))  # total, marked negative, for the per-answer cost
    return latencies


def _collect(out: dict[str, Any], seq: list[float], burst: list[float]) -> None:
    out["seq_p50"].append(percentile(seq, 50))
    out["seq_p99"].append(percentile(seq, 99))
    if burst:
        total = -burst.pop()
        out["burst_p50"].append(percentile(burst, 50))
        out["burst_p99"].append(percentile(burst, 99))
        out["cost"].append(total / len(burst))


# ---- the peers: PTB's ConversationHandler form bot (bench.peer) -------------------------------------

async def reference(kind: str, level: int, runs: int) -> dict[str, list[float]]:
    """The `kind` peer (pickle or durable) with `level` persons at question 1: latencies per run; for the
    durable peer also the time from hand-over until that update's commit (`commit_p50`, `commit_p99`)."""
    transport = Transport()
    out: dict[str, list[float]] = {k: [] for k in (*KEYS, "commit_p50", "commit_p99")}
    commits: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-ptb-") as tmp:
        builder = ApplicationBuilder().token(TOKEN).request(transport.request()).get_updates_request(transport.request())
        application = build(kind, tmp, builder)
        if isinstance(application, DurableApplication):
            application.on_commit = lambda _update, at: commits.append(at)
        uids = list(range(7_000_001, 7_000_001 + level))
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=10)
            for uid in uids:  # each person types /nop (not measured)
                future = transport.expect(uid)
                transport.push(transport.text(uid, "/nop"))
                await future
            steps = dict.fromkeys(uids, 0)
            await drive(transport, uids, min(level * 5, 50), False, steps)
            for _ in range(runs):
                starts: list[float] = []
                await asyncio.sleep(0.05)  # earlier commits done
                done = len(commits)
                seq = await drive(transport, uids, ANSWERS[level], False, steps, starts)
                await asyncio.sleep(0.05)  # the last update's commit follows its reply
                _commit_latencies(out, commits[done:], starts)
                _collect(out, seq, await _burst(transport, uids, level, steps))
            await application.updater.stop()
            await application.stop()
    return out


def _commit_latencies(out: dict[str, list[float]], commits: list[float], starts: list[float]) -> None:
    """Hand-over → commit of each update of a sequential run (one in flight: the k-th commit is the k-th's)."""
    if commits and len(commits) >= len(starts):
        latencies = [c - t0 for c, t0 in zip(commits, starts, strict=False)]
        out["commit_p50"].append(percentile(latencies, 50))
        out["commit_p99"].append(percentile(latencies, 99))


# ---- printing -----------------------------------------------------------------------------------------

def report(tag: str, r: dict[str, Any]) -> None:
    """The latency lines of one bot at one level (goals from bench.goals where the figure has one)."""
    line(f"{tag}.seq.p50", median(r["seq_p50"]) * 1000, "ms")
    line(f"{tag}.seq.p99", median(r["seq_p99"]) * 1000, "ms")
    if r.get("commit_p50"):
        line(f"{tag}.seq.committed.p50", median(r["commit_p50"]) * 1000, "ms (hand-over → its commit)")
        line(f"{tag}.seq.committed.p99", median(r["commit_p99"]) * 1000, "ms")
    if r["burst_p50"]:
        line(f"{tag}.burst.p50", median(r["burst_p50"]) * 1000, "ms")
        line(f"{tag}.burst.p99", median(r["burst_p99"]) * 1000, "ms")
        line(f"{tag}.burst.per_answer", median(r["cost"]) * 1000, "ms")


def report_counts(tag: str, counts: dict[str, float]) -> None:
    """What one answer costs besides time, over the sequential runs."""
    answers = int(counts.get("answers", 0))
    for key in ("statements", "transactions", "thread_hops"):
        line(f"{tag}.{key}_per_answer", per(counts.get(key, 0), answers), "")


def main() -> None:
    logging.getLogger("telegram").setLevel(logging.WARNING)
    note("reply: update handed to the bot → next question handed to the Bot API, bot-side time only: every "
         "bot runs on a fast in-process transport (a PTB BaseRequest answering getUpdates/sendMessage "
         "without HTTP), without AIORateLimiter")
    note(f"seq = persons take turns, one answer in flight; burst = all N answer at once; "
         f"median of {RUNS} runs, each of {ANSWERS} answers (seq) per level")
    backends = ["sqlite"] + (["postgresql"] if pg_url("reply.postgresql") else [])
    refs: dict[tuple[str, int], dict[str, list[float]]] = {}
    for kind in KINDS:
        for level in LEVELS:
            refs[kind, level] = asyncio.run(reference(kind, level, RUNS))
            report(f"reply.{PEER_TAGS[kind]}.{level}", refs[kind, level])
    for backend in backends:
        for level in LEVELS:
            with database(backend) as url:
                r = asyncio.run(ours(url, level, RUNS))
            report(f"reply.{backend}.{level}", r)
            for kind in KINDS:
                ratio = median(r["seq_p50"]) / median(refs[kind, level]["seq_p50"])
                line(f"reply.{backend}.{level}.ratio_to_{PEER_TAGS[kind]}", ratio, "x (p50, seq)")
            if level == 200:
                report_counts(f"reply.{backend}.{level}", r["counts"])
    note("ptb_reference keeps answers in memory (PicklePersistence writes every 60 s); ptb_durable commits "
         "user_data and the conversation state after each update, after its reply is sent (so a back-to-back "
         "`seq` reply waits for the previous commit); ours commits every answer, its inbox row and its reply "
         "before the reply is sent")


if __name__ == "__main__":
    main()
