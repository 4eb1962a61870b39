"""Settings from the environment and an optional `.env` file (pydantic-settings)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from conversations.catalog.loader import SHIPPED


class Settings(BaseSettings):
    """Every knob of the bot; see the README's settings table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///data/chitieu.sqlite3"
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
    health_inbox_max_age_seconds: float = 300.0  # /healthz 503 when an update has waited longer to be applied
    health_outbox_max_age_seconds: float = 900.0  # /healthz 503 when a reply has waited longer to be sent
    stop_timeout_seconds: float = 10.0  # SIGTERM/SIGINT: turns, sends under way and claims settled within this

    @property
    def zalo_enabled(self) -> bool:
        """True when the Zalo OA channel is configured."""
        return bool(self.zalo_app_id and self.zalo_app_secret and self.zalo_oa_secret_key)

    @property
    def tz(self) -> ZoneInfo:
        """The timezone deadlines and reminders are reckoned in."""
        return ZoneInfo(self.timezone)
