"""The scale goals of `/tonghop`: 10,000 units × 50 indicators, text < 1 s, workbook < 10 s (slow: `-m slow`)."""

from __future__ import annotations

import pytest

from tests.reports.bench import build, timed


@pytest.mark.slow
def test_tonghop_at_scale(db_url: str) -> None:
    build(db_url, units=10_000, indicators=50)
    seconds = timed(db_url)
    assert seconds["text"] < 1.0, seconds
    assert seconds["workbook"] < 10.0, seconds
