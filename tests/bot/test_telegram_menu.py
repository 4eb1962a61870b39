"""Telegram's «Menu» button per role and language, over the fake Bot API: the default scope shows the
unregistered menu (Vietnamese, and English for apps set to English); a registered person's chat gets the menu
of their roles in the language they chose, updated when that changes."""

from __future__ import annotations

from conversations.access import revoke
from conversations.turn import TEXTS
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app

FOCAL = ["nop", "xem", "han", "huy", "huongdan", "lienket", "web"]
YES = TEXTS.text("dialogue.btn_yes")
ANALYST = [*FOCAL, "tonghop", "thieu", "chitieu", "duyet", "yeucausua", "guilen", "baocao"]


def chat_menu(fake: FakeBotApi, user_id: int) -> list[str]:
    return [c for c, _ in fake.commands_for({"type": "chat", "chat_id": user_id})]


async def test_default_menu_is_the_unregistered_one_in_vietnamese_and_english(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    async with running_bot(app):
        assert fake_telegram.commands == [("start", "Bắt đầu, nhập mã mời"), ("huongdan", "Hướng dẫn sử dụng")]
        assert fake_telegram.commands_for(language_code="en") == [
            ("start", "Start, enter your invite code"), ("huongdan", "How to use the bot")]
        stranger = TelegramUser(fake_telegram, 1201)
        await stranger.say("xin chào")
        assert chat_menu(fake_telegram, 1201) == [], "an unregistered chat keeps the default menu"
    app.close()


async def test_focal_and_analyst_chats_get_their_roles_menus(fake_telegram: FakeBotApi,
                                                              catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    focal_code, analyst_code = invite(app, "QUANGTRI"), invite(app, "CBC", role="analyst")
    focal, analyst = TelegramUser(fake_telegram, 1202), TelegramUser(fake_telegram, 1203)
    async with running_bot(app):
        await focal.say(f"/start {focal_code}")
        await fake_telegram.wait_for_async(lambda: chat_menu(fake_telegram, 1202) == FOCAL)
        assert ("nop", "Nộp hoặc tiếp tục nộp số liệu") in fake_telegram.commands_for(
            {"type": "chat", "chat_id": 1202})
        await analyst.say(f"/start {analyst_code}")
        await fake_telegram.wait_for_async(lambda: chat_menu(fake_telegram, 1203) == ANALYST)
        assert chat_menu(fake_telegram, 1202) == FOCAL
        calls = len(fake_telegram.calls("setMyCommands"))
        await focal.say("/han")
        await analyst.say("/han")
        assert len(fake_telegram.calls("setMyCommands")) == calls, "an unchanged menu is not set again"
    app.close()


async def test_an_admin_gets_nhacnho_and_english_follows_lang(fake_telegram: FakeBotApi,
                                                               catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    code = invite(app, "CBC", role="admin")
    admin = TelegramUser(fake_telegram, 1204)
    async with running_bot(app):
        await admin.say(f"/start {code}")
        await fake_telegram.wait_for_async(lambda: chat_menu(fake_telegram, 1204) == [*ANALYST, "nhacnho"])
        await admin.say("/lang en")
        scope = {"type": "chat", "chat_id": 1204}
        await fake_telegram.wait_for_async(
            lambda: ("nhacnho", "Run a reminder pass now") in fake_telegram.commands_for(scope))
        assert ("nop", "Submit or continue submitting figures") in fake_telegram.commands_for(scope)
    app.close()


async def test_a_person_whose_roles_are_taken_back_returns_to_the_default_menu(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    focal_code, analyst_code = invite(app, "QUANGTRI"), invite(app, "CBC", role="analyst")
    person = TelegramUser(fake_telegram, 1205)
    async with running_bot(app):
        await person.say(f"/start {focal_code}")
        await fake_telegram.wait_for_async(lambda: chat_menu(fake_telegram, 1205) == FOCAL)
        await person.say(f"/start {analyst_code}")  # a second role for the same person, once confirmed
        assert chat_menu(fake_telegram, 1205) == FOCAL
        await person.press(YES)
        await fake_telegram.wait_for_async(lambda: chat_menu(fake_telegram, 1205) == ANALYST)
        with app.uow() as uow:
            person_id = uow.people.identity("telegram", "1205").person_id
            revoke(uow, person_id, app.clock.now(), "test", role="analyst")
            uow.commit()
        await person.say("/han")
        await fake_telegram.wait_for_async(lambda: chat_menu(fake_telegram, 1205) == FOCAL)
        with app.uow() as uow:
            revoke(uow, person_id, app.clock.now(), "test", everything=True)
            uow.commit()
        await person.say("/han")
        await fake_telegram.wait_for_async(
            lambda: fake_telegram.calls("deleteMyCommands") and chat_menu(fake_telegram, 1205) == [])
    app.close()
