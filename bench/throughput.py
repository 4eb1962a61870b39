"""Throughput: messages per second one process sustains through the engine and storage
(`DialogueService.handle`, the entry every channel uses), every message committed in its own
transaction with its inbox row, dialogue state, answer and revision, and its reply in the outbox.

Goals (issue 16): ≥ 3,000/s on SQLite WAL, ≥ 1,000/s on PostgreSQL. Statements and transactions per message
are counted on a separate run of 100 messages (no listeners during the timed runs).

Reference in the same run: raw `sqlite3` inserting one row and committing, on a table in the same
database file with the same settings (WAL, synchronous=NORMAL): the ceiling of one-commit-per-message.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from sqlalchemy import func, select

from bench.common import line, median, note, pg_url
from bench.counters import SqlCounter, per
from bench.world import database, focal_persons, make
from conversations.messages import ButtonIn, Inbound, Sender, TextIn
from storage.models import Answer

PERSONS = 50
MESSAGES = int(os.environ.get("BENCH_THROUGHPUT_MESSAGES", "1000"))  # per run
RUNS = 3
THREADS = (1, 4)
CHANNEL = "bench"  # the persons are registered on this channel (bench.world.focal_persons)


def event(step: int) -> TextIn | ButtonIn:
    """The reply benchmark's five-step cycle through Form 1 (answer, skip, answer, back, back)."""
    k, phase = divmod(step, 5)
    k %= 5
    return [TextIn(f"{60 + k}%/{40 - k}%"), ButtonIn("skip:ct1"), TextIn(f"{120 + k}.500/150.000"),
            ButtonIn("back:ct2"), ButtonIn("back:ct2")][phase]


def run(service, uids: list[int], steps: dict[int, int], messages: int, threads: int, tag: str) -> float:  # noqa: ANN001
    """Messages per second handling `messages` messages over the persons with `threads` threads."""
    groups = [uids[i::threads] for i in range(threads)]
    per_thread = messages // threads

    def work(group: list[int], t: int) -> None:
        for i in range(per_thread):
            uid = group[i % len(group)]
            sender = Sender(CHANNEL, str(uid), str(uid), "Đầu mối", "private")
            queued = service.handle(Inbound(sender, event(steps[uid]), f"{tag}-{t}-{i}"))
            assert queued, "every message gets its reply"
            steps[uid] += 1

    workers = [threading.Thread(target=work, args=(g, t)) for t, g in enumerate(groups)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return per_thread * threads / (time.perf_counter() - t0)


def ours(url: str) -> dict[int, list[float]]:
    """Messages per second by thread count (RUNS each); key 0: SQL statements and transactions per message."""
    app = make(url)
    uids = focal_persons(app, PERSONS, channel=CHANNEL)
    service = app.dialogue_service()
    steps = dict.fromkeys(uids, 0)
    run(service, uids, steps, 200, 1, "warm")
    if stored_answers(app) < 2 * PERSONS:
        raise RuntimeError("the benchmark's messages stored no answers: they are not reaching the form")
    sql = SqlCounter([app.db.engine, app.db.read_engine])
    rate = run(service, uids, steps, 100, 1, "count")
    statements, transactions, _kinds = sql.snapshot()
    sql.close()
    out = {t: [run(service, uids, steps, MESSAGES, t, f"r{t}-{r}") for r in range(RUNS)] for t in THREADS}
    out[0] = [per(statements, 100), per(transactions, 100), rate]
    app.close()
    return out


def stored_answers(app) -> int:  # noqa: ANN001 - bot.app.App
    """Answers holding a value (the cycle stores ct1 and ct2 of each person)."""
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Answer).where(Answer.value.is_not(None)))


def raw_sqlite(url: str, rows: int = MESSAGES) -> list[float]:
    """Single-row INSERT + COMMIT per row with sqlite3, on the same file and settings."""
    conn = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, chat TEXT, body TEXT, at REAL)")
    rates = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        for i in range(rows):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO bench_raw (chat, body, at) VALUES (?, ?, ?)", (str(i % 50), "62%/38%", time.time()))
            conn.execute("COMMIT")
        rates.append(rows / (time.perf_counter() - t0))
    conn.close()
    return rates


def main() -> None:
    note(f"throughput: DialogueService.handle, {PERSONS} persons, the five-step Form 1 cycle (2 of 5 messages store a typed value, "
         f"all 5 commit their own transaction), {MESSAGES} messages per run, median of {RUNS}")
    with database("sqlite") as url:
        r = ours(url)
        ref = raw_sqlite(url)
    report("sqlite", r)
    line("throughput.sqlite.raw_insert_commit", median(ref), "rows/s")
    line("throughput.sqlite.ratio_to_raw_sqlite", median(r[1]) / median(ref), "x")
    if pg_url("throughput.postgresql"):
        with database("postgresql") as url:
            report("postgresql", ours(url))


def report(backend: str, r: dict[int, list[float]]) -> None:
    """Rates by thread count, statements and transactions per message."""
    for t in THREADS:
        line(f"throughput.{backend}.threads{t}", median(r[t]), "messages/s")
    line(f"throughput.{backend}.statements_per_message", r[0][0], "")
    line(f"throughput.{backend}.transactions_per_message", r[0][1], "")

if __name__ == "__main__":
    main()
