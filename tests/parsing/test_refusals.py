"""Every refusal, as a table: what was typed -> the refusal key, and words the Vietnamese sentence must hold."""

from datetime import date
from decimal import Decimal

import pytest

from conversations.parsing import AnswerSpec, Problem, Refusal, parse_answer
from storage.values import Shape

D = Decimal
TODAY = date(2026, 11, 20)
P = Problem
ONLY_COUNTS = {"counts_required": True}

REFUSED = [
    # every shape: empty, or only symbols
    (Shape.PERCENT, "", {}, P.EMPTY, ["chưa nhập", "12,5%"]),
    (Shape.TEXT, " \u200b\n", {}, P.EMPTY, ["chưa nhập"]),
    (Shape.YES_NO, "", {}, P.EMPTY, ["chưa nhập", "Có"]),
    (Shape.PERCENT, "👍", {}, P.NO_CONTENT, ["chỉ có ký hiệu", "12,5%"]),
    (Shape.RATIO, "...", {}, P.NO_CONTENT, ["chỉ có ký hiệu", "120.500/150.000"]),
    (Shape.TEXT, "…", {}, P.NO_CONTENT, ["chỉ có ký hiệu", "Không có"]),
    (Shape.YES_NO, "?!", {}, P.NO_CONTENT, ["chỉ có ký hiệu"]),
    (Shape.DATE, "🙂🙂", {}, P.NO_CONTENT, ["chỉ có ký hiệu", "05/04/2026"]),
    # numbers
    (Shape.PERCENT, "mười hai", {}, P.NOT_A_NUMBER, ["«mười hai»", "12,5%", "dấu phẩy"]),
    (Shape.NUMBER, "NaN", {}, P.NOT_A_NUMBER, ["«NaN»"]),
    (Shape.NUMBER, "Infinity", {}, P.NOT_A_NUMBER, ["«Infinity»"]),
    (Shape.COUNT, "1e9", {}, P.NOT_A_NUMBER, ["«1e9»", "1.234"]),
    (Shape.COUNT, "7 cơ quan", {}, P.NOT_A_NUMBER, ["«7 cơ quan»"]),
    (Shape.NUMBER, "12345678901234567", {}, P.NUMBER_TOO_LONG, ["15 chữ số"]),
    (Shape.COUNT, "-3", {}, P.NEGATIVE, ["-3 là số âm"]),
    (Shape.NUMBER, "-2,5", {}, P.NEGATIVE, ["-2,5 là số âm"]),
    (Shape.COUNT, "1,5", {}, P.NOT_WHOLE, ["1,5 không phải số nguyên"]),
    (Shape.COUNT, "7%", {}, P.PERCENT_NOT_ALLOWED, ["«7%»", "bỏ dấu %"]),
    (Shape.NUMBER, "12%", {}, P.PERCENT_NOT_ALLOWED, ["«12%»"]),
    # ranges
    (Shape.PERCENT, "120%", {}, P.OUT_OF_RANGE, ["120%", "từ 0% đến 100%"]),
    (Shape.PERCENT, "-3", {}, P.OUT_OF_RANGE, ["-3%", "từ 0% đến 100%"]),
    (
        Shape.PERCENT,
        "40",
        {"min_value": D(50), "max_value": D(90)},
        P.OUT_OF_RANGE,
        ["40%", "từ 50% đến 90%"],
    ),
    (Shape.COUNT, "3", {"min_value": D(5)}, P.BELOW_MIN, ["3 nhỏ hơn", "5"]),
    (Shape.NUMBER, "1.500,5", {"max_value": D(1000)}, P.ABOVE_MAX, ["1.500,5 lớn hơn", "1.000"]),
    (Shape.RATIO, "90/100", {"max_value": D(80)}, P.ABOVE_MAX, ["90% lớn hơn", "80%"]),
    (Shape.GROWTH, "+60%", {"max_value": D(50)}, P.ABOVE_MAX, ["60% lớn hơn", "50%"]),
    (Shape.RATIO, "101%", {}, P.OUT_OF_RANGE, ["101%", "từ 0% đến 100%"]),
    # share pair
    (Shape.SHARE_PAIR, "65", {}, P.SHARE_PAIR_FORMAT, ["«65»", "hai tỷ lệ", "65%/35%"]),
    (Shape.SHARE_PAIR, "65/35/10", {}, P.SHARE_PAIR_FORMAT, ["«65/35/10»"]),
    (Shape.SHARE_PAIR, "sáu lăm/ba lăm", {}, P.SHARE_PAIR_FORMAT, ["«sáu lăm»"]),  # the side not read
    (Shape.SHARE_PAIR, "65/30", {}, P.SHARE_PAIR_SUM, ["65 + 30 = 95", "cộng lại bằng 100", "65%/35%"]),
    (Shape.SHARE_PAIR, "65%/30%", {}, P.SHARE_PAIR_SUM, ["65 + 30 = 95"]),
    (Shape.SHARE_PAIR, "60,6/40", {}, P.SHARE_PAIR_SUM, ["60,6 + 40 = 100,6"]),  # beyond 100 ± 0,5
    (Shape.SHARE_PAIR, "150%/50%", {}, P.SHARE_PAIR_SUM, ["150 + 50 = 200"]),
    (
        Shape.SHARE_PAIR,
        "65%/35%",
        ONLY_COUNTS,
        P.SHARE_PAIR_COUNTS_REQUIRED,
        ["hai số lượng", "1.200.000/800.000"],
    ),
    (Shape.SHARE_PAIR, "nửa nọ", ONLY_COUNTS, P.SHARE_PAIR_FORMAT_COUNTS, ["«nửa nọ»", "hai số lượng", "1.200.000"]),
    (Shape.SHARE_PAIR, "0/0 (0%/0%)", {}, P.SHARE_PAIR_ZERO, ["cùng bằng 0", "1.200.000/800.000"]),
    (Shape.SHARE_PAIR, "-65/35", {}, P.NEGATIVE, ["-65 là số âm"]),
    # ratio
    (Shape.RATIO, "một nửa", {}, P.RATIO_FORMAT, ["«một nửa»", "tử số/mẫu số", "120.500/150.000"]),
    (Shape.RATIO, "50%/60%", {}, P.RATIO_FORMAT, ["«50%/60%»"]),
    (Shape.RATIO, "80,3% (120.500/150.000)", {}, P.RATIO_FORMAT, ["tử số/mẫu số"]),
    (Shape.RATIO, "một nửa", ONLY_COUNTS, P.RATIO_FORMAT_COUNTS, ["«một nửa»", "cần tử số/mẫu số", "120.500/150.000"]),
    (Shape.RATIO, "80,3%", ONLY_COUNTS, P.RATIO_COUNTS_REQUIRED, ["tử số/mẫu số", "120.500/150.000"]),
    (Shape.RATIO, "150.000/120.500", {}, P.RATIO_NUMERATOR_EXCEEDS, ["Tử số 150.000 lớn hơn mẫu số 120.500"]),
    (Shape.RATIO, "5/0", {}, P.RATIO_ZERO_DENOMINATOR, ["Mẫu số phải lớn hơn 0"]),
    # growth
    (Shape.GROWTH, "tăng mạnh", {}, P.GROWTH_FORMAT, ["«tăng mạnh»", "+12,5%", "năm trước"]),
    (Shape.GROWTH, "10%/5%", {}, P.GROWTH_FORMAT, ["«10%/5%»"]),
    (Shape.GROWTH, "tăng mạnh", ONLY_COUNTS, P.GROWTH_FORMAT_COUNTS, ["«tăng mạnh»", "cần số năm nay/số năm trước"]),
    (Shape.GROWTH, "giảm +3%", {}, P.GROWTH_FORMAT, ["«giảm +3%»"]),
    (
        Shape.GROWTH,
        "+12,5%",
        ONLY_COUNTS,
        P.GROWTH_COUNTS_REQUIRED,
        ["số năm nay/số năm trước", "1.150/1.000"],
    ),
    (Shape.GROWTH, "1.150/0", {}, P.GROWTH_ZERO_BASE, ["năm trước phải lớn hơn 0", "1.150/1.000"]),
    (Shape.GROWTH, "-100%", {}, P.GROWTH_TOO_LOW, ["-100%", "không hợp lệ"]),
    (Shape.GROWTH, "-150", {}, P.GROWTH_TOO_LOW, ["-150%"]),
    (Shape.GROWTH, "-5/100", {}, P.NEGATIVE, ["-5 là số âm"]),
    # count with share
    (Shape.COUNT_SHARE, "7", {}, P.COUNT_SHARE_MISSING_SHARE, ["số lượng (7)", "thiếu tỷ lệ", "7 (2,6%)"]),
    (Shape.COUNT_SHARE, "2,6%", {}, P.COUNT_SHARE_MISSING_COUNT, ["tỷ lệ (2,6%)", "thiếu số lượng"]),
    (Shape.COUNT_SHARE, "bảy", {}, P.COUNT_SHARE_FORMAT, ["«bảy»", "7 (2,6%)"]),
    (Shape.COUNT_SHARE, "7 (hai phần trăm)", {}, P.COUNT_SHARE_FORMAT, ["«hai phần trăm»"]),
    (Shape.COUNT_SHARE, "7,5 (2,6%)", {}, P.NOT_WHOLE, ["7,5 không phải số nguyên"]),
    (Shape.COUNT_SHARE, "7 (120%)", {}, P.OUT_OF_RANGE, ["120%", "từ 0% đến 100%"]),
    # yes / no
    (Shape.YES_NO, "có lẽ", {}, P.YES_NO_UNKNOWN, ["«có lẽ»", "«Có» hoặc «Không»"]),
    (Shape.YES_NO, "có không", {}, P.YES_NO_UNKNOWN, ["«có không»"]),
    (Shape.YES_NO, "1", {}, P.YES_NO_UNKNOWN, ["«1»"]),  # digits are not taken as yes/no
    # text
    (Shape.TEXT, "x" * 2001, {}, P.TEXT_TOO_LONG, ["dài 2001 ký tự", "giới hạn 2000 ký tự"]),
    (Shape.TEXT, "abcd", {"max_length": 3}, P.TEXT_TOO_LONG, ["dài 4 ký tự", "giới hạn 3 ký tự"]),
    # date
    (Shape.DATE, "thứ hai", {}, P.DATE_FORMAT, ["«thứ hai»", "ngày/tháng/năm", "05/04/2026"]),
    (Shape.DATE, "2026/04", {}, P.DATE_FORMAT, ["«2026/04»"]),
    (Shape.DATE, "31/02/2026", {}, P.DATE_INVALID, ["«31/02/2026»", "không hợp lệ"]),
    (Shape.DATE, "29/02/2026", {}, P.DATE_INVALID, ["«29/02/2026»"]),
    (Shape.DATE, "05/13/2026", {}, P.DATE_INVALID, ["«05/13/2026»"]),
    (Shape.DATE, "05/04/1800", {}, P.DATE_INVALID, ["1900–2100"]),
]


def refuse(shape: Shape, typed: str, spec_args: dict) -> Refusal:
    answer = parse_answer(typed, AnswerSpec(shape, **spec_args), today=TODAY)
    assert isinstance(answer, Refusal), answer
    return answer


@pytest.mark.parametrize(("shape", "typed", "spec_args", "problem", "fragments"), REFUSED)
def test_refused(shape: Shape, typed: str, spec_args: dict, problem: Problem, fragments: list[str]) -> None:
    refusal = refuse(shape, typed, spec_args)
    assert refusal.key == problem.value
    sentence = refusal.render("vi")
    for fragment in fragments:
        assert fragment in sentence


@pytest.mark.parametrize(("shape", "typed", "spec_args", "problem", "fragments"), REFUSED)
def test_refusals_render_in_english_too(
    shape: Shape, typed: str, spec_args: dict, problem: Problem, fragments: list[str]
) -> None:
    sentence = refuse(shape, typed, spec_args).render("en")
    assert sentence and "{" not in sentence


def test_every_problem_is_exercised_by_the_table() -> None:
    assert {row[3] for row in REFUSED} == set(Problem)


def test_a_refusal_never_offers_what_the_question_refuses() -> None:
    """On a question demanding counts, no hint suggests a percentage (issue 11 §1)."""
    for shape, typed in ((Shape.RATIO, "một nửa"), (Shape.GROWTH, "tăng mạnh"), (Shape.SHARE_PAIR, "nửa nọ")):
        sentence = refuse(shape, typed, ONLY_COUNTS).render("vi")
        assert "tỷ lệ phần trăm" not in sentence and "mức tăng trưởng" not in sentence and "hai tỷ lệ" not in sentence


def test_a_refusal_shows_the_questions_own_example() -> None:
    refusal = refuse(Shape.RATIO, "nhiều", {"example": "45/60"})
    assert "45/60" in refusal.render()


def test_long_answers_are_shortened_when_quoted_back() -> None:
    refusal = refuse(Shape.PERCENT, "khoảng chừng mười hai phẩy năm phần trăm gì đó", {})
    assert "«khoảng chừng mười hai phẩy năm phần…»" in refusal.render()


def test_refusal_numbers_follow_the_users_spelling() -> None:
    refusal = parse_answer("1,500.5", AnswerSpec(Shape.NUMBER, max_value=D(1000)), lang="en")
    assert isinstance(refusal, Refusal)
    assert "1,500.5 is above the highest allowed value, 1,000" in refusal.render("en")
