"""Fixtures for dialogue tests (the app and registered chats come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers.chat import Chat


@pytest.fixture
def province(registered: Callable[..., Chat]) -> Chat:
    """The focal person of Quảng Trị."""
    return registered("QUANGTRI", name="Lê Thị B")
