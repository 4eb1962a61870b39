"""Fixtures for reminder tests: an app on SQLite with the shipped catalog and a clock set for the scenario."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import App
from storage.models import Unit
from tests.helpers.app import make_app
from tests.helpers.clock import vn
from tests.reminders.world import Bot


@pytest.fixture
def app(catalog_sqlite_url: str) -> Iterator[App]:
    """The application on a fresh SQLite database with the catalog; the clock at Sunday 01/11/2026 08:00."""
    application = make_app(catalog_sqlite_url, at=vn(2026, 11, 1, 8, 0), load=False)
    yield application
    application.close()


@pytest.fixture
def bot(app: App) -> Bot:
    """Reminder passes and outbox delivery to a recording channel, on the app's clock."""
    return Bot(app)


def add_central_agency(app: App, code: str = "NHANDAN", name: str = "Báo Nhân Dân") -> None:
    """A press agency collected directly by Cục Báo chí (its Form 2 is due 30/12)."""
    with app.uow() as uow:
        unit = uow.units.add(Unit(code=code, name=name, kind="agency", path=""))
        uow.session.flush()
        uow.units.set_parent(unit, uow.units.by_code("CBC"))
        uow.commit()
