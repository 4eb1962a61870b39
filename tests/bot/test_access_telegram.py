"""Access changes reach the person on Telegram: the real PTB bot against the fake Bot API, with the CLI
taking access back in between, and a link from another channel announced to the Telegram account."""

from __future__ import annotations

import asyncio

from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.cli.base import cli
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app

ANALYST = 2001


async def chitieu(url: str, *args: str) -> tuple[int, str]:
    result = await asyncio.to_thread(CliRunner().invoke, cli, list(args),
                                     env={"DATABASE_URL": url, "LOG_LEVEL": "WARNING", "USER": "quantri"})
    return result.exit_code, result.stdout + result.stderr


async def test_a_revoked_telegram_analyst_is_told_and_refused(fake_telegram: FakeBotApi,
                                                              catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    user = TelegramUser(fake_telegram, ANALYST)
    async with running_bot(app):
        welcome = await user.say(f"/start {invite(app, 'CBC', 'analyst', name='Trần Văn C')}")
        assert "cán bộ tổng hợp của Cục Báo chí" in welcome.text
        missing = await user.say("/thieu")
        assert "chỉ dành cho" not in missing.text
        with app.uow() as uow:
            person = uow.people.identity("telegram", str(ANALYST)).person_id
        before = user.count
        code, out = await chitieu(catalog_sqlite_url, "people", "revoke", str(person), "--all")
        assert code == 0, out
        # /thieu may answer in several messages (one section per form, a workbook): wait for the notice itself
        notice = (await fake_telegram.wait_for_async(lambda: [m for m in fake_telegram.sent_to(ANALYST)[before:]
                                                              if "Thay đổi quyền truy cập" in (m.text or "")],
                                                     timeout=10))[-1]
        assert "Quyền sử dụng bot báo cáo chỉ tiêu của Anh/Chị (cán bộ tổng hợp của Cục Báo chí) đã được cán bộ " \
               "quản trị thu hồi." in notice.text
        for command in ("/thieu", "/tonghop"):
            refused = await user.say(command)
            assert refused.text.startswith("Anh/Chị không còn quyền sử dụng bot báo cáo chỉ tiêu"), refused.text
            assert refused.kind == "text"  # no summary, chart or workbook
    app.close()


async def test_a_link_from_another_channel_is_announced_on_telegram(fake_telegram: FakeBotApi,
                                                                   catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    user = TelegramUser(fake_telegram, ANALYST)
    async with running_bot(app):
        await user.say(f"/start {invite(app, 'QUANGTRI', name='Lê Thị B')}")
        code = (await user.say("/lienket")).text.split("Mã liên kết của Anh/Chị: ")[1].split()[0]
        before = user.count
        console = Chat(app.dialogue_service(), "user:someone", channel="console", name="user:someone")
        await asyncio.to_thread(console.send, code)
        assert "Đã liên kết" in console.text
        notice = (await fake_telegram.wait_for_messages_async(ANALYST, before + 1, timeout=10))[-1]
        assert "vừa được liên kết thêm kênh console (user:someone)" in notice.text
        assert "báo ngay cán bộ quản trị" in notice.text
    app.close()
