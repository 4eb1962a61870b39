"""Reading updates and checking the webhook secret: through real deliveries from the fake, and directly."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.zalo_bot.updates import (
    ZaloBotUpdateError,
    check_secret,
    parse_update,
    read_webhook_body,
    secret_matches,
    unwrap,
)
from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.zalobot.conftest import SECRET, BotSide, new_user

DOCUMENTED = {"ok": True, "result": {  # the sample of docs.zaloplatforms.com/docs/BOT/webhook, ids shortened
    "message": {"from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False},
                "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
                "text": "Xin chào", "message_id": "2d758cb5e222177a4e35", "date": 1750316131602},
    "event_name": "message.text.received"}}


def test_the_documented_webhook_sample_parses() -> None:
    update = read_webhook_body(json.dumps(DOCUMENTED).encode())
    assert (update.kind, update.text, update.chat_id, update.sender_name) == (
        "text", "Xin chào", "6ede9afa66b88fe6d6a9", "Ted")
    assert update.date_ms == 1750316131602 and update.key == "message.text.received:2d758cb5e222177a4e35"
    assert parse_update(DOCUMENTED["result"]) == update, "a bare body reads the same"
    assert unwrap(DOCUMENTED) is DOCUMENTED["result"]


def test_group_messages_and_numeric_ids() -> None:
    update = parse_update({"event_name": "message.text.received", "message": {
        "from": {"id": 77, "display_name": "An"}, "chat": {"id": 88, "chat_type": "GROUP"}, "text": "@bot hi"}})
    assert (update.chat_id, update.sender_id, update.chat_type, update.message_id) == ("88", "77", "group", "")
    assert update.key == "message.text.received:88:0"


def test_an_unknown_event_is_kept_as_other() -> None:
    update = parse_update({"event_name": "message.file.received",
                           "message": {"from": {"id": "u"}, "chat": {"id": "u"}}})
    assert update.kind == "other"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"{}", b'{"event_name": "message.text.received"}',
                                  b'{"event_name": "message.text.received", "message": {"chat": {"id": "c"}}}'])
def test_unreadable_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(ZaloBotUpdateError):
        read_webhook_body(body)


def test_the_secret_must_match_exactly_and_exist() -> None:
    assert secret_matches(SECRET, SECRET) and secret_matches(SECRET.encode(), SECRET)
    assert not secret_matches(SECRET, SECRET + "x") and not secret_matches(SECRET, SECRET[:-1])
    assert not secret_matches(SECRET, None) and not secret_matches(SECRET, "")
    assert not secret_matches("", "") and not secret_matches(None, "anything")
    assert secret_matches("mật-khẩu-dài-hơn", "mật-khẩu-dài-hơn"), "compared as bytes, so any text works"


@pytest.mark.parametrize("secret, ok", [("a" * 7, False), ("a" * 8, True), ("a" * 256, True), ("a" * 257, False),
                                        ("has space1", False), ("bí-mật-123", False), ("Tok_en-9.~", True)])
def test_check_secret(secret: str, ok: bool) -> None:
    if ok:
        assert check_secret(secret) == secret
    else:
        with pytest.raises(ValueError):
            check_secret(secret)


def test_real_deliveries_pass_the_bot_side_check(fake_zalo_bot: FakeZaloBotApi, bot_side: tuple[BotSide, str]) -> None:
    side, base = bot_side
    set_webhook = f"{fake_zalo_bot.base_url}/bot{fake_zalo_bot.token}/setWebhook"
    assert httpx.post(set_webhook, json={"url": f"{base}/hook", "secret_token": SECRET}).json()["ok"]
    user = new_user()
    fake_zalo_bot.user_sends_text(user, "một")
    fake_zalo_bot.user_sends_photo(user, "https://cdn.example/p.jpg")
    fake_zalo_bot.wait_for_deliveries(2)
    assert [(u.kind, u.chat_id) for u in side.updates] == [("text", user), ("image", user)]
    forged = json.dumps(DOCUMENTED).encode()
    assert fake_zalo_bot.deliver_raw(forged, secret=SECRET[:-1], url=f"{base}/hook") == 401
    assert fake_zalo_bot.deliver_raw(b"{", secret=SECRET, url=f"{base}/hook") == 400
    assert len(side.updates) == 2
