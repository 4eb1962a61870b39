"""Cutting one message into answers: separators, Word pastes, headings, and what cannot be placed."""

from __future__ import annotations

import pytest

from conversations.parsing.multi import Ref, split_answers

REFS = [Ref("ct1", "1"), Ref("ct2", "2"), Ref("ct8", "8"), Ref("ct3", "3"),
        Ref("trend", "III", ("Đánh giá xu hướng",), True),
        Ref("trend_6m", "III.b", ("Đánh giá xu hướng 6 tháng đầu năm",), True),
        Ref("difficulties", "V", ("Khó khăn",), True), Ref("proposals", "VI", ("Đề xuất",), True)]


def pairs(text: str) -> list[tuple[str, str]]:
    return [(p.key, p.text) for p in split_answers(text, REFS).pieces]


@pytest.mark.parametrize("text", [
    "1: 65/35; 2: 120.500/150.000",
    "ct1 65/35\nct2 120.500/150.000",
    "1. 65/35\r\n2. 120.500/150.000",
    "1) 65/35\n2 = 120.500/150.000",
    "Chỉ tiêu 1: 65/35\nchi tieu 2: 120.500/150.000",
    "câu 1 - 65/35\nCâu 2 – 120.500/150.000",
    "•\tct1\t65/35\n•\tct2\t120.500/150.000",  # Word bullets and tabs
    "\uf0b7 1:\u00a065/35\u2028- 2: 120.500/150.000",  # Symbol-font bullet, NBSP, Word's line separator
    "1\t65/35\n2\t120.500/150.000",  # two columns copied from a table
    "Chỉ tiêu 1:\n65/35\nChỉ tiêu 2:\n120.500/150.000",  # the value on the line after its heading
])
def test_every_spelling_gives_the_same_two_answers(text: str) -> None:
    assert pairs(text) == [("ct1", "65/35"), ("ct2", "120.500/150.000")]


def test_a_semicolon_inside_an_answer_stays_in_it() -> None:
    assert pairs("8: 7; 2,6%; 1: 65/35") == [("ct8", "7; 2,6%"), ("ct1", "65/35")]


def test_a_negative_growth_keeps_its_sign_and_a_dash_separator_is_not_a_sign() -> None:
    assert pairs("ct3 -3%\ncâu 2 - 80,3%") == [("ct3", "-3%"), ("ct2", "80,3%")]


def test_numbers_are_not_taken_for_references() -> None:
    split = split_answers("120.500/150.000\n100%\n12.5", REFS)
    assert split.pieces == () and [u.text for u in split.unplaced] == ["120.500/150.000", "100%", "12.5"]


def test_sections_by_heading_keep_their_numbered_lists() -> None:
    text = ("III. Đánh giá xu hướng:\n1. Tăng đều.\n2. Ổn định\nKhó khăn: thiếu kinh phí; thiếu người\n"
            "Đề xuất\n1. Hỗ trợ công cụ\nIII.b: sáu tháng đầu năm tăng")
    assert pairs(text) == [("trend", "1. Tăng đều.\n2. Ổn định"), ("difficulties", "thiếu kinh phí; thiếu người"),
                           ("proposals", "1. Hỗ trợ công cụ"), ("trend_6m", "sáu tháng đầu năm tăng")]


def test_a_section_ends_at_a_number_with_a_word_but_not_at_a_bare_number() -> None:
    assert pairs("V. Khó khăn\n1. Thiếu người\nct2: 120.500/150.000") == [
        ("difficulties", "1. Thiếu người"), ("ct2", "120.500/150.000")]


def test_what_cannot_be_placed_is_reported_with_the_reference_typed() -> None:
    split = split_answers("Em gửi số liệu ạ\nct12: 5\n1: 65/35\nxin cảm ơn", REFS)
    assert [(p.key, p.text) for p in split.pieces] == [("ct1", "65/35")]
    assert [(u.text, u.reference) for u in split.unplaced] == [
        ("Em gửi số liệu ạ", None), ("ct12: 5", "ct12"), ("xin cảm ơn", None)]
    assert split.starts_with_reference is False


def test_inside_a_section_the_number_of_another_section_starts_it() -> None:
    refs = [Ref("kho_khan", "12", ("Khó khăn",), True), Ref("de_xuat", "13", ("Đề xuất",), True), Ref("q1", "1")]
    assert [(p.key, p.text) for p in split_answers("12. 1. Thiếu kinh phí\n1. Thiếu người\n13. Hỗ trợ", refs).pieces] \
        == [("kho_khan", "1. Thiếu kinh phí\n1. Thiếu người"), ("de_xuat", "Hỗ trợ")]
