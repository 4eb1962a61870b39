"""The fake Zalo itself, spoken to with plain httpx: it must refuse what Zalo refuses."""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.fakes.zalo_api import BackgroundServer, FakeZaloApi

USER = "2512523625412515"


@pytest.fixture
def zalo(fake: FakeZaloApi) -> FakeZaloApi:
    """The shared fake (conftest), under a shorter name."""
    return fake


def cs(zalo: FakeZaloApi, token: str, message: dict[str, Any], user: str = USER) -> dict[str, Any]:
    body = {"recipient": {"user_id": user}, "message": message}
    url = zalo.base_url + "/v3.0/oa/message/cs"
    return httpx.post(url, json=body, headers={"access_token": token}).json()


def refresh(zalo: FakeZaloApi, refresh_token: str, secret: str | None = None) -> dict[str, Any]:
    form = {"app_id": zalo.app_id, "grant_type": "refresh_token", "refresh_token": refresh_token}
    headers = {"secret_key": secret or zalo.app_secret}
    return httpx.post(zalo.base_url + "/v4/oa/access_token", data=form, headers=headers).json()


def test_text_is_delivered_and_recorded(zalo: FakeZaloApi) -> None:
    zalo.user_wrote(USER)
    answer = cs(zalo, zalo.issue_tokens().access_token, {"text": "chào"})
    assert answer["error"] == 0 and answer["data"]["quota"]["quota_type"] == "reply"
    assert zalo.sent_to(USER) == [{"text": "chào"}]
    assert zalo.wait_for_messages(USER, 1) == [{"text": "chào"}]


def test_refresh_tokens_are_single_use_and_rotation_kills_the_old_access_token(zalo: FakeZaloApi) -> None:
    zalo.user_wrote(USER)
    first = zalo.issue_tokens()
    rotated = refresh(zalo, first.refresh_token)
    assert rotated["expires_in"] == "90000"
    assert refresh(zalo, first.refresh_token)["error"] == -14014
    assert cs(zalo, first.access_token, {"text": "x"})["error"] == -220
    assert cs(zalo, rotated["access_token"], {"text": "x"})["error"] == 0


def test_wrong_app_secret_gets_no_tokens(zalo: FakeZaloApi) -> None:
    answer = refresh(zalo, zalo.issue_tokens().refresh_token, secret="guess")
    assert "access_token" not in answer and answer["error"] != 0


def test_access_tokens_expire_on_the_fake_clock(zalo: FakeZaloApi) -> None:
    zalo.user_wrote(USER)
    token = zalo.issue_tokens().access_token
    zalo.advance(90001)
    assert cs(zalo, token, {"text": "x"})["error"] == -220
    assert cs(zalo, "made-up", {"text": "x"})["error"] == -216


@pytest.mark.parametrize(("hours_ago", "error"), [(None, -232), (7 * 24 + 1, -230), (7 * 24 - 1, 0)])
def test_interaction_window(zalo: FakeZaloApi, hours_ago: float | None, error: int) -> None:
    if hours_ago is not None:
        zalo.user_wrote(USER, hours_ago=hours_ago)
    assert cs(zalo, zalo.issue_tokens().access_token, {"text": "x"})["error"] == error


def test_limits_are_enforced(zalo: FakeZaloApi) -> None:
    zalo.user_wrote(USER)
    token = zalo.issue_tokens().access_token
    buttons = [{"title": str(n), "type": "oa.query.show", "payload": str(n)} for n in range(6)]
    many = {"text": "t", "attachment": {"type": "template", "payload": {"buttons": buttons}}}
    assert cs(zalo, token, {"text": "x" * 2001})["error"] == -210
    assert cs(zalo, token, many)["error"] == -210
    assert (
        cs(zalo, token, {"attachment": {"type": "file", "payload": {"token": "never-uploaded"}}})["error"]
        == -201
    )
    assert zalo.sent_to(USER) == []


def test_uploads_check_size_and_type(zalo: FakeZaloApi) -> None:
    headers = {"access_token": zalo.issue_tokens().access_token}

    def upload(kind: str, name: str, size: int) -> dict[str, Any]:
        files = {"file": (name, b"\0" * size)}
        return httpx.post(f"{zalo.base_url}/v2.0/oa/upload/{kind}", files=files, headers=headers).json()

    assert upload("image", "a.png", 10)["data"]["attachment_id"]
    assert upload("image", "a.png", 1024 * 1024 + 1)["error"] == -210
    token = upload("file", "bao-cao.pdf", 100)["data"]["token"]
    assert zalo.upload(token) == ("bao-cao.pdf", b"\0" * 100)
    assert upload("file", "bao-cao.xlsx", 100)["error"] == -201


def test_injected_faults_then_recovery(zalo: FakeZaloApi) -> None:
    zalo.user_wrote(USER)
    token = zalo.issue_tokens().access_token
    zalo.fail_with(503, for_seconds=0.3)
    assert (
        httpx.post(
            zalo.base_url + "/v3.0/oa/message/cs", json={}, headers={"access_token": token}
        ).status_code
        == 503
    )
    zalo.fail_with(200, for_seconds=0.3, error=-32)
    assert cs(zalo, token, {"text": "x"})["error"] == -32
    zalo.fail_with(200, for_seconds=0)
    assert cs(zalo, token, {"text": "x"})["error"] == 0
    assert len(zalo.calls_to("/v3.0/oa/message/cs")) == 3


def test_wait_for_messages_times_out(zalo: FakeZaloApi) -> None:
    with pytest.raises(TimeoutError):
        zalo.wait_for_messages(USER, 1, timeout=0.1)


def test_user_sends_text_posts_a_signed_event_and_opens_the_window(zalo: FakeZaloApi) -> None:
    received: list[tuple[bytes, str]] = []
    arrived = threading.Event()

    async def hook(request: Request) -> PlainTextResponse:
        received.append((await request.body(), request.headers["x-zevent-signature"]))
        arrived.set()
        return PlainTextResponse("ok")

    bot = BackgroundServer(Starlette(routes=[Route("/zalo", hook, methods=["POST"])]))
    bot.start()
    try:
        response = zalo.user_sends_text(bot.base_url + "/zalo", USER, "Báo cáo: 12", oa_secret_key="k")
    finally:
        bot.stop()
    assert response.status_code == 200 and arrived.is_set()
    raw, header = received[0]
    stamp = httpx.Response(200, content=raw).json()["timestamp"]
    assert header == "mac=" + hashlib.sha256(zalo.app_id.encode() + raw + stamp.encode() + b"k").hexdigest()
    assert cs(zalo, zalo.issue_tokens().access_token, {"text": "đã nhận"})["error"] == 0
