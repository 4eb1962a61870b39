"""SIGTERM / SIGINT stop `chitieu run` cleanly: exit 0 in time, no claimed reply left behind, none sent twice.

The bot runs as a real process against the fake Bot API. Telegram is slowed down (each sendMessage is
delivered, then its answer held), so at the signal there are replies on the wire, replies claimed and
waiting their turn, and updates not yet applied. After the restart every message has its reply, once.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import InboxEvent, OutboxMessage
from tests.fakes import FakeBotApi
from tests.faults.botprocess import BotProcess
from tests.helpers.app import invite, make_app

USERS = range(8101, 8113)
MESSAGES = ("/han", "/huongdan", "/xem")


def _outbox(app, status: str) -> int:  # noqa: ANN001 - App
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.status == status)) or 0


def _unapplied(app) -> int:  # noqa: ANN001 - App
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(InboxEvent)
                                  .where(InboxEvent.processed_at.is_(None))) or 0


def _wait(predicate, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_mid_burst_exits_0_and_no_reply_goes_out_twice(sig: signal.Signals, catalog_sqlite_url: str,
                                                              tmp_path: Path) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    log = tmp_path / "bot.log"
    with FakeBotApi() as fake:
        bot = BotProcess(fake, catalog_sqlite_url, log, OUTBOX_CLAIM_TIMEOUT_SECONDS="30",
                         STOP_TIMEOUT_SECONDS="10", REMINDER_PASS_SECONDS="3600")
        bot.start()
        try:
            for user in USERS:  # registered first, without any fault
                fake.user_sends_command(user, "start", invite(app, "QUANGTRI"))
            _wait(lambda: all(fake.sent_to(u) for u in USERS), 20, "the registrations")
            before = {u: len(fake.sent_to(u)) for u in USERS}
            fake.slow_down(0.5, methods="sendMessage")  # delivered, then the answer is held
            for text in MESSAGES:
                for user in USERS:
                    fake.user_sends_text(user, text)
            _wait(lambda: sum(len(fake.sent_to(u)) for u in USERS) >= sum(before.values()) + 4, 20,
                  "the burst to start")
            assert bot.proc is not None
            started = time.monotonic()
            bot.proc.send_signal(sig)
            code = bot.proc.wait(timeout=20)
            took = time.monotonic() - started
            bot.proc = None
            assert code == 0, log.read_text(errors="replace")[-3000:]
            assert took < 10 + 2, f"stopping took {took:.1f} s"
            # nothing is left claimed: sent, or back to pending for the next start
            assert _outbox(app, "sending") == 0
            left_over = _outbox(app, "pending") + _unapplied(app)
            fake.clear_faults()
            bot.start()
            _wait(lambda: _unapplied(app) == 0 and _outbox(app, "pending") + _outbox(app, "sending") == 0, 40,
                  "the restarted bot to catch up")
            time.sleep(1.5)  # a copy still on its way would arrive now
        finally:
            bot.stop()
        sent_rows = _outbox(app, "sent")
        per_user = {u: len(fake.sent_to(u)) for u in USERS}
        duplicates = fake.duplicates()
    app.close()
    assert left_over > 0, "the signal came after the burst: the test proves nothing"
    assert duplicates == 0
    # one Telegram message per reply row (these replies are short): no row was sent twice
    assert sum(per_user.values()) == sent_rows
    # the registration and each of the three messages answered, for every person
    assert all(n >= 1 + len(MESSAGES) for n in per_user.values()), per_user


SECRET = "graceful-stop-webhook-secret-0123456789"


def test_sigterm_in_webhook_mode_mid_burst_exits_0_and_loses_nothing(catalog_sqlite_url: str,
                                                                     tmp_path: Path) -> None:
    """Webhook calls under way when SIGTERM comes finish (stored, then answered); the rest are refused or
    never connect, stay unconfirmed, and Telegram redelivers them to the restarted bot."""
    import os
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.faults.botprocess import BIN
    from tests.helpers.zalo import free_port

    app = make_app(catalog_sqlite_url, load=False)
    port = free_port()
    log = tmp_path / "bot.log"
    with FakeBotApi() as fake:
        env = {**os.environ, "DATABASE_URL": catalog_sqlite_url, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_BASE_URL": fake.base_url, "WEBHOOK_URL": f"http://127.0.0.1:{port}",
               "WEBHOOK_SECRET": SECRET, "LISTEN_PORT": str(port), "CLOCK_NOW": "2026-11-21T09:00:00+07:00",
               "LOG_LEVEL": "WARNING", "REMINDER_PASS_SECONDS": "3600", "OUTBOX_CLAIM_TIMEOUT_SECONDS": "30",
               "OUTBOX_POLL_SECONDS": "0.3"}

        def start() -> subprocess.Popen[bytes]:
            with log.open("ab") as out:
                proc = subprocess.Popen([str(BIN), "run"], env=env, stdout=out, stderr=subprocess.STDOUT)
            def up() -> bool:
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
                except httpx.HTTPError:
                    assert proc.poll() is None, log.read_text()
                    return False
            _wait(up, 20, "the web server")
            return proc

        def deliver(update_id: int) -> int:
            try:
                return fake.deliver_via_webhook(update_id, timeout=15)
            except httpx.HTTPError:
                return 0  # the server had closed: not confirmed, Telegram tries again later

        proc = start()
        try:
            ids = [fake.user_sends_command(u, "start", invite(app, "QUANGTRI")) for u in USERS]
            assert {deliver(i) for i in ids} == {200}
            _wait(lambda: all(fake.sent_to(u) for u in USERS), 20, "the registrations")
            fake.slow_down(0.5, methods="sendMessage")
            burst = [fake.user_sends_text(u, text) for text in MESSAGES for u in USERS]
            with ThreadPoolExecutor(6) as pool:
                results = [pool.submit(deliver, i) for i in burst]
                _wait(lambda: sum(len(fake.sent_to(u)) for u in USERS) >= len(USERS) + 3, 20, "the burst to start")
                proc.send_signal(signal.SIGTERM)
                code = proc.wait(timeout=20)
                statuses = dict(zip(burst, (r.result() for r in results), strict=True))
            assert code == 0, log.read_text(errors="replace")[-3000:]
            assert _outbox(app, "sending") == 0
            unconfirmed = [i for i, status in statuses.items() if status != 200]
            fake.clear_faults()
            proc = start()
            assert {deliver(i) for i in unconfirmed} <= {200}
            _wait(lambda: _unapplied(app) == 0 and _outbox(app, "pending") + _outbox(app, "sending") == 0, 40,
                  "the restarted bot to catch up")
            time.sleep(1.5)  # a copy still on its way would arrive now
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=20)
        assert proc.returncode == 0
        per_user = {u: len(fake.sent_to(u)) for u in USERS}
        duplicates = fake.duplicates()
    sent_rows = _outbox(app, "sent")
    app.close()
    assert duplicates == 0
    assert sum(per_user.values()) == sent_rows
    assert per_user == {u: 1 + len(MESSAGES) for u in USERS}, "every message answered once"
