"""Zalo refuses Excel files: the summary's workbook goes as an expiring link. A failed token refresh
is reported to the admins."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import httpx
from openpyxl import load_workbook
from sqlalchemy import select

from storage.models import OutboxMessage
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.zalo import ZaloUser, free_port, running_zalo_bot, zalo_app

ANALYST = "84922220000"


async def test_the_workbook_goes_as_a_download_link_that_expires(catalog_sqlite_url: str) -> None:
    port = free_port()
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake, public_base_url=f"http://127.0.0.1:{port}")
        async with running_zalo_bot(app, port) as (_, url):
            user = ZaloUser(fake, url, ANALYST)
            await user.say(invite(app, "CBC", "analyst"))
            before = user.count
            await user.say("/tonghop 2026-Q3 CL", expect=3)
            texts = [m.get("text", "") for m in fake.sent_to(ANALYST)[before:]]
            [link_text] = [t for t in texts if "mở liên kết để tải" in t]
            link = link_text.split(": ", 1)[1].split()[-1]
            assert link.startswith(f"http://127.0.0.1:{port}/files/") and ".xlsx" in link_text
            response = await asyncio.to_thread(httpx.get, link)
            assert response.status_code == 200
            book = load_workbook(io.BytesIO(response.content))
            assert "Phụ lục I" in book.sheetnames
            app.clock.advance(hours=25)  # type: ignore[attr-defined]
            assert (await asyncio.to_thread(httpx.get, link)).status_code == 404
            assert (await asyncio.to_thread(httpx.get, link[:-3] + "xyz")).status_code == 404
    app.close()


async def test_without_a_public_address_the_analyst_is_told_why(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, ANALYST)
            await user.say(invite(app, "CBC", "analyst"))
            before = user.count
            await user.say("/tonghop 2026-Q3 CL", expect=3)
            texts = [m.get("text", "") for m in fake.sent_to(ANALYST)[before:]]
            assert any("Zalo không nhận tệp" in t and "PUBLIC_BASE_URL" in t for t in texts)
    app.close()


async def test_a_failed_token_refresh_alerts_the_admins(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake, zalo_refresh_token="RT-revoked-by-the-oa")
        admin = Chat(app.dialogue_service(), "admin-1")
        admin.send(f"/start {invite(app, 'CBC', 'admin')}")
        async with running_zalo_bot(app) as (channel, url):
            user = ZaloUser(fake, url, "84933330000")
            fake.user_wrote("84933330000")
            await asyncio.to_thread(fake.user_sends_text, url, "84933330000", "xin chào", "oa-secret-key-for-tests")
            await asyncio.sleep(1.0)
            await asyncio.gather(*channel.intake.tasks)
            assert user.count == 0, "nothing could be sent without a token"
    with app.uow() as uow:
        alerts = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert")).all()
        replies = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "zalo")).all()
    assert [a.chat_id for a in alerts] == ["admin-1"]
    assert "Không làm mới được mã truy cập Zalo OA" in alerts[0].payload["text"]
    assert alerts[0].payload["title"] == "Cảnh báo hệ thống"
    assert replies and all(r.status == "pending" for r in replies), "the reply waits to be retried, not dropped"
    assert replies[0].next_attempt_at - replies[0].created_at >= timedelta(minutes=5)
    app.close()
