"""Webhook helpers: signature checks, reading each event type, and replay keys."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from bot.zalo.webhook import Attachment, ZaloEventError, event_key, parse_event, verify_signature

APP_ID = "3608465248940903967"
OA_KEY = "oa-secret-key"
OA_ID = "388613280878808645"
USER = "246845883529197922"
STAMP = "1740900000000"


def body_of(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()


def mac(raw: bytes, app_id: str = APP_ID, key: str = OA_KEY, timestamp: str = STAMP) -> str:
    """The signature computed here, independently of the code under test."""
    return "mac=" + hashlib.sha256(f"{app_id}{raw.decode()}{timestamp}{key}".encode()).hexdigest()


def text_event(**overrides: Any) -> dict[str, Any]:
    event = {
        "app_id": APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": "user_send_text",
        "sender": {"id": USER},
        "recipient": {"id": OA_ID},
        "message": {"text": "Báo cáo tháng 3: 120", "msg_id": "96d3cdf3af150460909"},
        "timestamp": STAMP,
    }
    return {**event, **overrides}


RAW = body_of(text_event())


class TestSignature:
    def test_good_signature(self) -> None:
        assert verify_signature(RAW, mac(RAW), APP_ID, OA_KEY, STAMP)

    def test_bare_or_uppercase_hex_is_accepted(self) -> None:
        digest = mac(RAW).removeprefix("mac=")
        assert verify_signature(RAW, digest, APP_ID, OA_KEY, STAMP)
        assert verify_signature(RAW, "mac=" + digest.upper(), APP_ID, OA_KEY, STAMP)

    def test_tampered_body_fails(self) -> None:
        tampered = RAW.replace(b"120", b"999")
        assert not verify_signature(tampered, mac(RAW), APP_ID, OA_KEY, STAMP)

    def test_reserialised_body_fails(self) -> None:
        compact = json.dumps(json.loads(RAW), separators=(",", ":")).encode()
        assert not verify_signature(compact, mac(RAW), APP_ID, OA_KEY, STAMP)

    def test_wrong_key_app_or_timestamp_fails(self) -> None:
        header = mac(RAW)
        assert not verify_signature(RAW, header, APP_ID, "another-key", STAMP)
        assert not verify_signature(RAW, header, "999", OA_KEY, STAMP)
        assert not verify_signature(RAW, header, APP_ID, OA_KEY, "1740900000001")

    @pytest.mark.parametrize("header", [None, "", "mac=", "not-a-signature"])
    def test_missing_or_garbage_header_fails(self, header: str | None) -> None:
        assert not verify_signature(RAW, header, APP_ID, OA_KEY, STAMP)

    def test_unconfigured_key_never_verifies(self) -> None:
        assert not verify_signature(RAW, mac(RAW, key=""), APP_ID, "", STAMP)


class TestParsing:
    def test_user_send_text(self) -> None:
        event = parse_event(text_event())
        assert (event.event_name, event.user_id, event.oa_id) == ("user_send_text", USER, OA_ID)
        assert event.text == "Báo cáo tháng 3: 120"
        assert event.msg_id == "96d3cdf3af150460909"
        assert event.timestamp == 1740900000000
        assert event.from_user and event.attachments == ()

    @pytest.mark.parametrize("name", ["follow", "unfollow"])
    def test_follow_and_unfollow_name_the_follower(self, name: str) -> None:
        raw = {
            "oa_id": OA_ID,
            "follower": {"id": USER},
            "user_id_by_app": "5521",
            "event_name": name,
            "source": "oa_profile",
            "app_id": APP_ID,
            "timestamp": STAMP,
        }
        event = parse_event(raw)
        assert (event.event_name, event.user_id, event.oa_id, event.msg_id) == (name, USER, OA_ID, None)

    def test_events_are_hashable_values(self) -> None:
        assert len({parse_event(text_event()), parse_event(text_event())}) == 1

    def test_user_submit_info_keeps_the_answers(self) -> None:
        info = {"name": "Nguyễn Văn A", "phone": "84912345678", "address": "Hà Nội"}
        raw = {
            "sender": {"id": USER},
            "recipient": {"id": OA_ID},
            "event_name": "user_submit_info",
            "app_id": APP_ID,
            "timestamp": STAMP,
            "info": info,
        }
        event = parse_event(raw)
        assert event.user_id == USER and event.info["phone"] == "84912345678"

    def test_user_send_image(self) -> None:
        message = {
            "msg_id": "m-img",
            "text": "ảnh biên bản",
            "attachments": [
                {"type": "image", "payload": {"url": "https://z/i.jpg", "thumbnail": "https://z/t.jpg"}}
            ],
        }
        event = parse_event(text_event(event_name="user_send_image", message=message))
        assert event.attachments == (Attachment("image", url="https://z/i.jpg", thumbnail="https://z/t.jpg"),)
        assert event.text == "ảnh biên bản"

    def test_user_send_file(self) -> None:
        payload = {
            "url": "https://z/f.xlsx",
            "name": "bao-cao.xlsx",
            "size": "23394",
            "checksum": "db8f",
            "type": "xlsx",
        }
        message = {"msg_id": "m-file", "attachments": [{"type": "file", "payload": payload}]}
        event = parse_event(text_event(event_name="user_send_file", message=message))
        assert event.attachments == (
            Attachment("file", url="https://z/f.xlsx", name="bao-cao.xlsx", size=23394),
        )
        assert event.text is None

    def test_user_send_sticker(self) -> None:
        message = {
            "msg_id": "m-st",
            "attachments": [{"type": "sticker", "payload": {"id": "bfe4", "url": "https://z/s"}}],
        }
        event = parse_event(text_event(event_name="user_send_sticker", message=message))
        assert [item.kind for item in event.attachments] == ["sticker"]

    def test_oa_echo_names_the_user_as_recipient(self) -> None:
        raw = text_event(
            event_name="oa_send_text", sender={"id": OA_ID, "admin_id": "1"}, recipient={"id": USER}
        )
        event = parse_event(raw)
        assert event.user_id == USER and event.oa_id == OA_ID and not event.from_user

    @pytest.mark.parametrize("raw", [{}, {"event_name": ""}, {"event_name": "user_send_text", "sender": {}}])
    def test_unreadable_bodies_raise(self, raw: dict[str, Any]) -> None:
        with pytest.raises(ZaloEventError):
            parse_event(raw)


class TestReplayKey:
    def test_redelivery_has_the_same_key(self) -> None:
        first = parse_event(json.loads(RAW))
        again = parse_event(json.loads(json.dumps(json.loads(RAW), separators=(",", ":"))))
        assert event_key(first) == event_key(again) == "user_send_text:96d3cdf3af150460909"

    def test_distinct_messages_have_distinct_keys(self) -> None:
        other = text_event(message={"text": "Báo cáo tháng 3: 120", "msg_id": "another"})
        assert event_key(parse_event(text_event())) != event_key(parse_event(other))

    def test_events_without_msg_id_are_keyed_by_user_and_time(self) -> None:
        follow = {"oa_id": OA_ID, "follower": {"id": USER}, "event_name": "follow", "timestamp": STAMP}
        later = {**follow, "timestamp": "1740900000500"}
        assert event_key(parse_event(follow)) == f"follow:{USER}:{STAMP}"
        assert event_key(parse_event(follow)) == event_key(parse_event(dict(follow)))
        assert event_key(parse_event(follow)) != event_key(parse_event(later))
