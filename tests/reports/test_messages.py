"""Message catalogs, long lists cut into a file, forms outside the scope, and failures answered politely."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.app import App
from reports.texts import TEXTS
from storage.models import Unit
from tests.helpers.chat import Chat
from tests.reports.data import CDS_2025, CL_Q3, load


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    import string

    vi, en = TEXTS.by_lang["vi"], TEXTS.by_lang["en"]
    assert set(vi) == set(en)
    fields = string.Formatter()
    for key in vi:
        assert {f for _, f, _, _ in fields.parse(vi[key]) if f} == {f for _, f, _, _ in fields.parse(en[key]) if f}, key


def test_texts_of_both_forms_fit_one_telegram_message(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3, CDS_2025)
    analyst = registered("CBC", "analyst")
    for args in ("2025-Q3", "2025 CDS"):
        analyst.send(f"/tonghop {args}")
        text = analyst.replies[0]
        assert len(text.title) + len(text.text) + 2 < 4096


def test_a_long_list_is_cut_and_sent_whole_as_a_workbook(app: App, registered: Callable[..., Chat]) -> None:
    with app.uow() as uow:
        btc = uow.units.by_code("BTC")
        for n in range(120):
            unit = uow.units.add(Unit(code=f"BTC-X{n:03d}", name=f"Tạp chí chuyên ngành tài chính số {n}", kind="agency",
                                      path=""))
            uow.session.flush()
            uow.units.set_parent(unit, btc)
        uow.commit()
    analyst = registered("BTC", "analyst")
    analyst.send("/thieu 2026")
    assert [type(r).__name__ for r in analyst.replies] == ["TextOut", "DocumentOut"]
    assert analyst.replies[0].text.endswith("… danh sách đầy đủ trong tệp Excel gửi kèm.")
    assert len(analyst.replies[0].text) < 4000 and analyst.replies[1].filename == "thieu-CDS-2026-BTC-20261121-0900.xlsx"


def test_a_form_nobody_in_the_scope_answers(app: App, registered: Callable[..., Chat]) -> None:
    analyst = registered("BTC", "analyst")
    analyst.send("/tonghop 2026-Q3 CL")
    assert analyst.text.strip() == "Biểu CL không có đơn vị nào trong phạm vi của Anh/Chị phải báo cáo."


def test_an_unexpected_failure_is_answered_not_lost(app: App, registered: Callable[..., Chat],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.requests

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(reports.requests, "build_summary", broken)
    analyst = registered("CBC", "analyst")
    analyst.send("/tonghop 2025-Q3")
    assert "Có lỗi khi lập báo cáo" in analyst.text
