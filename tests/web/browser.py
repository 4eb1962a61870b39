"""Headless Chromium (Debian's `chromium` and `chromium-driver`) driven by Selenium, and a live web server.

Nothing here downloads a browser: the driver and the browser are the system's, named by path, so
Selenium Manager is never asked. One browser is shared by every browser test of a session.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from bot.app import App
from bot.server import web_app

CHROMIUM = os.environ.get("CHITIEU_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHITIEU_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=vi-VN")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: install Debian's chromium and chromium-driver packages (.ci/run does)"
    return None


def free_socket() -> socket.socket:
    """A listening-ready socket on 127.0.0.1 with a port the system chose."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def live_server(app: App, sock: socket.socket) -> Iterator[str]:
    """The bot's web application served by uvicorn in a thread on `sock`; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(web_app(app, None, None), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def chromium() -> Iterator[tuple[object, Path]]:
    """A headless Chromium with a fresh profile and a download folder; yields (driver, downloads)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = Path(tempfile.mkdtemp(prefix="chitieu-chromium-"))
    downloads = profile / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.page_load_strategy = "eager"  # pages are ready at DOMContentLoaded; the chart image may follow
    for flag in (*FLAGS, f"--user-data-dir={profile / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver, downloads
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for_file(folder: Path, name: str, tries: int = 400) -> bytes:
    """The bytes of a finished download (Chromium writes `.crdownload` until it is complete)."""
    path = folder / name
    for _ in range(tries):
        if path.exists() and not (folder / f"{name}.crdownload").exists():
            return path.read_bytes()
        time.sleep(0.05)
    raise AssertionError(f"{name} was not downloaded; folder holds {sorted(p.name for p in folder.iterdir())}")
