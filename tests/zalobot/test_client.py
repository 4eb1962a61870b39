"""ZaloBotClient against the fake platform over real HTTP: every method, and each failure typed for the outbox."""

from __future__ import annotations

import pytest

from bot.delivery import RetryLater, Undeliverable
from bot.zalo.limits import size
from bot.zalo_bot.client import (
    DEFAULT_BASE_URL,
    LEGACY_BASE_URL,
    ZaloBotClient,
    ZaloBotError,
    ZaloBotFlood,
    ZaloBotForbidden,
    ZaloBotUnauthorized,
    ZaloBotUnavailable,
    outbox_error,
)
from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.zalobot.conftest import PNG, SECRET, BotSide, new_user


def known_chat(fake: FakeZaloBotApi) -> str:
    """A person who has written to the bot (the platform only lets a bot answer those)."""
    user = new_user()
    fake.user_sends_text(user, "xin chào")
    return user


def test_the_documented_hosts() -> None:
    assert DEFAULT_BASE_URL == "https://bot-api.zaloplatforms.com"
    assert LEGACY_BASE_URL == "https://bot-api.zapps.me"


async def test_get_me_posts_to_the_bot_token_path(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    me = await client.get_me()
    assert me.id == fake_zalo_bot.token.split(":")[0] and me.account_name == "bot.FakeChiTieu"
    (call,) = fake_zalo_bot.calls("getMe")
    assert call.token == fake_zalo_bot.token and call.status == 200


async def test_a_refused_token_waits_for_a_person_to_fix_it(fake_zalo_bot: FakeZaloBotApi) -> None:
    async with ZaloBotClient("123456:not-the-token", fake_zalo_bot.base_url) as stranger:
        with pytest.raises(ZaloBotUnauthorized) as refused:
            await stranger.get_me()
    verdict = outbox_error(refused.value)
    assert isinstance(verdict, RetryLater) and verdict.after == 300.0


async def test_get_update_reads_one_text_message(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    sent = fake_zalo_bot.user_sends_text(user, "/start ABC123", display_name="Trần Thị B")
    update = await client.get_update(timeout=1)
    assert update is not None
    assert (update.kind, update.text, update.chat_id, update.sender_id) == ("text", "/start ABC123", user, user)
    assert (update.chat_type, update.sender_name, update.sender_is_bot) == ("private", "Trần Thị B", False)
    assert update.key == f"message.text.received:{sent['message']['message_id']}"
    assert update.raw == sent


async def test_an_empty_poll_is_none_whether_answered_200_or_408(client: ZaloBotClient,
                                                                fake_zalo_bot: FakeZaloBotApi) -> None:
    assert await client.get_update(timeout=0.1) is None
    fake_zalo_bot.poll_timeouts_as_http_408()
    assert await client.get_update(timeout=0.1) is None
    assert [c.error_code for c in fake_zalo_bot.calls("getUpdates")] == [408, 408]


async def test_other_kinds_arrive_as_plain_data(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_photo(user, "https://cdn.example/a.jpg", "bảng số liệu")
    fake_zalo_bot.user_sends_sticker(user, "abc")
    fake_zalo_bot.user_sends_voice(user, "https://cdn.example/v.aac")
    fake_zalo_bot.user_sends_unsupported(user)
    got = [await client.get_update(timeout=1) for _ in range(4)]
    assert [(u.kind, u.text, u.photo_url, u.sticker, u.voice_url) for u in got if u] == [
        ("image", "bảng số liệu", "https://cdn.example/a.jpg", None, None), ("sticker", None, None, "abc", None),
        ("voice", None, None, None, "https://cdn.example/v.aac"), ("unsupported", None, None, None, None)]


async def test_send_text_cuts_long_replies_to_the_limit(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    paragraphs = [f"Mục {n}. " + "số liệu chỉ tiêu " * 100 for n in range(1, 4)]
    sent = await client.send_text(chat, "\n\n".join(paragraphs))
    texts = [m.text for m in fake_zalo_bot.sent_to(chat)]
    assert texts == [p.strip() for p in paragraphs] and len(sent) == 3
    assert all(s.message_id for s in sent)


async def test_send_message_refuses_an_oversized_text_before_calling(client: ZaloBotClient,
                                                                    fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    with pytest.raises(ValueError):
        await client.send_message(chat, "😀" * 1001)  # 1001 characters, 2002 UTF-16 units
    assert fake_zalo_bot.calls("sendMessage") == []
    sent = await client.send_text(chat, "😀" * 1001)
    assert [size(m.text or "") for m in fake_zalo_bot.sent_to(chat)] == [2000, 2] and len(sent) == 2


async def test_send_photo_by_url_with_a_long_caption(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi,
                                                     bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    chat = known_chat(fake_zalo_bot)
    caption = "Biểu đồ tỷ lệ hoàn thành. " + "Ghi chú dài. " * 200
    sent = await client.send_photo(chat, f"{base}/chart.png", caption)
    photo, rest = fake_zalo_bot.sent_to(chat)[0], fake_zalo_bot.sent_to(chat)[1:]
    assert photo.kind == "photo" and photo.photo == PNG and side.photo_gets == 1
    assert (photo.text or "").startswith("Biểu đồ") and rest and all(m.kind == "text" for m in rest)
    assert len(sent) == 1 + len(rest)
    with pytest.raises(ValueError):
        await client.send_photo(chat, "data:image/png;base64,AAAA")


async def test_send_chat_action(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    await client.send_chat_action(chat)
    assert fake_zalo_bot.chat_actions() == [(chat, "typing")]


async def test_webhook_set_read_and_deleted(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    assert await client.get_webhook_info() is None
    with pytest.raises(ValueError):
        await client.set_webhook("https://bot.example/zalo", "short")
    assert fake_zalo_bot.calls("setWebhook") == []
    info = await client.set_webhook("https://bot.example/zalo", SECRET)
    assert info.url == "https://bot.example/zalo" and info.updated_at > 0
    assert fake_zalo_bot.webhook == ("https://bot.example/zalo", SECRET)
    assert (await client.get_webhook_info()) == info
    with pytest.raises(ZaloBotError) as conflict:
        await client.get_update(timeout=0.1)
    assert conflict.value.code == 409 and not conflict.value.retryable
    assert (await client.delete_webhook()).url == ""
    assert await client.get_webhook_info() is None


async def test_an_outage_is_retried_later(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    fake_zalo_bot.fail_with(503, times=1)
    fake_zalo_bot.fail_with(502, page=True, times=1)
    for _ in range(2):
        with pytest.raises(ZaloBotUnavailable) as down:
            await client.send_message(chat, "thử")
        verdict = outbox_error(down.value)
        assert isinstance(verdict, RetryLater) and verdict.after is None  # the outbox's own backoff
    assert (await client.send_message(chat, "thử")).message_id


async def test_flood_control_pauses_the_channel_for_the_hinted_time(client: ZaloBotClient,
                                                                   fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    for hint, pause in ((3, 3.0), (None, 1.0)):
        fake_zalo_bot.flood(per_second=1, retry_after=hint)
        await client.send_message(chat, "một")
        with pytest.raises(ZaloBotFlood) as flooded:
            await client.send_message(chat, "hai")
        verdict = outbox_error(flooded.value)
        assert isinstance(verdict, RetryLater) and verdict.after == pause


async def test_a_blocked_person_is_undeliverable(client: ZaloBotClient, fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    fake_zalo_bot.block(chat)
    with pytest.raises(ZaloBotForbidden) as blocked:
        await client.send_message(chat, "nhắc hạn")
    verdict = outbox_error(blocked.value)
    assert isinstance(verdict, Undeliverable) and verdict.person_unreachable


async def test_a_refused_message_is_undeliverable_without_blaming_the_person(client: ZaloBotClient) -> None:
    with pytest.raises(ZaloBotError) as refused:
        await client.send_message(new_user(), "gửi người lạ")
    assert type(refused.value) is ZaloBotError and refused.value.code == 400
    verdict = outbox_error(refused.value)
    assert isinstance(verdict, Undeliverable) and not verdict.person_unreachable


async def test_a_dropped_connection_is_retryable_even_if_the_send_happened(client: ZaloBotClient,
                                                                           fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    fake_zalo_bot.drop_connections(after_work=True, methods="sendMessage")
    with pytest.raises(ZaloBotUnavailable):
        await client.send_message(chat, "có thể trùng")
    assert [m.text for m in fake_zalo_bot.sent_to(chat)] == ["có thể trùng"]  # a retry would send it twice


async def test_a_slow_answer_times_out_as_unavailable(fake_zalo_bot: FakeZaloBotApi) -> None:
    chat = known_chat(fake_zalo_bot)
    fake_zalo_bot.slow_down(1.0, times=1, methods="sendMessage")
    async with ZaloBotClient(fake_zalo_bot.token, fake_zalo_bot.base_url, timeout=0.2) as impatient:
        with pytest.raises(ZaloBotUnavailable, match="timed out"):
            await impatient.send_message(chat, "chậm")
