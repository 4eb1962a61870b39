"""The one wiring point: builds the application's parts from settings (nothing at import time)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

from bot import logsafe
from bot.settings import Settings
from conversations.clock import Clock, FrozenClock
from conversations.engine import Engine
from conversations.forms import FormCache
from conversations.service import DialogueService
from storage.db import Database
from storage.uow import UnitOfWork


@dataclass
class App:
    """Database, clock and settings shared by the CLI, the channels and the scheduler."""

    settings: Settings
    db: Database
    clock: Clock = field(default_factory=Clock)
    _service: DialogueService | None = field(default=None, repr=False)

    def uow(self) -> UnitOfWork:
        """A new unit of work on the main database."""
        return UnitOfWork(self.db.sessions())

    def read_uow(self) -> UnitOfWork:
        """A unit of work for read-only reporting (never blocks writers on SQLite)."""
        return UnitOfWork(self.db.read_sessions())

    def dialogue_service(self) -> DialogueService:
        """The engine behind every channel, with the wiring layer's extra commands."""
        if self._service is None:
            from bot.extras import extra_commands

            self._service = DialogueService(self.uow, self.clock, Engine(extra_commands(self)), FormCache(),
                                            new_read_uow=self.read_uow)
        return self._service

    def close(self) -> None:
        """Release database connections."""
        self.db.dispose()


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret, for the log filter."""
    fields = (settings.telegram_bot_token, settings.webhook_secret, settings.zalo_app_secret,
              settings.zalo_oa_secret_key, settings.zalo_refresh_token, settings.token_key)
    password = make_url(settings.database_url).password
    keys = settings.token_key.get_secret_value().split(",") if settings.token_key else []  # NEW,OLD while rotating
    return ([f.get_secret_value() for f in fields if f is not None] + ([str(password)] if password else [])
            + [k.strip() for k in keys if k.strip()])


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> App:
    """Build the application from settings (environment and `.env` when not given)."""
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # sqlalchemy.engine at DEBUG would echo every row, Zalo tokens and people's answers included
    for noisy in ("alembic", "httpx", "httpcore", "apscheduler", "sqlalchemy.engine", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if settings.log_format == "json":
        logsafe.use_json()
    logsafe.install(secret_values(settings), settings.log_repeats_per_minute)
    if clock is None:
        clock = FrozenClock(settings.clock_now, settings.tz) if settings.clock_now else Clock(settings.tz)
    return App(settings=settings, db=Database.connect(settings.database_url), clock=clock)
