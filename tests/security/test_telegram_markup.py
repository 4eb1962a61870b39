"""Markup and odd input through the real PTB stack: what the fake Bot API receives is valid, escaped HTML.

The fake parses every message as Telegram's HTML parse mode does (and refuses what Telegram refuses), so a
name, an answer or a note with `<`, `&`, tags or Markdown must come back to the person exactly as typed.
"""

from __future__ import annotations

from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app

USER = 7301
NAME = "<b>Lan</b> & <i>Hoa"
COMPARISON = "<script>alert(1)</script> & &amp; <a href='x'>"
TREND = "x<&>" * 450  # 1.800 characters typed, 6.300 once escaped: the review goes in several messages
DIFFICULTIES = "a < b > c & d &lt; *đậm* _nghiêng_ [bấm](http://evil.example) `mã`"
SUMMARY = "🇻🇳 \u202etrái sang phải\u202c 👍"


async def test_markup_typed_anywhere_comes_back_as_typed(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    lan = TelegramUser(fake_telegram, USER, first_name=NAME)
    async with running_bot(app):
        welcome = await lan.say(f"/start {invite(app, 'QUANGTRI')}")
        assert f"Chào mừng Anh/Chị {NAME}!" in welcome.text and welcome.parse_mode == "HTML"
        await lan.say("/nop 2026-Q4")
        await lan.say("62/38")
        assert "Đã lưu so sánh quốc tế" in (await lan.say(COMPARISON)).text
        ct2 = await lan.say("120.500/150.000")
        assert "Đã lưu: 120.500/150.000" in ct2.text, fake_telegram.transcript(USER)[-4:]
        await lan.press("Bỏ qua")
        before = lan.count
        await lan.say(TREND)  # the acknowledgement quotes it back: several messages, the last with the buttons
        await fake_telegram.wait_for_async(lambda: "Bỏ qua" in " ".join(fake_telegram.sent_to(USER)[-1].button_texts))
        ack = "".join(m.text or "" for m in fake_telegram.sent_to(USER)[before:])
        assert TREND in ack, "a long text with markup comes back whole, however it was split"
        await lan.press("Bỏ qua")
        await lan.say(DIFFICULTIES)
        await lan.say("Không có")
        before = lan.count
        fake_telegram.user_sends_text(USER, SUMMARY)
        await fake_telegram.wait_for_async(lambda: any(
            m.button_texts and "Gửi" in " ".join(m.button_texts) for m in fake_telegram.sent_to(USER)[before:]))
        review = "".join(m.text or "" for m in fake_telegram.sent_to(USER)[before:])
        for typed in (TREND[:100], DIFFICULTIES, COMPARISON):
            assert typed in review, f"{typed[:40]!r} not shown as typed"
        assert "trái sang phải" in review and "\u202e" not in review, "direction overrides are dropped"
        await lan.say("/xem 2026-Q4")
    failed = [(c.params.get("text", "")[:80], c.error) for c in fake_telegram.calls("sendMessage", chat_id=USER)
              if c.status != 200]
    assert failed == [], "the fake Bot API (as Telegram) refused some messages"
    assert fake_telegram.internal_errors == []
    app.close()


async def test_stickers_photos_files_and_voice_get_a_clear_reply_and_the_question_stays(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    lan = TelegramUser(fake_telegram, USER + 1)
    async with running_bot(app):
        await lan.say(f"/start {invite(app, 'QUANGTRI')}")
        question = await lan.say("/nop 2026-Q4")
        assert question.text.startswith("Chỉ tiêu 1 · ")
        sends = {
            "sticker": lambda: fake_telegram.user_sends_sticker(USER + 1),
            "photo": lambda: fake_telegram.user_sends_photo(USER + 1, caption="<b>62/38</b>"),
            "document": lambda: fake_telegram.user_sends_document(USER + 1, "so-lieu.xlsx", b"PK\x03\x04"),
            "voice": lambda: fake_telegram._user_message(  # noqa: SLF001  (the fake has no voice helper)
                USER + 1, {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 3}}, {}),
        }
        for kind, send in sends.items():
            before = lan.count
            send()
            messages = await fake_telegram.wait_for_messages_async(USER + 1, before + 1)
            said = "\n".join(m.text or "" for m in messages[before:])
            assert "Anh/Chị vui lòng nhập câu trả lời bằng chữ" in said, (kind, said)
            await fake_telegram.wait_for_async(
                lambda: (fake_telegram.sent_to(USER + 1)[-1].text or "").startswith("Chỉ tiêu 1 · "))
        saved = await lan.say("62/38")
        assert "Đã lưu: 62%/38%" in saved.text, "the question was still the same after every file"
    app.close()


def test_long_replies_are_never_cut_inside_an_entity_or_the_title() -> None:
    from bot.telegram import render_html, split_text
    from conversations.messages import TextOut
    from tests.fakes.telegram_html import parse_html

    for offset in range(14):
        typed = "đ" * offset + "x<&>\"" * 2000 + " cuối"
        chunks = split_text(render_html(TextOut(typed, title="Mục III · câu 3/7")))
        assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
        shown = [parse_html(c)[0] for c in chunks]  # each as Telegram reads it (raises on broken markup)
        assert shown[0].startswith("Mục III · câu 3/7\n")
        joined = "".join(shown).removeprefix("Mục III · câu 3/7\n")
        assert joined.replace(" ", "") == typed.replace(" ", ""), f"offset {offset}: text lost or garbled"
