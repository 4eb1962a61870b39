"""Numbers as people type them, and the text clean-up underneath."""

from decimal import Decimal

import pytest

from conversations.parsing import fold, normalise, parse_number

D = Decimal


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", D(12)),
        ("1.234,5", D("1234.5")),
        ("1.234", D(1234)),
        ("12.345.678", D(12345678)),
        ("12.5", D("12.5")),
        ("0.500", D("0.5")),  # "0" cannot start a thousands group
        ("1234.567", D("1234.567")),  # neither: the first group is 4 digits
        ("12,5", D("12.5")),
        ("1,234", D("1.234")),  # a lone comma is always the Vietnamese decimal comma
        ("1,234.5", D("1234.5")),
        ("1.234.567,125", D("1234567.125")),
        ("1,200,000", D(1200000)),
        ("1 234", D(1234)),
        ("1 234 567,5", D("1234567.5")),
        ("１２", D(12)),
        ("１２，５％", D("12.5")),
        ("  12,5 % ", D("12.5")),
        ("12,5%", D("12.5")),
        ("+15", D(15)),
        ("-3", D(-3)),
        ("−3", D(-3)),  # U+2212 minus sign
        ("- 3", D(-3)),
        ("-0", D(0)),
        ("12,50", D("12.5")),
        ("0,0000001", D("0.0000001")),
        ("1\u200b234", D(1234)),  # zero-width space inside
        ("\u202b12\u202c", D(12)),  # right-to-left embedding around
        ("999.999.999.999.999", D(999999999999999)),  # 15 significant digits: the most we take
    ],
)
def test_parse_number_reads(typed: str, expected: Decimal) -> None:
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "abc",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "1e5",
        "12,",
        ",5",
        "1.2.3",
        "1,2,3",
        "1.23,4.5",
        "1.2,5",  # the grouping before the decimal comma is wrong
        "12 5",  # not a thousands group
        "65 35",
        "1..2",
        "--3",
        "١٢",  # Arabic-Indic digits are not taken
        "1.000.000.000.000.000.000",  # 19 significant digits
        "1234567890123456",
        "0," + "0" * 40 + "1",
    ],
)
def test_parse_number_refuses(typed: str) -> None:
    assert parse_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,234", D(1234)), ("1.234", D("1.234")), ("1,5", D("1.5")), ("1.234,5", D("1234.5"))],
)
def test_parse_number_in_english_reads_a_lone_comma_as_grouping(typed: str, expected: Decimal) -> None:
    assert parse_number(typed, lang="en") == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  a   b\tc\n", "a b c"),
        ("１２３", "123"),
        ("a\u200bb\u200d", "ab"),
        ("\u202eabc\u202c", "abc"),
        ("\x00x\x07", "x"),
        ("x\u00a0y", "x y"),
    ],
)
def test_normalise(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Có", "co"), ("ĐÚNG", "dung"), ("chưa", "chua"), ("Tạm ước tính", "tam uoc tinh"), ("ok", "ok")],
)
def test_fold(typed: str, expected: str) -> None:
    assert fold(typed) == expected


def test_fold_keeps_one_character_per_character() -> None:
    text = "Số liệu tạm ước tính: 1.234 người ✓"
    assert len(fold(text)) == len(text)
