"""`LOG_FORMAT=json`: `chitieu run` writes one JSON object a line, uvicorn's own lines included, secrets redacted."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.fakes import FakeBotApi
from tests.faults.botprocess import BotProcess

DOWNLOAD_TOKEN = "Zq9XfakeDownloadToken0123456789"


def test_chitieu_run_logs_json_lines_with_secrets_redacted(catalog_sqlite_url: str, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    with FakeBotApi() as fake:
        bot = BotProcess(fake, catalog_sqlite_url, log, LOG_FORMAT="json", LOG_LEVEL="INFO", ACCESS_LOG="true",
                         REMINDER_PASS_SECONDS="3600")
        bot.start()
        try:
            deadline = time.monotonic() + 20
            while True:
                with contextlib.suppress(httpx.ConnectError):
                    if httpx.get(f"http://127.0.0.1:{bot.port}/healthz", timeout=5).status_code == 200:
                        break
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            # the access log (uvicorn's logger) would carry the token in the path
            assert httpx.get(f"http://127.0.0.1:{bot.port}/nothing/{fake.token}", timeout=5).status_code == 404
            assert httpx.get(f"http://127.0.0.1:{bot.port}/files/{DOWNLOAD_TOKEN}", timeout=5).status_code == 404
            time.sleep(0.5)
        finally:
            bot.stop()
    assert bot.proc is None or bot.proc.returncode == 0
    text = log.read_text()
    # the request line carries the token percent-encoded (":" as %3A): redacted in that form too
    assert fake.token not in text and quote(fake.token, safe="") not in text and DOWNLOAD_TOKEN not in text
    records = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "bot.server" and r["message"].startswith("chitieu-bot running") for r in records)
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert any("/nothing/[redacted]" in r["message"] and "404" in r["message"] for r in access), access
    assert any("/files/[redacted]" in r["message"] for r in access), access
