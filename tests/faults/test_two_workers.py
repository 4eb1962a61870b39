"""Two bot processes on one PostgreSQL database behind a load balancer (Telegram webhook mode).

Each update is posted to one worker, and half of them to both at once (a retry through the other
worker). Concurrent messages of one person, and of two focal persons of the same unit, must each be
applied exactly once and never interleave a dialogue. Serialisation is by row locks: the inbox row
of the update, then the person's identity row, then the submission row (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from storage.models import AnswerRevision, InboxEvent
from tests.fakes import FakeBotApi
from tests.helpers.app import invite, make_app
from tests.helpers.figures import figure
from tests.helpers.zalo import free_port

pytestmark = pytest.mark.faults
BIN = Path(sys.executable).parent / "chitieu"
SECRET = "webhook-secret-for-tests-0123456789abcdef"  # 32+ characters, or `chitieu run` refuses
_ids = itertools.count(900_000)


class Worker:
    """`chitieu run` in webhook mode on its own port."""

    def __init__(self, fake: FakeBotApi, db_url: str, log: Path) -> None:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_BASE_URL": fake.base_url, "WEBHOOK_URL": f"http://127.0.0.1:{self.port}",
               "WEBHOOK_SECRET": SECRET, "LISTEN_PORT": str(self.port), "CLOCK_NOW": "2026-11-21T09:00:00+07:00",
               "LOG_LEVEL": "WARNING", "REMINDER_PASS_SECONDS": "3600"}
        self.proc = subprocess.Popen([str(BIN), "run"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}/telegram/webhook"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


def update(user_id: int, text: str) -> dict:
    """A Telegram update with a private text message (a /command gets its entity)."""
    uid = next(_ids)
    message = {"message_id": uid, "date": int(time.time()), "text": text,
               "chat": {"id": user_id, "type": "private", "first_name": f"U{user_id}"},
               "from": {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": uid, "message": message}


def post(url: str, body: dict) -> int:
    return httpx.post(url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=20).status_code


def test_two_workers_apply_every_update_once_without_interleaving(fake_telegram: FakeBotApi, pg_url: str,
                                                                   tmp_path: Path) -> None:
    app = make_app(pg_url)
    people = {6001: "QUANGTRI", 6002: "QUANGTRI", 6003: "HANOI"}
    for user in people:
        fake_telegram.add_user(user)
    workers = [Worker(fake_telegram, pg_url, tmp_path / f"w{i}.log") for i in (1, 2)]
    sent, duplicated = 0, 0
    try:
        def run_wave(texts: dict[int, str] | list[tuple[int, str]]) -> None:
            nonlocal sent, duplicated
            pairs = list(texts.items()) if isinstance(texts, dict) else texts
            jobs = []
            for i, (user, text) in enumerate(pairs):
                body = update(user, text)
                jobs.append((workers[i % 2].url, body))
                if i % 2 == 0:  # the same update retried through the other worker at the same moment
                    jobs.append((workers[(i + 1) % 2].url, body))
                    duplicated += 1
                sent += 1
            with ThreadPoolExecutor(8) as pool:
                assert set(pool.map(lambda job: post(*job), jobs)) == {200}
            for user, _ in pairs:
                expected_replies[user] = expected_replies.get(user, 0) + 1
            for user in {u for u, _ in pairs}:
                fake_telegram.wait_for_messages(user, expected_replies[user], timeout=30)

        expected_replies: dict[int, int] = {}
        run_wave({u: f"/start {invite(app, unit)}" for u, unit in people.items()})
        run_wave({u: "/nop 2026-Q4" for u in people})
        # the two focal persons of Quảng Trị answer the same indicator of the same submission at once
        run_wave({6001: "62/38", 6002: "70/30", 6003: "55/45"})
        run_wave({6001: "so sánh A", 6002: "so sánh B", 6003: "so sánh C"})
        run_wave({6001: "120.500/150.000", 6002: "121.000/150.000", 6003: "90.000/100.000"})
        for _ in range(3):  # one person's messages at the same moment through both workers
            run_wave([(6001, "/han"), (6001, "/xem 2026-Q4"), (6003, "/han"), (6003, "Thái Lan 50%")])
    finally:
        for w in workers:
            w.stop()
    with app.uow() as uow:
        applied = uow.session.scalar(select(func.count()).select_from(InboxEvent)
                                     .where(InboxEvent.processed_at.is_not(None), InboxEvent.channel == "telegram"))
        revisions = uow.session.scalars(select(AnswerRevision).order_by(AnswerRevision.id)).all()
    by_key = {}
    for r in revisions:
        by_key.setdefault((r.submission_id, r.question_key), []).append(r.revision)
    figure(f"[two workers] updates={sent} posted_twice={duplicated} applied={applied} revisions={len(revisions)}")
    assert applied == sent, "every update applied exactly once"
    # Quảng Trị: ct1, comparison and ct2 from each of the two people (6); Hà Nội: the same three, then
    # "Thái Lan 50%" three times answers whatever is open in turn: ct2's comparison, III, IV (6)
    assert len(revisions) == 12
    assert all(v == list(range(1, len(v) + 1)) for v in by_key.values()), "revision numbers never collide"
    for user, count in expected_replies.items():
        assert len(fake_telegram.sent_to(user)) == count, f"user {user}: one reply per update, none twice"
    app.close()
