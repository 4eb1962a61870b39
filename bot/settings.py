"""Settings from the environment and an optional `.env` file (pydantic-settings).

Where data lives never depends on the working directory (cron runs `chitieu` from anywhere): from a
checkout (the package sits beside `pyproject.toml` and `catalog/`) it is the project's `data/`;
installed elsewhere, the per-user data directory (`$XDG_DATA_HOME/chitieu-bot`, else
`~/.local/share/chitieu-bot`; `~/Library/Application Support/chitieu-bot` on macOS,
`%LOCALAPPDATA%\\chitieu-bot` on Windows), the rule of `platformdirs.user_data_dir`.
`DATABASE_URL` and `EXPORTS_DIR` override them; `.env` is read from the project, then from here.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from conversations.catalog.loader import SHIPPED

MIN_WEBHOOK_SECRET = 32
WEBHOOK_SECRET_CHARS = re.compile(r"[A-Za-z0-9_-]+")  # what Telegram accepts as secret_token
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'

APP_DIR = "chitieu-bot"


def project_root() -> Path | None:
    """The checkout this package runs from (it has `pyproject.toml` and the `Makefile`), else None."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "Makefile").is_file() else None


def user_data_dir() -> Path:
    """The per-user data directory of the platform, as `platformdirs.user_data_dir(APP_DIR)` gives it."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR


def data_dir() -> Path:
    """The project's `data/` in a checkout, else the per-user data directory."""
    root = project_root()
    return root / "data" if root else user_data_dir()


def default_database_url() -> str:
    """`sqlite:////…/data/chitieu.sqlite3`: an absolute path, whatever the working directory."""
    return f"sqlite:///{(data_dir() / 'chitieu.sqlite3').as_posix()}"


def _env_files() -> tuple[str, ...]:
    root = project_root()
    return (str(root / ".env"), ".env") if root else (".env",)


class Settings(BaseSettings):
    """Every knob of the bot; see the README's settings table."""

    model_config = SettingsConfigDict(env_file=_env_files(), env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    exports_dir: Path = Field(default_factory=lambda: data_dir() / "exports")  # files the console chat saves
    catalog_dir: Path = SHIPPED
    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # or "json": one JSON object a line (bot.logsafe.JsonFormatter)
    clock_now: datetime | None = None  # freeze "now" (training sessions, reproducible demos and tests)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str | None = None
    telegram_bot_username: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080

    zalo_app_id: str | None = None
    zalo_app_secret: SecretStr | None = None
    zalo_oa_secret_key: SecretStr | None = None
    zalo_refresh_token: SecretStr | None = None  # first use only; then kept (rotated) in the database
    zalo_api_base_url: str = "https://openapi.zalo.me"
    zalo_oauth_base_url: str = "https://oauth.zaloapp.com"
    zalo_zns_base_url: str = "https://business.openapi.zalo.me"
    zalo_window_hours: float = 7 * 24  # consultation messages reach people who wrote within this window
    zalo_zns_template_id: str | None = None  # approved ZNS template for reminders outside the window
    public_base_url: str | None = None  # where /files/... download links point (Excel over Zalo)
    # Fernet key(s) encrypting the Zalo tokens kept in the database; needed when the Zalo OA channel runs.
    # Several, comma-separated, while a rotation is under way (the first encrypts). See bot/tokenkey.py.
    token_key: SecretStr | None = None

    # The web server's limits (issue 19): every route, before a body is read or a slow client is waited for.
    http_max_body_bytes: int = 65536  # larger request bodies get 413, from Content-Length and while streaming
    http_max_connections: int = 256  # open connections; beyond it the oldest one still sending headers is closed
    http_header_timeout: float = 10.0  # seconds to send the request line and headers, else the connection closes
    http_body_timeout: float = 20.0  # seconds to send the whole body, else 408
    http_keep_alive_seconds: float = 5.0  # an idle kept-alive connection closes after this
    http_backlog: int = 128  # connections the kernel queues; also how many are accepted at once
    access_log: bool = False  # uvicorn's access log (through the secret filter) at INFO
    log_repeats_per_minute: int = 10  # identical log lines let through per minute (the rest counted)

    zalo_event_max_age_seconds: int = 600  # older (or future) signed Zalo events are refused: no replay
    inbox_keep_hours: float = 48.0  # applied inbox rows (dedupe keys) kept this long, then pruned
    housekeeping_seconds: float = 600.0  # how often expired downloads and old inbox rows are deleted
    inbox_sweep_seconds: float = 5.0  # how often each channel applies updates left waiting (bot.jobs)
    job_misfire_grace_seconds: int = 300  # a periodic job this late still runs (missed runs coalesce)

    reminder_pass_seconds: int = 60
    outbox_poll_seconds: float = 2.0
    outbox_claim_timeout_seconds: float = 120.0  # a send claimed longer ago was cut short by a crash
    health_inbox_max_age_seconds: float = 300.0  # /healthz 503 when an update has waited longer to be applied
    health_outbox_max_age_seconds: float = 900.0  # /healthz 503 when a reply has waited longer to be sent
    stop_timeout_seconds: float = 10.0  # SIGTERM/SIGINT: turns, sends under way and claims settled within this

    @field_validator("telegram_bot_token", "webhook_secret", "zalo_app_secret", "zalo_oa_secret_key",
                     "zalo_refresh_token", "webhook_url", "zalo_app_id", "public_base_url", mode="before")
    @classmethod
    def _empty_is_missing(cls, value: object) -> object:
        """`WEBHOOK_SECRET=` (or only spaces) is no secret at all, never a secret equal to ""."""
        if value is None:
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if isinstance(raw, str) and not raw.strip() else value

    def startup_problem(self) -> str | None:
        """Why `chitieu run` must not start with these settings (one line), or None."""
        if self.telegram_bot_token is not None and self.webhook_url:
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if len(secret) < MIN_WEBHOOK_SECRET or not WEBHOOK_SECRET_CHARS.fullmatch(secret):
                return (f"WEBHOOK_URL is set but WEBHOOK_SECRET is {'missing' if not secret else 'too weak'}: "
                        f"it needs {MIN_WEBHOOK_SECRET}+ characters from A-Z a-z 0-9 _ -; make one with "
                        f"{MAKE_SECRET} and put WEBHOOK_SECRET=<it> in .env (or unset WEBHOOK_URL for polling)")
        if self.zalo_event_max_age_seconds * 2 > self.inbox_keep_hours * 3600:
            return "INBOX_KEEP_HOURS must keep dedupe keys at least twice ZALO_EVENT_MAX_AGE_SECONDS"
        return None

    @property
    def zalo_enabled(self) -> bool:
        """True when the Zalo OA channel is configured."""
        return bool(self.zalo_app_id and self.zalo_app_secret and self.zalo_oa_secret_key)

    @property
    def tz(self) -> ZoneInfo:
        """The timezone deadlines and reminders are reckoned in."""
        return ZoneInfo(self.timezone)
