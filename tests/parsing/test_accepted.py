"""Every accepted form of every shape, as a table: what a focal person types -> the value stored."""

from datetime import date
from decimal import Decimal

import pytest

from conversations.parsing import AnswerSpec, parse_answer
from storage.values import Basis, Shape, Value

D = Decimal
TODAY = date(2026, 11, 20)
ONLY_COUNTS = {"counts_required": True}


def share_pair(a: str, b: str, basis: Basis = Basis.PERCENT) -> Value:
    return Value(Shape.SHARE_PAIR, basis, D(a), D(b))


def ratio(a: str, b: str | None = None) -> Value:
    return Value(Shape.RATIO, Basis.PERCENT if b is None else Basis.COUNTS, D(a), None if b is None else D(b))


def growth(a: str, b: str | None = None) -> Value:
    return Value(
        Shape.GROWTH, Basis.PERCENT if b is None else Basis.COUNTS, D(a), None if b is None else D(b)
    )


def single(shape: Shape, a: str, b: str | None = None) -> Value:
    basis = Basis.PERCENT if shape is Shape.PERCENT else Basis.VALUE
    return Value(shape, basis, D(a), None if b is None else D(b))


YES = Value(Shape.YES_NO, Basis.VALUE, D(1))
NO = Value(Shape.YES_NO, Basis.VALUE, D(0))

ACCEPTED = [
    # percent
    (Shape.PERCENT, "12,5%", {}, single(Shape.PERCENT, "12.5")),
    (Shape.PERCENT, "12.5", {}, single(Shape.PERCENT, "12.5")),
    (Shape.PERCENT, "12,5", {}, single(Shape.PERCENT, "12.5")),
    (Shape.PERCENT, "１２,５％", {}, single(Shape.PERCENT, "12.5")),
    (Shape.PERCENT, " 100 % ", {}, single(Shape.PERCENT, "100")),
    (Shape.PERCENT, "0", {}, single(Shape.PERCENT, "0")),
    (Shape.PERCENT, "150%", {"max_value": D(200)}, single(Shape.PERCENT, "150")),
    (Shape.PERCENT, "12,5%.", {}, single(Shape.PERCENT, "12.5")),
    # share pair: two shares adding up to 100
    (Shape.SHARE_PAIR, "65/35", {}, share_pair("65", "35")),
    (Shape.SHARE_PAIR, "65%/35%", {}, share_pair("65", "35")),
    (Shape.SHARE_PAIR, "65 - 35", {}, share_pair("65", "35")),
    (Shape.SHARE_PAIR, "65% - 35%", {}, share_pair("65", "35")),
    (Shape.SHARE_PAIR, "65 / 35", {}, share_pair("65", "35")),
    (Shape.SHARE_PAIR, "65 – 35", {}, share_pair("65", "35")),  # en dash
    (Shape.SHARE_PAIR, "62,5/37,5", {}, share_pair("62.5", "37.5")),
    (Shape.SHARE_PAIR, "66,7/33,3", {}, share_pair("66.7", "33.3")),
    (Shape.SHARE_PAIR, "60,2/40,2", {}, share_pair("60.2", "40.2")),  # 100,4: within the tolerance
    # share pair: two counts
    (Shape.SHARE_PAIR, "1.200.000/800.000", {}, share_pair("1200000", "800000", Basis.COUNTS)),
    (Shape.SHARE_PAIR, "1 200 000 / 800 000", {}, share_pair("1200000", "800000", Basis.COUNTS)),
    (Shape.SHARE_PAIR, "150/80", {}, share_pair("150", "80", Basis.COUNTS)),
    (Shape.SHARE_PAIR, "1.200.000/800.000 (60%/40%)", {}, share_pair("1200000", "800000", Basis.COUNTS)),
    (Shape.SHARE_PAIR, "60/40 (60%/40%)", {}, share_pair("60", "40", Basis.COUNTS)),  # derived part: counts
    (Shape.SHARE_PAIR, "30/50", ONLY_COUNTS, share_pair("30", "50", Basis.COUNTS)),
    # ratio
    (Shape.RATIO, "120.500/150.000", {}, ratio("120500", "150000")),
    (Shape.RATIO, "120.500 / 150.000", {}, ratio("120500", "150000")),
    (Shape.RATIO, "120.500/150.000 (80,3%)", {}, ratio("120500", "150000")),
    (Shape.RATIO, "150/150", {}, ratio("150", "150")),
    (Shape.RATIO, "0/3", {}, ratio("0", "3")),
    (Shape.RATIO, "12,5/150", {}, ratio("12.5", "150")),  # e.g. revenue in billions
    (Shape.RATIO, "80,3%", {}, ratio("80.3")),
    (Shape.RATIO, "80,3", {}, ratio("80.3")),
    (Shape.RATIO, "120.500/150.000", ONLY_COUNTS, ratio("120500", "150000")),
    # growth
    (Shape.GROWTH, "12,5%", {}, growth("12.5")),
    (Shape.GROWTH, "-3%", {}, growth("-3")),
    (Shape.GROWTH, "+15", {}, growth("15")),
    (Shape.GROWTH, "+12,5%", {}, growth("12.5")),
    (Shape.GROWTH, "−3%", {}, growth("-3")),
    (Shape.GROWTH, "250%", {}, growth("250")),
    (Shape.GROWTH, "1.150/1.000", {}, growth("1150", "1000")),
    (Shape.GROWTH, "1.150/1.000 (+15%)", {}, growth("1150", "1000")),
    (Shape.GROWTH, "0/1.000 (-100%)", {}, growth("0", "1000")),
    (Shape.GROWTH, "900/1.000", ONLY_COUNTS, growth("900", "1000")),
    # count
    (Shape.COUNT, "1.234", {}, single(Shape.COUNT, "1234")),
    (Shape.COUNT, "7", {}, single(Shape.COUNT, "7")),
    (Shape.COUNT, "0", {}, single(Shape.COUNT, "0")),
    (Shape.COUNT, "1 234", {}, single(Shape.COUNT, "1234")),
    (Shape.COUNT, "12,0", {}, single(Shape.COUNT, "12")),
    (Shape.COUNT, "１０", {}, single(Shape.COUNT, "10")),
    # count with share
    (Shape.COUNT_SHARE, "7 (2,6%)", {}, single(Shape.COUNT_SHARE, "7", "2.6")),
    (Shape.COUNT_SHARE, "7 (2.6%)", {}, single(Shape.COUNT_SHARE, "7", "2.6")),
    (Shape.COUNT_SHARE, "7 - 2,6%", {}, single(Shape.COUNT_SHARE, "7", "2.6")),
    (Shape.COUNT_SHARE, "7; 2,6%", {}, single(Shape.COUNT_SHARE, "7", "2.6")),
    (Shape.COUNT_SHARE, "7(2,6)", {}, single(Shape.COUNT_SHARE, "7", "2.6")),
    (Shape.COUNT_SHARE, "1.234 ( 5,6 % )", {}, single(Shape.COUNT_SHARE, "1234", "5.6")),
    # number
    (Shape.NUMBER, "1.234,5", {}, single(Shape.NUMBER, "1234.5")),
    (Shape.NUMBER, "12.5", {}, single(Shape.NUMBER, "12.5")),
    (Shape.NUMBER, "0", {}, single(Shape.NUMBER, "0")),
    (Shape.NUMBER, "-2,5", {"min_value": D(-10)}, single(Shape.NUMBER, "-2.5")),
    # date
    (Shape.DATE, "05/4/2026", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "5-4-2026", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "2026-04-05", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "05/04", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "5.4.2026", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "5/4/26", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "ngày 5 tháng 4 năm 2026", {}, Value(Shape.DATE, text="2026-04-05")),
    (Shape.DATE, "29/02/2028", {}, Value(Shape.DATE, text="2028-02-29")),
    # text
    (Shape.TEXT, "  Thiếu kinh phí\x00 ", {}, Value(Shape.TEXT, text="Thiếu kinh phí")),
    (
        Shape.TEXT,
        "1. Thiếu người\r\n2. Thiếu máy",
        {},
        Value(Shape.TEXT, text="1. Thiếu người\n2. Thiếu máy"),
    ),
    (Shape.TEXT, "Không có 👍", {}, Value(Shape.TEXT, text="Không có 👍")),
    # judged on what is kept: an invisible character does not turn «K» (không) into the answer «K»
    (Shape.TEXT, "K\x1b", {}, Value(Shape.TEXT, text="Không có")),
    (Shape.TEXT, "abc", {"max_length": 3}, Value(Shape.TEXT, text="abc")),
]

# One answer per "|"; case, diacritics, politeness particles and punctuation around are all optional.
YES_WORDS = "có|Có|CÓ|co|c|yes|Yes|y|x|✓|✔|✔️|✅|đúng|dung|rồi|roi|đã|da|ok|OK|Có ạ|có.|Có!|(có)|Dạ có|vâng|đã có|có rồi|Rồi ạ"
NO_WORDS = "không|Không|KHÔNG|khong|ko|k|no|No|n|chưa|chua|sai|Không ạ|Dạ không|chưa có|không có|chưa ạ.|❌"


@pytest.mark.parametrize(("shape", "typed", "spec_args", "expected"), ACCEPTED)
def test_accepted(shape: Shape, typed: str, spec_args: dict, expected: Value) -> None:
    assert parse_answer(typed, AnswerSpec(shape, **spec_args), today=TODAY) == expected


@pytest.mark.parametrize("typed", YES_WORDS.split("|"))
def test_yes(typed: str) -> None:
    assert parse_answer(typed, AnswerSpec(Shape.YES_NO)) == YES


@pytest.mark.parametrize("typed", NO_WORDS.split("|"))
def test_no(typed: str) -> None:
    assert parse_answer(typed, AnswerSpec(Shape.YES_NO)) == NO


def test_dates_without_a_year_take_todays_year() -> None:
    answer = parse_answer("05/04", AnswerSpec(Shape.DATE), today=date(2027, 1, 2))
    assert answer == Value(Shape.DATE, text="2027-04-05")


@pytest.mark.parametrize(
    ("shape", "typed", "expected"),
    [
        (Shape.COUNT, "1,234", single(Shape.COUNT, "1234")),
        (Shape.RATIO, "120,500/150,000 (80.3%)", ratio("120500", "150000")),
        (Shape.PERCENT, "12.5%", single(Shape.PERCENT, "12.5")),
        (Shape.NUMBER, "1.234", single(Shape.NUMBER, "1.234")),
    ],
)
def test_english_spelling_of_numbers(shape: Shape, typed: str, expected: Value) -> None:
    assert parse_answer(typed, AnswerSpec(shape), lang="en") == expected
