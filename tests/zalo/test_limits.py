"""Cutting replies to Zalo's limits: paragraph, then line, then word boundaries."""

from __future__ import annotations

import unicodedata

from bot.zalo.limits import TEXT_LIMIT, batches, size, split_text


def squash(text: str) -> str:
    return "".join(text.split())


def test_short_text_is_one_message() -> None:
    assert split_text("  Xin chào anh Nam  ") == ["Xin chào anh Nam"]


def test_blank_text_is_no_message() -> None:
    assert split_text(" \n\n ") == []


def test_paragraphs_stay_whole_when_they_fit() -> None:
    first, second = "a " * 700, "b " * 700
    chunks = split_text(f"{first}\n\n{second}")
    assert chunks == [first.strip(), second.strip()]


def test_small_paragraphs_are_packed_together() -> None:
    assert split_text("một\n\nhai\n\nba", limit=9) == ["một\n\nhai", "ba"]


def test_long_paragraph_breaks_at_lines_then_words() -> None:
    text = "\n".join(["dòng " * 150] * 5)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(size(chunk) <= TEXT_LIMIT for chunk in chunks)
    assert squash("".join(chunks)) == squash(text)


def test_word_longer_than_limit_is_cut() -> None:
    assert split_text("x" * 5, limit=2) == ["xx", "xx", "x"]


def test_every_chunk_fits_and_nothing_is_lost() -> None:
    text = "\n\n".join(f"Đoạn {n}: " + "chỉ tiêu báo cáo " * (n * 40) for n in range(1, 8))
    chunks = split_text(text)
    assert all(0 < size(chunk) <= TEXT_LIMIT for chunk in chunks)
    assert squash("".join(chunks)) == squash(text)


def test_vietnamese_is_measured_after_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    assert len(decomposed) > 8
    assert split_text(decomposed, limit=8) == ["Việt Nam"]


def test_emoji_counts_as_two_units() -> None:
    assert size("😀") == 2
    assert split_text("😀😀", limit=3) == ["😀", "😀"]


def test_buttons_go_five_per_message() -> None:
    assert [len(group) for group in batches(list(range(12)))] == [5, 5, 2]
    assert batches([]) == []
