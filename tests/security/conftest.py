"""Fixtures for the security tests: an app on SQLite with the catalog, and registered chats."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.app import App
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat


@pytest.fixture
def app(catalog_sqlite_url: str) -> Iterator[App]:
    """The application on a fresh SQLite database with the catalog, clock at 21/11/2026 09:00 Hanoi."""
    application = make_app(catalog_sqlite_url, load=False)
    yield application
    application.close()


@pytest.fixture
def registered(app: App) -> Callable[..., Chat]:
    """A factory: a chat registered with a role on a unit."""
    counter = iter(range(1, 1000))

    def make(unit: str = "QUANGTRI", role: str = "focal", user_id: str | None = None, name: str | None = None) -> Chat:
        chat = Chat(app.dialogue_service(), user_id or f"sec{next(counter)}")
        chat.send(f"/start {invite(app, unit, role, name=name)}")
        assert "đã được đăng ký" in chat.text, chat.text
        return chat

    return make
