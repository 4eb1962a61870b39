"""The fake Zalo Bot Platform itself, driven with plain httpx: what it answers, queues, delivers and breaks."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.zalobot.conftest import PNG, SECRET, BotSide, new_user

HTTP = httpx.Client(timeout=10)  # one pool for the module: a new httpx client costs ~0.1 s (TLS setup)


def api(fake: FakeZaloBotApi, method: str, token: str | None = None, **params: Any) -> httpx.Response:
    """One call as any client would make it: POST JSON to /bot<token>/<method>."""
    return HTTP.post(f"{fake.base_url}/bot{token or fake.token}/{method}", json=params)


def test_get_me_answers_the_bot_and_a_wrong_token_gets_401(fake_zalo_bot: FakeZaloBotApi) -> None:
    me = api(fake_zalo_bot, "getMe").json()
    assert me["ok"] is True and me["result"]["id"] == fake_zalo_bot.token.split(":")[0]
    refused = api(fake_zalo_bot, "getMe", token="1:wrong")
    assert refused.status_code == 401
    assert refused.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert [(c.method, c.status, c.error_code) for c in fake_zalo_bot.calls()] == [("getMe", 200, 0),
                                                                                 ("getMe", 401, 401)]


def test_get_updates_hands_out_one_update_per_call_in_order(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    sent = [fake_zalo_bot.user_sends_text(user, text) for text in ("một", "hai")]
    got = [api(fake_zalo_bot, "getUpdates", timeout=1).json()["result"] for _ in sent]
    assert got == sent
    assert got[0]["event_name"] == "message.text.received"
    assert got[0]["message"]["chat"] == {"id": user, "chat_type": "PRIVATE"}
    assert fake_zalo_bot.pending_updates() == 0


def test_an_empty_long_poll_ends_with_408_in_an_http_200(fake_zalo_bot: FakeZaloBotApi) -> None:
    empty = api(fake_zalo_bot, "getUpdates", timeout=0.1)
    assert empty.status_code == 200
    assert empty.json() == {"ok": False, "error_code": 408, "description": "Request timeout"}
    fake_zalo_bot.poll_timeouts_as_http_408()
    assert api(fake_zalo_bot, "getUpdates", timeout=0.1).status_code == 408


async def test_a_waiting_long_poll_gets_the_message_typed_meanwhile(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    async with httpx.AsyncClient(timeout=10) as http:
        poll = asyncio.create_task(http.post(f"{fake_zalo_bot.base_url}/bot{fake_zalo_bot.token}/getUpdates",
                                             json={"timeout": 5}))
        await asyncio.sleep(0.1)
        fake_zalo_bot.user_sends_text(user, "Chào bot")
        answer = (await poll).json()
    assert answer["result"]["message"]["text"] == "Chào bot"


async def test_a_poller_that_hangs_up_does_not_take_the_next_update(fake_zalo_bot: FakeZaloBotApi) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(f"{fake_zalo_bot.base_url}/bot{fake_zalo_bot.token}/getUpdates",
                            json={"timeout": 5}, timeout=0.2)
    await asyncio.to_thread(fake_zalo_bot._state.changed.wait,
                            lambda: any(c.status == 499 for c in fake_zalo_bot.calls("getUpdates")), 5)
    fake_zalo_bot.user_sends_text(new_user(), "còn đây")
    assert fake_zalo_bot.pending_updates() == 1


def test_an_answer_lost_on_the_wire_loses_the_update(fake_zalo_bot: FakeZaloBotApi) -> None:
    """No offset: the platform forgets an update once it has handed it out, even if the reply broke."""
    fake_zalo_bot.user_sends_text(new_user(), "mất")
    fake_zalo_bot.drop_connections(after_work=True, methods="getUpdates")
    with pytest.raises(httpx.RemoteProtocolError):
        api(fake_zalo_bot, "getUpdates", timeout=1)
    assert fake_zalo_bot.pending_updates() == 0


def test_each_token_has_its_own_updates_and_chats(fake_zalo_bot: FakeZaloBotApi) -> None:
    other = fake_zalo_bot.add_bot("999000111:OTHER-bot-token-for-tests-abcdefgh")
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "cho bot kia", token=other)
    assert api(fake_zalo_bot, "getUpdates", timeout=0.1).json()["error_code"] == 408
    assert api(fake_zalo_bot, "sendMessage", chat_id=user, text="x").json()["description"].endswith("chat not found")
    assert api(fake_zalo_bot, "getUpdates", token=other, timeout=1).json()["result"]["message"]["text"] == "cho bot kia"
    assert api(fake_zalo_bot, "sendMessage", token=other, chat_id=user, text="ừ").json()["ok"] is True


def test_send_message_takes_1_to_2000_characters_counted_in_utf16(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    for text, ok in (("a" * 2000, True), ("a" * 2001, False), ("", False), ("😀" * 1000, True), ("😀" * 1001, False)):
        answer = api(fake_zalo_bot, "sendMessage", chat_id=user, text=text)
        assert (answer.status_code, answer.json()["ok"]) == ((200, True) if ok else (400, False)), len(text)
    assert [len(m.text or "") for m in fake_zalo_bot.sent_to(user)] == [2000, 1000]
    result = api(fake_zalo_bot, "sendMessage", chat_id=user, text="ok").json()["result"]
    assert set(result) == {"message_id", "date"}


def test_params_may_come_as_a_form_or_a_query_string(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    url = f"{fake_zalo_bot.base_url}/bot{fake_zalo_bot.token}/sendMessage"
    assert HTTP.post(url, data={"chat_id": user, "text": "biểu mẫu"}).json()["ok"] is True
    assert HTTP.get(url, params={"chat_id": user, "text": "truy vấn"}).json()["ok"] is True
    assert [m.text for m in fake_zalo_bot.sent_to(user)] == ["biểu mẫu", "truy vấn"]


def test_a_blocked_chat_gets_403(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    fake_zalo_bot.block(user)
    assert api(fake_zalo_bot, "sendMessage", chat_id=user, text="x").status_code == 403


def test_send_photo_fetches_the_picture_from_its_url(fake_zalo_bot: FakeZaloBotApi,
                                                      bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    assert api(fake_zalo_bot, "sendPhoto", chat_id=user, photo=f"{base}/chart.png", caption="Biểu đồ").json()["ok"]
    (photo,) = fake_zalo_bot.sent_to(user)
    assert (photo.kind, photo.text, photo.photo) == ("photo", "Biểu đồ", PNG)
    assert api(fake_zalo_bot, "sendPhoto", chat_id=user, photo="data:image/png;base64,AAAA").json()["description"] \
        == "Bad Request: The photo must start with http:// or https://"
    assert api(fake_zalo_bot, "sendPhoto", chat_id=user, photo=f"{base}/missing.png").json()["description"] \
        == "Bad Request: The photo URL is invalid"


def test_send_chat_action_answers_a_bare_ok(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    assert api(fake_zalo_bot, "sendChatAction", chat_id=user, action="typing").json() == {"ok": True}
    assert fake_zalo_bot.chat_actions() == [(user, "typing")]


def test_webhook_setup_checks_the_secret_and_blocks_polling(fake_zalo_bot: FakeZaloBotApi) -> None:
    assert api(fake_zalo_bot, "getWebhookInfo").status_code == 404
    assert api(fake_zalo_bot, "setWebhook", url="https://bot.example/hook", secret_token="short").status_code == 400
    assert api(fake_zalo_bot, "setWebhook", url="https://bot.example/hook", secret_token=SECRET).json()["ok"]
    assert api(fake_zalo_bot, "getWebhookInfo").json()["result"]["url"] == "https://bot.example/hook"
    assert api(fake_zalo_bot, "getUpdates", timeout=0.1).status_code == 409
    assert api(fake_zalo_bot, "deleteWebhook").json()["result"]["url"] == ""
    assert api(fake_zalo_bot, "getUpdates", timeout=0.1).json()["error_code"] == 408


def test_with_a_webhook_each_message_is_posted_with_the_secret(fake_zalo_bot: FakeZaloBotApi,
                                                               bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    api(fake_zalo_bot, "setWebhook", url=f"{base}/hook", secret_token=SECRET)
    user = new_user()
    kinds = [fake_zalo_bot.user_sends_text(user, "một"), fake_zalo_bot.user_sends_sticker(user),
             fake_zalo_bot.user_sends_photo(user, f"{base}/chart.png", "ảnh"),
             fake_zalo_bot.user_sends_voice(user, "https://cdn.example/v.aac"),
             fake_zalo_bot.user_sends_unsupported(user)]
    deliveries = fake_zalo_bot.wait_for_deliveries(len(kinds))
    assert [d.statuses for d in deliveries] == [[200]] * len(kinds)
    assert [u.kind for u in side.updates] == ["text", "sticker", "image", "voice", "unsupported"]
    assert [u.message_id for u in side.updates] == [k["message"]["message_id"] for k in kinds]
    assert fake_zalo_bot.pending_updates() == 0


def test_the_webhook_body_is_wrapped_unless_told_otherwise(bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    for wrap in (True, False):
        with FakeZaloBotApi(wrap_webhook=wrap) as fake:
            api(fake, "setWebhook", url=f"{base}/hook", secret_token=SECRET)
            fake.user_sends_text(new_user(), f"wrap={wrap}")
            fake.wait_for_deliveries(1)
    assert [u.text for u in side.updates] == ["wrap=True", "wrap=False"]


def test_a_refused_delivery_is_retried_when_retries_are_planned(bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    side.answer = 500
    with FakeZaloBotApi(webhook_retry_delays=(0.05, 0.05)) as fake:
        api(fake, "setWebhook", url=f"{base}/hook", secret_token=SECRET)
        fake.user_sends_text(new_user(), "thử lại")
        (delivery,) = fake.wait_for_deliveries(1)
        assert delivery.statuses == [500, 500, 500] and not delivery.accepted
        side.answer = 200
        fake.redeliver(delivery)
        assert fake.wait_for_deliveries(2)[1].statuses == [200]
    assert [u.text for u in side.updates] == ["thử lại"]


def test_a_wrong_or_missing_secret_is_refused_by_the_bot_side(fake_zalo_bot: FakeZaloBotApi,
                                                               bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    body = json.dumps({"ok": True, "result": {"event_name": "message.text.received", "message": {}}}).encode()
    assert fake_zalo_bot.deliver_raw(body, secret="not-the-secret", url=f"{base}/hook") == 401
    assert fake_zalo_bot.deliver_raw(body, secret=None, url=f"{base}/hook") == 401
    assert side.updates == []


def test_outage_faults_answer_5xx_as_json_or_a_gateway_page(fake_zalo_bot: FakeZaloBotApi) -> None:
    fake_zalo_bot.fail_with(503, times=1, methods="getMe")
    fake_zalo_bot.fail_with(502, page=True, times=1, methods="getMe")
    page = api(fake_zalo_bot, "getMe")
    assert page.status_code == 502 and page.headers["content-type"].startswith("text/html")
    assert api(fake_zalo_bot, "getMe").json() == {"ok": False, "error_code": 503,
                                                  "description": "Service Unavailable"}
    assert api(fake_zalo_bot, "getMe").json()["ok"] is True


def test_flood_control_answers_429_with_the_planned_hint(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    fake_zalo_bot.flood(per_second=1, retry_after=3)
    assert api(fake_zalo_bot, "sendMessage", chat_id=user, text="1").json()["ok"]
    flooded = api(fake_zalo_bot, "sendMessage", chat_id=user, text="2")
    assert flooded.status_code == 429 and flooded.headers["retry-after"] == "3"
    assert flooded.json()["parameters"] == {"retry_after": 3}
    assert api(fake_zalo_bot, "getMe").json()["ok"], "only sends count against flood control"
    fake_zalo_bot.flood(per_second=1)
    api(fake_zalo_bot, "sendMessage", chat_id=user, text="3")
    bare = api(fake_zalo_bot, "sendMessage", chat_id=user, text="4")
    assert bare.status_code == 429 and "retry-after" not in bare.headers and "parameters" not in bare.json()


def test_dropped_connections_break_before_or_after_the_send(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    fake_zalo_bot.drop_connections(after_work=False, methods="sendMessage")
    with pytest.raises(httpx.RemoteProtocolError):
        api(fake_zalo_bot, "sendMessage", chat_id=user, text="không tới")
    fake_zalo_bot.drop_connections(after_work=True, methods="sendMessage")
    with pytest.raises(httpx.RemoteProtocolError):
        api(fake_zalo_bot, "sendMessage", chat_id=user, text="tới rồi")
    assert [m.text for m in fake_zalo_bot.sent_to(user)] == ["tới rồi"]


def test_a_slow_reply_still_did_the_send(fake_zalo_bot: FakeZaloBotApi) -> None:
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "hi")
    fake_zalo_bot.slow_down(1.0, times=1, methods="sendMessage")
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{fake_zalo_bot.base_url}/bot{fake_zalo_bot.token}/sendMessage",
                   json={"chat_id": user, "text": "chậm"}, timeout=0.2)
    assert [m.text for m in fake_zalo_bot.wait_for_messages(user, 1)] == ["chậm"]


def test_group_messages_name_the_group_as_chat(fake_zalo_bot: FakeZaloBotApi) -> None:
    user, group = new_user(), new_user()
    update = fake_zalo_bot.user_sends_text(user, "@bot xin chào", group_id=group)
    assert update["message"]["chat"] == {"id": group, "chat_type": "GROUP"}
    assert update["message"]["from"]["id"] == user
    assert api(fake_zalo_bot, "sendMessage", chat_id=group, text="chào nhóm").json()["ok"]


async def test_stop_ends_a_pending_long_poll() -> None:
    fake = FakeZaloBotApi().start()
    async with httpx.AsyncClient(timeout=10) as http:
        poll = asyncio.create_task(http.post(f"{fake.base_url}/bot{fake.token}/getUpdates", json={"timeout": 30}))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(fake.stop)
        answer = await poll
    assert answer.json()["error_code"] == 408
