"""Fixtures for report tests: the app on each backend (the SQLite app and chats come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import App
from tests.helpers.app import make_app


@pytest.fixture
def any_app(db_url: str) -> Iterator[App]:
    """The application with the catalog on SQLite, then on PostgreSQL."""
    application = make_app(db_url)
    yield application
    application.close()
