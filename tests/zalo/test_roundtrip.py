"""A whole turn: the fake user taps a button, a signed webhook reaches a receiver built like the app's."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.zalo.client import ZaloClient
from bot.zalo.webhook import SIGNATURE_HEADER, ZaloEvent, event_key, parse_event, verify_signature
from tests.fakes.zalo_api import BackgroundServer, FakeZaloApi

OA_SECRET = "oa-secret-key"


class Receiver:
    """What the app's Starlette route does: verify, parse, drop replays, acknowledge."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.events: list[ZaloEvent] = []
        self.seen: set[str] = set()

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        stamp = str(json.loads(raw).get("timestamp", ""))
        if not verify_signature(raw, request.headers.get(SIGNATURE_HEADER), self.app_id, OA_SECRET, stamp):
            return Response(status_code=401)
        event = parse_event(json.loads(raw))
        if event_key(event) not in self.seen:
            self.seen.add(event_key(event))
            self.events.append(event)
        return Response(status_code=200)


@pytest.fixture
def receiver(fake: FakeZaloApi) -> Iterator[tuple[Receiver, str]]:
    handler = Receiver(fake.app_id)
    server = BackgroundServer(Starlette(routes=[Route("/zalo/webhook", handler.handle, methods=["POST"])]))
    server.start()
    yield handler, server.base_url + "/zalo/webhook"
    server.stop()


async def test_button_tap_comes_back_as_the_users_text(
    receiver: tuple[Receiver, str], fake: FakeZaloApi, client: ZaloClient
) -> None:
    handler, url = receiver
    user = "8712345678901234567"
    assert fake.user_sends_text(url, user, "bắt đầu", OA_SECRET).status_code == 200
    await client.send_buttons(
        user, "Chọn kỳ báo cáo:", [("Tháng 3", "period:2026-03"), ("Quý I", "period:2026-Q1")]
    )
    (prompt,) = fake.sent_to(user)
    _, payload = fake.buttons_of(prompt)[1]
    assert fake.user_sends_text(url, user, payload, OA_SECRET).status_code == 200
    assert [(event.user_id, event.text) for event in handler.events] == [
        (user, "bắt đầu"),
        (user, "period:2026-Q1"),
    ]


def test_wrong_secret_is_rejected_and_redelivery_is_dropped(
    receiver: tuple[Receiver, str], fake: FakeZaloApi
) -> None:
    handler, url = receiver
    assert fake.user_sends_text(url, "u1", "giả mạo", "not-the-secret").status_code == 401
    event = {
        "app_id": fake.app_id,
        "event_name": "user_send_text",
        "sender": {"id": "u1"},
        "recipient": {"id": fake.oa_id},
        "message": {"text": "120", "msg_id": "m-1"},
        "timestamp": "1740900000000",
    }
    for _ in range(2):  # Zalo retries when it did not see our 200 in time
        assert fake.post_event(url, event, OA_SECRET, fake.app_id).status_code == 200
    assert [event.text for event in handler.events] == ["120"]
