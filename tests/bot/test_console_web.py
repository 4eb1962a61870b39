"""`make run` without a token: the console chat and, beside it, the web view that `/web` links to."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from tests.helpers.app import invite, make_app
from tests.web.browser import free_socket

BIN = Path(sys.executable).parent / "chitieu"


def test_the_console_prints_a_web_link_that_opens_the_overview_while_the_chat_runs(catalog_sqlite_url: str,
                                                                                   tmp_path: Path) -> None:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()  # the console binds it again
    app = make_app(catalog_sqlite_url, load=False)  # migrated, catalog loaded: what `make run` does first
    code = invite(app, "CBC", "analyst")
    app.close()
    env = {**os.environ, "DATABASE_URL": catalog_sqlite_url, "LOG_LEVEL": "WARNING",
           "CLOCK_NOW": "2026-11-21T09:00:00+07:00", "LISTEN_PORT": str(port)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("PUBLIC_BASE_URL", None)
    bot = subprocess.Popen([str(BIN), "run"], env=env, cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in bot.stdout], daemon=True).start()
    try:
        bot.stdin.write(f"/start {code}\n/web\n")
        bot.stdin.flush()
        link, seen = None, []
        while link is None:
            seen.append(lines.get(timeout=60))
            found = re.search(rf"http://127\.0\.0\.1:{port}/w/vao/\S+", seen[-1])
            link = found.group(0) if found else None
        assert any(f"http://127.0.0.1:{port}/w/ : type /web" in line for line in seen)  # said at start
        with httpx.Client(follow_redirects=False) as web:
            signed_in = web.get(link)
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/w/tong-hop"
            overview = web.get(f"http://127.0.0.1:{port}/w/tong-hop")
            assert overview.status_code == 200 and "Phạm vi: Cục Báo chí" in overview.text
    finally:
        bot.stdin.close()
        assert bot.wait(60) == 0, bot.stderr.read()
