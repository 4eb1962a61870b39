"""`/healthz` over HTTP from a running `chitieu run`: 503 when a background task died or the inbox is stuck."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.cli.base import cli
from storage.models import InboxEvent, utcnow
from tests.fakes import FakeBotApi
from tests.faults.botprocess import BotProcess
from tests.helpers.app import make_app


def _health(port: int) -> tuple[int, dict]:
    response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    return response.status_code, response.json()


def _wait_status(port: int, status: int, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    code, body = 0, {}
    while True:
        with contextlib.suppress(httpx.ConnectError):  # the web server starts a moment after polling
            code, body = _health(port)
        if code == status:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"/healthz stayed {code}: {body}")
        time.sleep(0.2)


def test_healthz_503_when_the_inbox_is_stuck_or_polling_died(catalog_sqlite_url: str, tmp_path: Path) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    with FakeBotApi() as fake:
        bot = BotProcess(fake, catalog_sqlite_url, tmp_path / "bot.log", REMINDER_PASS_SECONDS="3600",
                         HEALTH_INBOX_MAX_AGE_SECONDS="60")
        bot.start()
        port = bot.port
        try:
            body = _wait_status(port, 200)
            assert body["ok"] is True and body["database"] is True and body["problems"] == []
            # the periodic passes are APScheduler jobs now: one "scheduler" task, their next runs under "jobs"
            assert body["tasks"] == {"telegram-poll": "running", "delivery": "running", "scheduler": "running"}
            assert set(body["jobs"]) == {"reminders", "housekeeping", "telegram-sweep"}
            assert all(datetime.fromisoformat(at) > datetime.now(UTC) - timedelta(seconds=5)
                       for at in body["jobs"].values()), body["jobs"]
            assert body["inbox_oldest_unapplied_seconds"] is None
            # `chitieu remind --list` asks the running bot for its jobs' next runs
            listed = CliRunner().invoke(cli, ["remind", "--list", "--days", "1"], env={
                "DATABASE_URL": catalog_sqlite_url, "LOG_LEVEL": "WARNING", "LISTEN_PORT": str(port)})
            assert listed.exit_code == 0, listed.output
            tail = listed.stdout.splitlines()[-4:]
            assert tail[0] == "periodic jobs of the running bot, next run:", listed.stdout
            assert sorted(line.split(":")[0].strip() for line in tail[1:]) == [
                "housekeeping", "reminders", "telegram-sweep"]
            assert all(re.fullmatch(r"  [a-z-]+: \d\d/\d\d/\d{4} \d\d:\d\d:\d\d", line) for line in tail[1:]), tail

            # an update received ten minutes ago and never applied (no Zalo channel runs to apply it): stuck
            with app.uow() as uow:
                uow.session.add(InboxEvent(channel="zalo", update_key="stuck-1", chat_id="z1", payload={},
                                           received_at=utcnow() - timedelta(minutes=10)))
                uow.commit()
            body = _wait_status(port, 503)
            assert body["inbox_oldest_unapplied_seconds"] >= 600
            assert any(p.startswith("inbox: an update has waited") for p in body["problems"]), body
            with app.uow() as uow:
                uow.session.query(InboxEvent).filter_by(update_key="stuck-1").delete()
                uow.commit()
            _wait_status(port, 200)

            # Telegram now refuses the token: getUpdates raises InvalidToken and the polling task ends
            fake.fail_with(401, methods="getUpdates")
            fake.user_sends_text(8301, "/han")  # ends the long poll under way
            body = _wait_status(port, 503)
            assert body["tasks"]["telegram-poll"] == "failed: InvalidToken"
            assert "task telegram-poll failed: InvalidToken" in body["problems"]
            assert body["tasks"]["delivery"] == "running"
        finally:
            bot.stop()
    app.close()
    assert "background task telegram-poll died: InvalidToken" in (tmp_path / "bot.log").read_text()

