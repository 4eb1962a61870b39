"""The bot as a separate process (`chitieu run`) pointed at the fake Bot API: start, kill -9, restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakes import FakeBotApi
from tests.helpers.zalo import free_port

BIN = Path(sys.executable).parent / "chitieu"
NOW = "2026-11-21T09:00:00+07:00"


class BotProcess:
    """One bot process at a time; `kill()` is SIGKILL, as a crash or an OOM kill would be."""

    def __init__(self, fake: FakeBotApi, db_url: str, log: Path, **env: str) -> None:
        self.fake, self.db_url, self.log = fake, db_url, log
        self.env = {**os.environ, "DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": fake.token,
                    "TELEGRAM_API_BASE_URL": fake.base_url, "TELEGRAM_FILE_BASE_URL": fake.base_file_url,
                    "CLOCK_NOW": NOW, "OUTBOX_CLAIM_TIMEOUT_SECONDS": "2", "OUTBOX_POLL_SECONDS": "0.3",
                    "LOG_LEVEL": "WARNING", **env}
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.port = 0

    def start(self, timeout: float = 20.0) -> None:
        """Start the bot and wait until it starts polling (PTB deletes any webhook just before)."""
        polls = len(self.fake.calls("deleteWebhook"))
        self.port = free_port()  # where this start's web server listens (/healthz)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(BIN), "run"], env={**self.env, "LISTEN_PORT": str(self.port)},
                                         stdout=out, stderr=subprocess.STDOUT)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while len(self.fake.calls("deleteWebhook")) <= polls:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the bot exited with {self.proc.returncode}; see {self.log}")
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not start polling")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        """Terminate cleanly (end of test)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None
