"""Issue 19: request bodies are limited on every route of the running server (64 KB by default), from the
Content-Length before anything is read and while a chunked body streams in; bad or too-deep JSON is a 400."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from tests.fakes import FakeBotApi
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.server import SECRET, read_all, webhook_app, webhook_bot
from tests.helpers.zalo import free_port, running_zalo_bot, zalo_app

FIFTY_MB = 50 * 1024 * 1024
TELEGRAM_ROUTES = [("POST", "/telegram/webhook"), ("GET", "/healthz"), ("GET", "/files/abcdefghijklmnopqrstuvwxyz"),
                   ("GET", "/w/"), ("POST", "/w/dang-xuat"), ("GET", "/w/tong-hop"), ("GET", "/nowhere")]


def status_of(answer: bytes) -> int | None:
    """The status code of a raw HTTP answer (None: the server said nothing)."""
    line = answer.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) >= 2 and line[0].startswith(b"HTTP/") else None


def declared_too_large(port: int, method: str, path: str) -> tuple[int | None, float]:
    """Announce 50 MB, send none of it: (status, seconds until the answer)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: {FIFTY_MB}\r\n\r\n".encode())
        answer = read_all(sock, 5)
    return status_of(answer), time.monotonic() - started


def streamed_too_large(port: int, method: str, path: str, kilobytes: int = 100) -> tuple[int | None, int]:
    """A chunked body of `kilobytes` KB that never ends: (status, bytes the client managed to send)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"400\r\n" + b"[" * 1024 + b"\r\n"
        try:
            for _ in range(kilobytes):
                sock.sendall(chunk)
                sent += 1024
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: stop sending
        answer = read_all(sock, 5)
    return status_of(answer), sent


async def test_every_route_refuses_a_declared_50mb_body_at_once(fake_telegram: FakeBotApi,
                                                                catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port)
    async with webhook_bot(app):
        for method, path in TELEGRAM_ROUTES:
            status, seconds = await asyncio.to_thread(declared_too_large, port, method, path)
            assert status == 413, (method, path, status)
            assert seconds < 1.0, (method, path, seconds)
    app.close()


async def test_every_route_refuses_a_chunked_body_past_the_limit(fake_telegram: FakeBotApi,
                                                                 catalog_sqlite_url: str) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port)
    async with webhook_bot(app):
        for method, path in TELEGRAM_ROUTES:
            status, _ = await asyncio.to_thread(streamed_too_large, port, method, path)
            assert status == 413, (method, path, status)
    app.close()


async def test_the_zalo_webhook_refuses_large_bodies_and_deep_json(catalog_sqlite_url: str) -> None:
    port = free_port()
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app, port) as (_, url):
            assert (await asyncio.to_thread(declared_too_large, port, "POST", "/zalo/webhook"))[0] == 413
            assert (await asyncio.to_thread(streamed_too_large, port, "POST", "/zalo/webhook"))[0] == 413
            async with httpx.AsyncClient() as client:
                for body in (b"[" * 50_000, b'{"a":' * 10_000, b"{", b"\xff", b"[]", b"null"):
                    response = await client.post(url, content=body)
                    assert response.status_code == 400, (body[:10], response.status_code)
                just_over = await client.post(url, content=b" " * 65_537)
                assert just_over.status_code == 413
                assert (await client.get(url.replace("/zalo/webhook", "/healthz"))).status_code == 200
    app.close()


@pytest.mark.parametrize("limit", [1024])
async def test_the_limit_is_a_setting(fake_telegram: FakeBotApi, catalog_sqlite_url: str, limit: int) -> None:
    port = free_port()
    app = webhook_app(catalog_sqlite_url, fake_telegram, port, http_max_body_bytes=limit)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with webhook_bot(app) as url, httpx.AsyncClient() as client:
        assert (await client.post(url, content=b"{" + b" " * limit, headers=headers)).status_code == 413
        assert (await client.post(url, content=b'{"update_id": 1}' + b" " * (limit - 20), headers=headers)
                ).status_code == 200
    app.close()
