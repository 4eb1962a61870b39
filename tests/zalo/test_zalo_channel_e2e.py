"""End to end on Zalo: signed webhooks into the same engine, OA messages out, against the fake Zalo API."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
from sqlalchemy import select

from bot.tokenkey import TokenCipher
from storage.models import Answer, AnswerRevision, ChannelToken, Identity, Submission
from tests.fakes.zalo_api import FakeZaloApi
from tests.helpers.app import invite
from tests.helpers.zalo import OA_SECRET, TOKEN_KEY, ZaloUser, running_zalo_bot, zalo_app

USER = "84912345678001"


async def test_follower_registers_with_a_bare_code_and_submits_form2_across_a_token_refresh(
        catalog_sqlite_url: str) -> None:
    with FakeZaloApi(access_lifetime=4.0) as fake:  # tokens expire every few seconds: refreshed mid-dialogue
        app = zalo_app(catalog_sqlite_url, fake)
        code = invite(app, "QT-BAO")
        async with running_zalo_bot(app) as (_, url):
            user = ZaloUser(fake, url, USER)
            follow = {"app_id": fake.app_id, "event_name": "follow", "oa_id": fake.oa_id, "follower": {"id": USER},
                      "timestamp": str(int(time.time() * 1000))}
            fake.user_wrote(USER)  # following is an interaction: it opens the reply window
            status = (await asyncio.to_thread(fake.post_event, url, follow, OA_SECRET, fake.app_id)).status_code
            assert status == 200
            greeting = (await fake.wait_for_messages_async(USER, 1))[-1]
            assert "chưa được đăng ký" in greeting["text"]
            welcome = await user.say(code)
            assert "đầu mối của Báo Quảng Trị" in welcome["text"]
            q1 = await user.say("/nop")
            assert q1["text"].startswith("Câu 1/23") and "Hạn nộp: 25/11/2026" in q1["text"]
            assert [t for t, _ in fake.buttons_of(q1)][:2] == ["Có", "Không"]
            await user.press("Có")
            wrong = await user.say("có lẽ")
            assert "Chưa nhận được" in wrong["text"] and wrong["text"].startswith("Câu 2/23")
            for answer in ("có", "không", "có"):
                await user.say(answer)
            await user.press("Bỏ qua")  # question 5 is optional
            await user.say("12.500/10.000")
            await asyncio.sleep(2.5)  # the access token is now due for a refresh
            await user.say("3.200/12.500")
            await user.say("45/50 tạm")
            await user.say("có")
            await user.press("Bỏ qua")
            await user.say("512,5")
            await user.say("3.200/2.500")  # digital revenue this year/last year
            await user.say("có")  # has an e-newspaper
            for text in ("Nâng cấp máy chủ", "Tổ công nghệ 5 người", "Phát hành trên ứng dụng di động",
                         "Đã ban hành Kế hoạch", "Vận hành tòa soạn hội tụ", "Lãnh đạo quan tâm",
                         "Doanh thu số còn thấp", "Đầu tư đồng bộ", "Thiếu kinh phí"):
                await user.say(text)
            review = await user.say("Hỗ trợ nền tảng dùng chung")
            assert review["text"].startswith("Tóm tắt")
            receipt = await user.press("Gửi")
            assert "Mã biên nhận: CDS-2026-QT-BAO-01" in receipt["text"]
        assert len(fake.calls_to("/v4/oa/access_token")) >= 2, "tokens were refreshed mid-dialogue"
    with app.uow() as uow:
        answers = {a.question_key: a for a in uow.session.scalars(select(Answer))}
        assert uow.session.scalar(select(Submission.status)) == "submitted"
        assert answers["dao_tao"].provisional and answers["tang_doanh_thu"].raw_text == "12.500/10.000"
        assert len(answers) == 23 and answers["bao_dien_tu"].skipped
        assert len(uow.session.scalars(select(AnswerRevision)).all()) == 23, "nothing lost, nothing twice"
        token = uow.session.get(ChannelToken, "zalo")
        assert token is not None and token.refresh_token.startswith("fernet:"), "encrypted at rest"
        assert "RT-" not in token.refresh_token + token.access_token
        assert TokenCipher(TOKEN_KEY).open(token.refresh_token).startswith("RT-")
    app.close()


async def test_bad_signature_and_replays_are_refused(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (_, url):
            event = {"app_id": fake.app_id, "event_name": "user_send_text", "sender": {"id": USER},
                     "recipient": {"id": fake.oa_id}, "message": {"text": "/start", "msg_id": "m-1"},
                     "timestamp": str(int(time.time() * 1000))}
            forged = json.dumps(event).encode()
            refused = await asyncio.to_thread(httpx.post, url, content=forged,
                                              headers={"X-ZEvent-Signature": "mac=" + "0" * 64})
            assert refused.status_code == 401
            unsigned = await asyncio.to_thread(httpx.post, url, content=forged)
            assert unsigned.status_code == 401
            fake.user_wrote(USER)
            for _ in range(5):  # Zalo retries the same event
                response = await asyncio.to_thread(fake.post_event, url, event, OA_SECRET, fake.app_id)
                assert response.status_code == 200
            await fake.wait_for_messages_async(USER, 1)
            await asyncio.sleep(0.5)
            assert len(fake.sent_to(USER)) == 1, "the replayed event was applied once"
    app.close()


async def test_unfollow_marks_the_person_unreachable(catalog_sqlite_url: str) -> None:
    with FakeZaloApi() as fake:
        app = zalo_app(catalog_sqlite_url, fake)
        async with running_zalo_bot(app) as (channel, url):
            user = ZaloUser(fake, url, USER)
            await user.say(invite(app, "QUANGTRI"))
            unfollow = {"app_id": fake.app_id, "event_name": "unfollow", "oa_id": fake.oa_id,
                        "follower": {"id": USER}, "timestamp": str(int(time.time() * 1000))}
            await asyncio.to_thread(fake.post_event, url, unfollow, OA_SECRET, fake.app_id)
            await asyncio.sleep(0.3)
            await asyncio.gather(*channel.intake.tasks)
    with app.uow() as uow:
        identity = uow.session.scalar(select(Identity).where(Identity.channel == "zalo"))
        assert identity.reachable is False and "unfollowed" in identity.unreachable_reason
    app.close()
