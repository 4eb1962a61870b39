"""Reminder wave: due nudges sent by `chitieu run` (a subprocess, its own reminder pass and outbox
delivery, PTB with AIORateLimiter) to the local fake Bot API over real HTTP, which enforces 30 messages/s
overall and answers 429 beyond it. Figures: time to deliver all as a share of the 30/s ceiling,
duplicates, missed; then the same with the process killed (SIGKILL) half-way and restarted.

Each focal person's unit owes CL 2026-Q3 and 2026-Q4 on 2/12/2026 08:30 (d-3 of Q4; Q3's last nudge
catches up), so every chat gets two nudges: N nudges go to N/2 chats. The fake's per-chat limit (1/s) is
off; the overall 30/s limit is on.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import line, note
from bench.world import database, make
from storage.models import Identity, Person, RoleGrant, Unit, utcnow

NUDGES = int(os.environ.get("BENCH_WAVE_NUDGES", "5000"))
KILL_NUDGES = int(os.environ.get("BENCH_WAVE_KILL_NUDGES", "5000"))
AT = "2026-12-02T08:30:00+07:00"
FIRST_UID = 6_000_001
CEILING = 30.0


def people(url: str, chats: int) -> list[int]:
    """`chats` new provinces, each with a focal person on Telegram (bulk inserted)."""
    app = make(url)
    now = utcnow()
    uids = list(range(FIRST_UID, FIRST_UID + chats))
    with app.uow() as uow:
        s = uow.session
        root = uow.units.by_code("CBC")
        units = [Unit(code=f"W{uid}", name=f"Tỉnh thử {uid}", kind="province", parent_id=root.id,
                      path=f"{root.path}W{uid}/") for uid in uids]
        persons = [Person(display_name=f"Đầu mối {uid}", language="vi") for uid in uids]
        s.add_all(units + persons)
        s.flush()
        s.add_all([RoleGrant(person_id=p.id, role="focal", unit_id=u.id, granted_at=now) for p, u in zip(persons, units, strict=True)])
        s.add_all([Identity(channel="telegram", external_id=str(uid), chat_id=str(uid), display_name=p.display_name,
                            person_id=p.id, reachable=True, created_at=now) for uid, p in zip(uids, persons, strict=True)])
        uow.commit()
    app.close()
    return uids


def wave(backend: str, nudges: int, kill: bool, folder: Path) -> dict[str, float]:
    """Run one wave; returns its figures."""
    from tests.fakes import FakeBotApi
    from tests.faults.botprocess import BotProcess

    with database(backend) as url, FakeBotApi() as fake:
        uids = people(url, nudges // 2)
        for uid in uids:
            fake.add_user(uid, f"Đầu mối {uid}")
        fake.rate_limit(per_second=int(CEILING), per_chat_per_second=None)
        bot = BotProcess(fake, url, folder / f"wave-{backend}-{nudges}-{kill}.log", CLOCK_NOW=AT,
                         OUTBOX_CLAIM_TIMEOUT_SECONDS="10" if kill else "120", OUTBOX_POLL_SECONDS="1")
        t_start = time.time()
        bot.start(timeout=60)
        kills = 0
        try:
            deadline = time.monotonic() + nudges / CEILING * 2 + 120
            while True:
                sent = _delivered(fake, uids)
                if kill and not kills and sent >= nudges // 2:
                    bot.kill()
                    kills += 1
                    bot.start(timeout=60)
                if sent >= nudges:
                    break
                if time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            time.sleep(1.0 if not kill else 12.0)  # anything resent after a claim timeout would show now
        finally:
            bot.stop()
        ok_calls = [c for c in fake.calls("sendMessage") if c.status == 200]
        times = sorted(c.at for c in ok_calls)
        first, last = times[0], times[-1]
        per_chat = {uid: fake.delivered(uid) for uid in uids}
        return {"nudges": nudges, "delivered": len(ok_calls), "seconds": last - first, "total": last - t_start,
                "duplicates": fake.duplicates(), "missed": sum(max(0, 2 - n) for n in per_chat.values()),
                "rate_limited": fake.stats.rate_limited, "kills": kills,
                "longest_gap": max((b - a for a, b in zip(times, times[1:], strict=False)), default=0.0)}


def _delivered(fake, uids: list[int]) -> int:  # noqa: ANN001
    return sum(1 for c in fake.calls("sendMessage") if c.status == 200)


def report(tag: str, r: dict[str, float]) -> None:
    share = r["delivered"] / CEILING / r["seconds"] * 100 if r["seconds"] else 0.0
    line(f"{tag}.nudges", int(r["nudges"]), "nudges", None)
    line(f"{tag}.seconds", r["seconds"], "s", f"≈ {r['nudges'] / CEILING:.0f} s at 30/s")
    line(f"{tag}.share_of_ceiling", share, "% of 30 messages/s")
    line(f"{tag}.from_process_start", r["total"], "s (start, reminder pass, sending)")
    line(f"{tag}.duplicates", int(r["duplicates"]), "")
    line(f"{tag}.missed", int(r["missed"]), "")
    line(f"{tag}.http_429", int(r["rate_limited"]), "responses")
    line(f"{tag}.longest_gap", r["longest_gap"], "s between two successful sends (a restart shows here)")


def main() -> None:
    note(f"wave: `chitieu run` subprocess → fake Bot API over HTTP, 30 messages/s overall with 429 beyond; "
         f"{NUDGES} nudges (2 per chat); kill variant: {KILL_NUDGES} nudges, SIGKILL when half are delivered, "
         "restart (claim timeout 10 s); goals of issue 16 for both: ≥ 97% of the ceiling, 0 duplicates, 0 missed")
    with tempfile.TemporaryDirectory(prefix="bench-wave-") as tmp:
        report("wave.sqlite", wave("sqlite", NUDGES, False, Path(tmp)))
        report("wave.sqlite.killed", wave("sqlite", KILL_NUDGES, True, Path(tmp)))


if __name__ == "__main__":
    main()
