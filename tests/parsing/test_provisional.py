"""Provisional figures (số liệu tạm ước tính): the marker is found and cut out, the figure is kept."""

import pytest

from conversations.parsing import split_provisional


@pytest.mark.parametrize(
    ("typed", "rest"),
    [
        ("12,5% tạm", "12,5%"),
        ("tạm ước tính 12,5", "12,5"),
        ("12,5 (tam)", "12,5"),
        ("12,5 (tạm tính)", "12,5"),
        ("Tạm ước tính: 1.200/1.500", "1.200/1.500"),
        ("số liệu tạm ước tính 65%/35%", "65%/35%"),
        ("So lieu tam: 7 (2,6%)", "7 (2,6%)"),
        ("12,5% - số liệu tạm", "12,5%"),
        ("ước tính 1.234", "1.234"),
        ("uoc 1.234", "1.234"),
        ("sơ bộ 80%", "80%"),
        ("khoảng 80%", "80%"),
        ("~80%", "80%"),
        ("≈ 80%", "80%"),
        ("80% (dự kiến)", "80%"),
        ("TẠM 12,5", "12,5"),
        ("12,5 [tạm]", "12,5"),
        ("12,5tạm", "12,5"),
        ("tạm -3%", "-3%"),
        ("est. 12.5%", "12.5%"),
        ("12.5% (provisional)", "12.5%"),
        ("１２,５％ tạm", "12,5%"),
    ],
)
def test_provisional_marker_is_cut_out(typed: str, rest: str) -> None:
    assert split_provisional(typed) == (rest, True)


@pytest.mark.parametrize(
    ("typed", "rest"),
    [
        ("12,5%", "12,5%"),
        ("  12,5  % ", "12,5 %"),
        ("Trung tâm Báo chí", "Trung tâm Báo chí"),  # "tâm" is not "tạm"
        ("tám", "tám"),  # nor is "tám" (eight)
        ("mong ươc", "mong ươc"),  # a misspelt "ước" is not taken as the marker
        ("tampon 5", "tampon 5"),  # only whole words
        ("", ""),
    ],
)
def test_no_marker(typed: str, rest: str) -> None:
    assert split_provisional(typed) == (rest, False)
