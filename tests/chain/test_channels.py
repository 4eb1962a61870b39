"""The chain's commands on the real channels: Telegram (PTB against the fake Bot API) and Zalo (its fake OA)."""

from __future__ import annotations

from tests.chain.docx_text import paragraphs
from tests.fakes import FakeBotApi
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app
from tests.helpers.zalo import ZaloUser, running_zalo_bot, zalo_app
from tests.reports.data import CDS_2025, load
from tests.reports.factories import filled

ANALYST = 2002
ZALO_ANALYST = "84933330000"


async def test_on_telegram_an_analyst_reviews_and_gets_the_word_draft(fake_telegram: FakeBotApi,
                                                                       catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    filled(app, ("QT-BAO", "CDS", "2026", {"nen_tang_so": "có", "kho_khan": "Thiếu kinh phí"}))
    user = TelegramUser(fake_telegram, ANALYST)
    async with running_bot(app):
        await user.say(f"/start {invite(app, 'QUANGTRI', 'analyst')}")
        review = await user.say("/duyet")
        assert "Tình hình tổng hợp: Chuyển đổi số báo chí Năm 2026 — Quảng Trị" in review.text
        assert "Xem QT-BAO" in review.button_texts
        shown = await user.press("Xem QT-BAO")
        assert "Báo Quảng Trị — Năm 2026" in shown.text and "Yêu cầu sửa" in shown.button_texts
        await user.say("/baocao 2026 CDS", expect=2)
        [document] = [m for m in fake_telegram.sent_to(ANALYST) if m.kind == "document"]
        assert document.file is not None and document.file.filename == "baocao-CDS-2026-QUANGTRI.docx"
        assert "Kính gửi: Cục Báo chí." in paragraphs(document.file.content)
    app.close()


async def test_on_zalo_the_docx_goes_as_a_file(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        load(app, CDS_2025)
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, ZALO_ANALYST)
            await user.say(invite(app, "BTC", "analyst"))
            before = user.count
            await user.say("bao cao 2025 CDS", expect=2)
            [message] = [m for m in fake.sent_to(ZALO_ANALYST)[before:] if m.get("attachment", {}).get("type") == "file"]
            name, content = fake.upload(message["attachment"]["payload"]["token"])
            assert name == "baocao-CDS-2025-BTC.docx" and content.startswith(b"PK")
            assert "Kính gửi: Cục Báo chí." in paragraphs(content)
    app.close()
