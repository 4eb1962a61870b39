"""Period codes read from what people type, and shown by the names they use (issue 11 §5)."""

from __future__ import annotations

import pytest

from storage.period_names import period_name, read_period, with_codes


@pytest.mark.parametrize(("typed", "code"), [
    ("2026-Q4", "2026-Q4"), ("2026q4", "2026-Q4"), ("Q4/2026", "2026-Q4"), ("quý IV/2026", "2026-Q4"),
    ("Quý 4 năm 2026", "2026-Q4"), ("quy iv 2026", "2026-Q4"), ("q4 2026", "2026-Q4"), ("IV/2026", "2026-Q4"),
    ("năm 2026", "2026"), ("Nam 2026", "2026"), ("2026", "2026"), ("6 tháng đầu năm 2026", "2026-H1"),
    ("tháng 3/2026", "2026-M03"), ("2031-Q7", "2031-Q7"), ("abc", None), ("2", None), ("quý V/2026", None),
])
def test_read_period(typed: str, code: str | None) -> None:
    assert read_period(typed) == code


def test_phrases_become_codes_and_other_words_stay() -> None:
    assert with_codes(["2", "Quý", "IV/2026", "CL"]) == ["2", "2026-Q4", "CL"]
    assert with_codes(["năm", "2026", "cds"]) == ["2026", "cds"]
    assert with_codes(["2", "2026-Q3"]) == ["2", "2026-Q3"]


def test_names() -> None:
    assert [period_name(c) for c in ("2026-Q4", "2026", "2026-H1", "2026-M03")] == [
        "Quý IV/2026", "Năm 2026", "6 tháng đầu năm 2026", "Tháng 3/2026"]
    assert period_name("2026-Q4", "en") == "Q4 2026"
