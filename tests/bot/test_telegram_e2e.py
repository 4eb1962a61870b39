"""End to end on Telegram: the real PTB application against the local fake Bot API over real HTTP."""

from __future__ import annotations

from sqlalchemy import select

from conversations.invites import canonical
from storage.models import Answer, AnswerRevision, OutboxMessage, Submission
from storage.values import Value
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app

PROVINCE_USER = 1001


async def test_province_submits_form1_with_wrong_inputs_back_provisional_and_a_restart(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    code = invite(app, "QUANGTRI", name="Lê Thị B")
    lan = TelegramUser(fake_telegram, PROVINCE_USER)
    async with running_bot(app):
        assert ("start", "Bắt đầu, nhập mã mời") in fake_telegram.commands
        before = lan.count
        fake_telegram.user_sends_command(PROVINCE_USER, "start", canonical(code))
        welcome = (await fake_telegram.wait_for_messages_async(PROVINCE_USER, before + 1))[-1]
        assert "Chào mừng Anh/Chị Lê Thị B!" in welcome.text and welcome.parse_mode == "HTML"
        choose = await lan.say("/nop")
        assert "kỳ nào" in choose.text and len(choose.button_texts) == 3  # CL Q3, Q4 and its own part of CDS
        q1 = await lan.press("2026-Q4")
        assert q1.text.startswith("Chỉ tiêu 1 · câu 1/7")
        assert fake_telegram.calls("answerCallbackQuery"), "button presses are acknowledged"
        await fake_telegram.wait_for_async(lambda: fake_telegram.buttons_of(choose) == [])  # keyboard removed
        wrong = await lan.say("65/30")
        assert "Chưa hợp lệ" in wrong.text and "Chỉ tiêu 1 · " in wrong.text
        await lan.say("62%/38%")
        q2 = await lan.press("Bỏ qua")
        assert q2.text.startswith("Chỉ tiêu 2 · ")
        assert "Chưa hợp lệ" in (await lan.say("80%")).text
        back = await lan.press("Quay lại")
        assert back.text.startswith("Chỉ tiêu 1 · ") and "Đã nhập: 62%/38%" in back.text
        await lan.press("Giữ nguyên")
        await lan.press("Bỏ qua")
        await lan.press("Tạm ước tính")
        saved = await lan.say("120.500/150.000")
        assert "Đã lưu: 120.500/150.000 (80,3%) (tạm ước tính)" in saved.text

    # the bot process restarts: new App, channel and PTB application on the same database
    app.close()
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    async with running_bot(app):
        resumed = await lan.say("nop")
        assert "So sánh quốc tế cho chỉ tiêu 2" in resumed.text, "resumes at the same step"
        await lan.press("Bỏ qua")
        await lan.say("Xu hướng <b>tăng</b> & ổn định <script>")
        await lan.press("Bỏ qua")
        await lan.say("Không có")
        await lan.say("Đề nghị hỗ trợ công cụ đo lượng truy cập")
        review = await lan.say("Tổng kết năm: hoàn thành kế hoạch")
        assert review.text.startswith("Tóm tắt") and "<script>" in review.text, "user text shown, escaped"
        receipt = await lan.press("Gửi")
        assert "Mã biên nhận: CL-2026Q4-QUANGTRI-01" in receipt.text and "Đúng hạn" in receipt.text

    with app.uow() as uow:
        sub = uow.session.scalar(select(Submission))
        answers = {a.question_key: a for a in uow.session.scalars(select(Answer))}
        revisions = uow.session.scalars(select(AnswerRevision)).all()
    assert sub.status == "submitted"
    assert set(answers) == {"ct1", "ct2", "trend", "intl", "difficulties", "proposals", "year_summary"}
    assert Value.from_json(answers["ct1"].value).a == 62 and not answers["ct1"].provisional
    assert answers["ct2"].provisional and answers["ct2"].raw_text == "120.500/150.000"
    assert answers["trend"].value is not None and "<script>" in Value.from_json(answers["trend"].value).text
    assert answers["intl"].skipped
    assert len(revisions) == 7, "one revision per stored answer: nothing applied twice"
    with app.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == str(PROVINCE_USER))).all()
    assert {r.status for r in rows} == {"sent"}
    assert len(fake_telegram.calls("sendMessage", chat_id=PROVINCE_USER)) == len(rows), "each reply sent once"
    app.close()


async def test_a_redelivered_update_is_applied_once(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    code = invite(app, "QUANGTRI")
    lan = TelegramUser(fake_telegram, 1002)
    async with running_bot(app):
        await lan.say(f"/start {code}")
        await lan.say("/nop")
        await lan.press("2026-Q4")
        before = lan.count
        update_id = fake_telegram.user_sends_text(1002, "62/38")
        await fake_telegram.wait_for_messages_async(1002, before + 1)
        fake_telegram.redeliver(update_id)
        fake_telegram.redeliver(update_id)
        after = await lan.say("/han")
        assert "Chỉ tiêu Chiến lược báo chí Quý IV/2026 — Quảng Trị" in after.text
        assert lan.count == before + 2, "the redelivered answer produced no second reply"
    with app.uow() as uow:
        assert len(uow.session.scalars(select(AnswerRevision)).all()) == 1
    app.close()


async def test_group_chat_gets_no_data(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    fake_telegram.add_group(-5001, "Nhóm đầu mối")
    async with running_bot(app):
        fake_telegram.user_sends_command(1003, "nop", chat_id=-5001, chat_type="group")
        [reply] = await fake_telegram.wait_for_messages_async(-5001, 1)
        assert "tin nhắn riêng" in reply.text
    app.close()


async def test_typed_button_words_act_as_the_buttons_on_telegram(fake_telegram: FakeBotApi,
                                                                 catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    code = invite(app, "QUANGTRI", name="Lê Thị B")
    lan = TelegramUser(fake_telegram, PROVINCE_USER)
    async with running_bot(app):
        before = lan.count
        fake_telegram.user_sends_command(PROVINCE_USER, "start", canonical(code))
        await fake_telegram.wait_for_messages_async(PROVINCE_USER, before + 1)
        assert "kỳ nào" in (await lan.say("nop")).text
        assert (await lan.say("/2")).text.startswith("Chỉ tiêu 1 · câu 1/7"), "the 2nd choice, with the slash"
        await lan.say("62%/38%")
        assert (await lan.say("bo qua")).text.startswith("Chỉ tiêu 2 · câu")
        assert (await lan.say("Quay lại")).text.startswith("Chỉ tiêu 1 · câu")
        kept = await lan.say("giu nguyen")
        assert "Giữ nguyên câu trả lời." in kept.text and "So sánh quốc tế cho chỉ tiêu 1" in kept.text
    with app.uow() as uow:
        answers = {a.question_key: a for a in uow.session.scalars(select(Answer))}
    assert set(answers) == {"ct1"} and answers["ct1"].raw_text == "62%/38%" and answers["ct1"].comparison is None
    app.close()
