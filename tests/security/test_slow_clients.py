"""Issue 19: idle, half-sent and slow connections cannot take the web server down. The header timeout closes
sockets that never finish their headers, the body timeout answers 408, and past HTTP_MAX_CONNECTIONS the oldest
connection still waiting for headers makes room, so /healthz answers throughout (small timeouts keep it fast)."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx

from tests.fakes import FakeBotApi
from tests.helpers.server import SECRET, closed_by_server, read_all, sockets, webhook_app, webhook_bot
from tests.helpers.zalo import free_port

LIMITS = {"http_header_timeout": 1.0, "http_body_timeout": 1.0, "http_keep_alive_seconds": 1.0,
          "http_max_connections": 40}
HALF_SENT = b"GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: slow"


def healthz(port: int) -> tuple[int, float]:
    started = time.monotonic()
    status = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=3).status_code
    return status, time.monotonic() - started


async def test_idle_and_half_sent_connections_are_closed_and_healthz_answers(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port, **LIMITS)
    async with webhook_bot(app):
        with sockets(port, 60) as idle, sockets(port, 60, HALF_SENT) as half:
            await asyncio.sleep(0.2)
            # 120 connections against a ceiling of 40: the oldest waiting ones were closed to make room
            assert sum(closed_by_server(s) for s in idle + half) >= 120 - 40
            for _ in range(5):
                status, seconds = await asyncio.to_thread(healthz, port)
                assert status == 200 and seconds < 1.0, (status, seconds)
            await asyncio.sleep(1.6)
            still_open = [s for s in idle + half if not closed_by_server(s)]
            assert still_open == [], f"{len(still_open)} connections outlived the 1 s header timeout"
    app.close()


async def test_a_slow_loris_dripping_header_bytes_is_cut_at_the_header_timeout(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port, **LIMITS)
    async with webhook_bot(app):
        def drip() -> float:
            started = time.monotonic()
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\n")
                try:
                    for i in range(40):  # a header line every 0.1 s, for ever
                        sock.sendall(f"X-Drip-{i}: a\r\n".encode())
                        time.sleep(0.1)
                except (BrokenPipeError, ConnectionResetError):
                    return time.monotonic() - started
                return time.monotonic() - started if read_all(sock, 0.5) == b"" else -1.0

        took = await asyncio.to_thread(drip)
        assert 0.9 <= took < 2.5, took

        def keep_alive_then_drip() -> bool:
            """A first request answered, then the next one's headers dripped: the timer starts again."""
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                assert b"200 OK" in sock.recv(65536)
                sock.sendall(b"GET /healthz HTTP/1.1\r\n")
                try:
                    for i in range(30):
                        sock.sendall(f"X-{i}: a\r\n".encode())
                        time.sleep(0.1)
                except (BrokenPipeError, ConnectionResetError):
                    return True
                return read_all(sock, 0.5) == b""

        assert await asyncio.to_thread(keep_alive_then_drip)
    app.close()


async def test_a_slow_body_gets_408(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port, **LIMITS)
    async with webhook_bot(app):
        def slow_body() -> tuple[bytes, float]:
            started = time.monotonic()
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(f"POST /telegram/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                             f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n\r\n{{\"update_id\": ".encode())
                return read_all(sock, 4), time.monotonic() - started

        answer, took = await asyncio.to_thread(slow_body)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
        assert took < 2.5
    app.close()
