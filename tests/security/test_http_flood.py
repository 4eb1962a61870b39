"""Issue 19's figures: `chitieu run` (Telegram polling, the Zalo webhook) under a 400-file limit is flooded with
idle and half-sent connections (more than the limit), 50 MB bodies declared and streamed, 100,000- and
50,000-deep JSON,
while a Telegram person and a Zalo person answer Form 1 and /healthz is polled. Printed: requests tried,
refused, the server's memory peak and open files, /healthz's worst answer time, log lines, data lost (0)."""

from __future__ import annotations

import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from storage.models import Answer, InboxEvent
from tests.fakes import FakeBotApi
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite, make_app
from tests.helpers.figures import figure
from tests.helpers.server import read_all
from tests.helpers.zalo import OA_SECRET, TOKEN_KEY, free_port

pytestmark = pytest.mark.faults
BIN = Path(sys.executable).parent / "chitieu"
FILE_LIMIT = 400
IDLE, HALF_SENT, DECLARED, STREAMED, DEEP = 600, 100, 40, 16, 40
TELEGRAM_USER, ZALO_USER = 8801, "84908808800"


def status_of(answer: bytes) -> int:
    line = answer.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) >= 2 and line[0].startswith(b"HTTP/") else 0  # 0: closed without answer


class Server:
    """`chitieu run` with a low file limit, sampled for memory and open files while it runs."""

    def __init__(self, fake: FakeBotApi, zalo: FakeZaloApi, db_url: str, log: Path) -> None:
        self.port, self.log = free_port(), log
        env = {**os.environ, "DATABASE_URL": db_url, "CLOCK_NOW": "2026-11-21T09:00:00+07:00",
               "LISTEN_PORT": str(self.port), "LOG_LEVEL": "INFO", "REMINDER_PASS_SECONDS": "3600",
               "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url,
               "ZALO_APP_ID": zalo.app_id, "ZALO_APP_SECRET": zalo.app_secret, "ZALO_OA_SECRET_KEY": OA_SECRET,
               "ZALO_REFRESH_TOKEN": zalo.issue_tokens().refresh_token, "ZALO_API_BASE_URL": zalo.base_url,
               "ZALO_OAUTH_BASE_URL": zalo.base_url, "TOKEN_KEY": TOKEN_KEY, "HTTP_MAX_CONNECTIONS": "64", "HTTP_BACKLOG": "32",
               "HTTP_HEADER_TIMEOUT": "2", "HTTP_BODY_TIMEOUT": "2", "HTTP_KEEP_ALIVE_SECONDS": "1"}

        def low_file_limit() -> None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))

        self.proc = subprocess.Popen([str(BIN), "run"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                     preexec_fn=low_file_limit)
        self.fds_peak, self.stop_sampling = 0, threading.Event()
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url("/healthz"), timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.proc.kill()
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        self.sampler.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _sample(self) -> None:
        while not self.stop_sampling.wait(0.05):
            try:
                self.fds_peak = max(self.fds_peak, len(os.listdir(f"/proc/{self.proc.pid}/fd")))
            except OSError:
                return

    def memory_peak_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def stop(self) -> None:
        self.stop_sampling.set()
        self.proc.terminate()
        self.proc.wait(timeout=20)


def test_a_flooded_web_port_refuses_the_flood_and_loses_nothing(fake_telegram: FakeBotApi, catalog_sqlite_url: str,
                                                                 tmp_path: Path) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    telegram_code, zalo_code = invite(app, "QUANGTRI"), invite(app, "HANOI")
    fake_telegram.add_user(TELEGRAM_USER)
    outcomes: Counter[str] = Counter()
    health: list[float] = []
    with FakeZaloApi() as zalo:
        server = Server(fake_telegram, zalo, catalog_sqlite_url, tmp_path / "bot.log")
        port, webhook = server.port, server.url("/zalo/webhook")
        base_mb = server.memory_peak_mb()
        try:
            def attempt(kind: str, make: callable) -> None:  # type: ignore[valid-type]
                try:
                    outcomes[f"{kind} {make()}"] += 1
                except OSError:
                    outcomes[f"{kind} reset"] += 1

            def declared() -> int:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                    sock.sendall(f"POST /zalo/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: {50 << 20}\r\n\r\n"
                                 .encode())
                    return status_of(read_all(sock, 10))

            def streamed() -> int:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                    sock.sendall(b"POST /zalo/webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    chunk = b"10000\r\n" + b"x" * 65536 + b"\r\n"
                    try:
                        for _ in range(800):  # 50 MB if nobody stops it
                            sock.sendall(chunk)
                    except OSError:
                        pass
                    return status_of(read_all(sock, 10))

            def deep(depth: int) -> callable:  # type: ignore[valid-type]
                return lambda: httpx.post(webhook, content=b"[" * depth, timeout=10).status_code

            def poll_health(stop: threading.Event) -> None:
                while not stop.is_set():
                    started = time.monotonic()
                    try:
                        ok = httpx.get(server.url("/healthz"), timeout=5).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    health.append(time.monotonic() - started if ok else float("inf"))
                    stop.wait(0.2)

            stop = threading.Event()
            poller = threading.Thread(target=poll_health, args=(stop,), daemon=True)
            poller.start()
            idle: list[socket.socket] = []
            for i in range(IDLE + HALF_SENT):  # more connections than the server may open files
                try:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                    if i >= IDLE:
                        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                    idle.append(sock)
                except OSError:
                    outcomes["connection refused"] += 1
            with ThreadPoolExecutor(8) as pool:
                jobs = ([pool.submit(attempt, "declared 50 MB", declared) for _ in range(DECLARED)]
                        + [pool.submit(attempt, "streamed 50 MB", streamed) for _ in range(STREAMED)]
                        + [pool.submit(attempt, "100,000-deep JSON", deep(100_000)) for _ in range(DEEP // 2)]
                        + [pool.submit(attempt, "50,000-deep JSON", deep(50_000)) for _ in range(DEEP // 2)])
                # meanwhile the chats go on: Telegram by polling, Zalo through the flooded port
                fake_telegram.user_sends_command(TELEGRAM_USER, "start", telegram_code)
                fake_telegram.wait_for_messages(TELEGRAM_USER, 1, timeout=30)
                fake_telegram.user_sends_text(TELEGRAM_USER, "/nop 2026-Q4")
                fake_telegram.wait_for_messages(TELEGRAM_USER, 2, timeout=30)
                fake_telegram.user_sends_text(TELEGRAM_USER, "62/38")
                saved = fake_telegram.wait_for_messages(TELEGRAM_USER, 3, timeout=30)[-1].text
                zalo_statuses = [zalo.user_sends_text(webhook, ZALO_USER, text, OA_SECRET).status_code
                                 for text in (zalo_code,)]
                zalo.wait_for_messages(ZALO_USER, 1, timeout=30)
                zalo_statuses.append(zalo.user_sends_text(webhook, ZALO_USER, "/nop 2026-Q4", OA_SECRET).status_code)
                zalo.wait_for_messages(ZALO_USER, 2, timeout=30)
                zalo_statuses.append(zalo.user_sends_text(webhook, ZALO_USER, "55/45", OA_SECRET).status_code)
                zalo_saved = zalo.wait_for_messages(ZALO_USER, 3, timeout=30)[-1]["text"]
                for job in jobs:
                    job.result()
            time.sleep(2.5)  # the header timeout closes what is still idle
            closed = sum(_closed(sock) for sock in idle)
            for sock in idle:
                sock.close()
            stop.set()
            poller.join()
            peak_mb, files_after, fds_peak = server.memory_peak_mb(), server.open_files(), server.fds_peak
        finally:
            server.stop()
    log_text = (tmp_path / "bot.log").read_text()
    with app.uow() as uow:
        answers = uow.session.scalar(select(func.count()).select_from(Answer)) or 0
        pending = uow.session.scalar(select(func.count()).select_from(InboxEvent)
                                     .where(InboxEvent.processed_at.is_(None))) or 0
    app.close()

    tried = IDLE + HALF_SENT + DECLARED + STREAMED + DEEP
    refused = sum(n for k, n in outcomes.items() if not k.endswith(" 200")) + closed
    lost = (0 if "Đã lưu" in (saved or "") else 1) + (0 if "Đã lưu" in zalo_saved else 1) + (2 - answers) + pending
    figure(f"[http flood] tried={tried} (idle={IDLE} half-sent={HALF_SENT} declared 50 MB={DECLARED} streamed "
           f"50 MB={STREAMED} deep JSON={DEEP}) refused={refused} outcomes={dict(sorted(outcomes.items()))}")
    figure(f"[http flood] memory peak={peak_mb:.0f} MB (at start {base_mb:.0f} MB) open files peak={fds_peak} "
           f"(limit {FILE_LIMIT}) after={files_after} healthz worst={max(health) * 1000:.0f} ms over {len(health)} "
           f"polls log lines={len(log_text.splitlines())} data lost={lost}")
    assert outcomes["declared 50 MB 413"] == DECLARED
    assert outcomes["100,000-deep JSON 413"] == outcomes["50,000-deep JSON 400"] == DEEP // 2, "never a 500"
    assert all(k.endswith(("413", "reset")) for k in outcomes if k.startswith("streamed"))
    assert closed == IDLE + HALF_SENT, "every idle or half-sent connection was closed by the server"
    assert zalo_statuses == [200, 200, 200]
    assert max(health) < 3.0, "healthz answered throughout (2 shared cores: seconds, not a timeout)"
    assert fds_peak < FILE_LIMIT and "out of system resource" not in log_text and "Too many open files" not in log_text
    assert peak_mb - base_mb < 100, "no 50 MB body was held in memory"
    assert len(log_text.splitlines()) < 200, "the flood wrote a few lines, not one per attempt"
    assert lost == 0


def _closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True
