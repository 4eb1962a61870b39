"""Issue 19: download links (Excel over Zalo) live one hour, expired rows and their files are deleted, and
every file goes with `Cache-Control: no-store` and `nosniff`, like the web view's files."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from bot.housekeeping import housekeeping
from storage.models import Download
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite
from tests.helpers.zalo import ZaloUser, free_port, running_zalo_bot, zalo_app

ANALYST = "84922221111"


def stored(app) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Download)) or 0


async def ask_for_workbook(user: ZaloUser, fake: FakeZaloApi) -> str:
    before = user.count
    await user.say("/tonghop 2026-Q3 CL", expect=3)
    [text] = [m.get("text", "") for m in fake.sent_to(ANALYST)[before:] if "mở liên kết để tải" in m.get("text", "")]
    assert "hiệu lực 1 giờ" in text
    return text.split(": ", 1)[1].split()[-1]


async def test_a_link_lives_one_hour_is_not_cached_and_is_deleted_after(catalog_sqlite_url: str) -> None:
    port = free_port()
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake, public_base_url=f"http://127.0.0.1:{port}")
        async with running_zalo_bot(app, port):
            user = ZaloUser(fake, f"http://127.0.0.1:{port}/zalo/webhook", ANALYST)
            await user.say(invite(app, "CBC", "analyst"))
            link = await ask_for_workbook(user, fake)
            async with httpx.AsyncClient() as client:
                got = await client.get(link)
                assert got.status_code == 200 and got.content.startswith(b"PK")
                assert got.headers["cache-control"] == "no-store"
                assert got.headers["x-content-type-options"] == "nosniff"
                app.clock.advance(minutes=59)  # type: ignore[attr-defined]
                assert (await client.get(link)).status_code == 200, "still good within the hour"
                app.clock.advance(minutes=2)  # type: ignore[attr-defined]
                gone = await client.get(link)
                assert gone.status_code == 404 and gone.headers["cache-control"] == "no-store"
                assert stored(app) == 0, "the expired file was deleted when its link was opened"

                second = await ask_for_workbook(user, fake)
                assert second != link and stored(app) == 1
                app.clock.advance(hours=2)  # type: ignore[attr-defined]
                assert (await asyncio.to_thread(housekeeping, app))[0] == 1, "nobody opened it: purged anyway"
                assert stored(app) == 0 and (await client.get(second)).status_code == 404
    app.close()
