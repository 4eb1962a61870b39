"""An application on a test database with the shipped catalog loaded, and people to chat as."""

from __future__ import annotations

from datetime import datetime

from bot.app import App
from bot.settings import Settings
from conversations.catalog.loader import load_catalog
from conversations.catalog.sync import sync_catalog
from conversations.invites import create_invite
from storage.db import Database
from tests.helpers.clock import FixedClock, vn

TODAY = vn(2026, 11, 21, 9, 0)


def make_app(db_url: str, at: datetime = TODAY, load: bool = True, **settings: object) -> App:
    """An App on `db_url` with a clock fixed at `at`, syncing the shipped catalog unless told not to."""
    settings = Settings(database_url=db_url, _env_file=None, **settings)  # type: ignore[call-arg, assignment]
    app = App(settings=settings, db=Database.connect(db_url), clock=FixedClock(at))
    if load:
        units, forms = load_catalog(settings.catalog_dir)
        with app.uow() as uow:
            sync_catalog(uow, units, forms, app.clock.today())
            uow.commit()
    return app


def invite(app: App, unit: str, role: str = "focal", days: int = 14, name: str | None = None) -> str:
    """A fresh invite code for `unit`."""
    with app.uow() as uow:
        code = create_invite(uow, unit, role, days, app.clock.now(), name)
        uow.commit()
    return code
