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
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from conversations.catalog.loader import SHIPPED

APP_DIR = "chitieu-bot"


def project_root() -> Path | None:
    """The checkout this package runs from (it has `pyproject.toml` and `catalog/`), else None."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "catalog").is_dir() else None


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

    reminder_pass_seconds: int = 60
    outbox_poll_seconds: float = 2.0
    outbox_claim_timeout_seconds: float = 120.0  # a send claimed longer ago was cut short by a crash

    @property
    def zalo_enabled(self) -> bool:
        """True when the Zalo OA channel is configured."""
        return bool(self.zalo_app_id and self.zalo_app_secret and self.zalo_oa_secret_key)

    @property
    def tz(self) -> ZoneInfo:
        """The timezone deadlines and reminders are reckoned in."""
        return ZoneInfo(self.timezone)
