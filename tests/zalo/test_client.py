"""ZaloClient against the fake over real HTTP: what arrives, how it is cut, and how failures are typed."""

from __future__ import annotations

import asyncio

import pytest

from bot.zalo.client import ZaloClient
from bot.zalo.errors import ZaloError, ZaloOutsideWindow, ZaloRateLimited, ZaloUnavailable
from bot.zalo.limits import size
from tests.fakes.zalo_api import FakeZaloApi
from tests.zalo.conftest import USER, ClientFactory

CS = "/v3.0/oa/message/cs"


async def test_text_arrives_with_the_token_in_a_bare_header(client: ZaloClient, fake: FakeZaloApi) -> None:
    ids = await client.send_text(USER, "Anh Nam ơi, hạn nộp báo cáo là 25/3.")
    assert fake.sent_to(USER) == [{"text": "Anh Nam ơi, hạn nộp báo cáo là 25/3."}]
    call = fake.calls_to(CS)[0]
    assert call.headers["access_token"] and "authorization" not in call.headers
    assert len(ids) == 1 and ids[0]


async def test_long_text_is_split_at_paragraphs(client: ZaloClient, fake: FakeZaloApi) -> None:
    paragraphs = [f"Mục {n}. " + "số liệu chỉ tiêu " * 100 for n in range(1, 4)]
    await client.send_text(USER, "\n\n".join(paragraphs))
    texts = [message["text"] for message in await fake.wait_for_messages_async(USER, 3)]
    assert texts == [paragraph.strip() for paragraph in paragraphs]
    assert all(size(text) <= 2000 for text in texts)


async def test_buttons_send_their_payload_and_overflow_into_follow_ups(
    client: ZaloClient, fake: FakeZaloApi
) -> None:
    units = [(f"Đơn vị {n}", f"unit:{n}") for n in range(1, 8)]
    ids = await client.send_buttons(USER, "Chọn đơn vị báo cáo:", units)
    first, second = fake.sent_to(USER)
    assert len(ids) == 2
    assert first["text"] == "Chọn đơn vị báo cáo:" and second["text"] == client.config.continuation_text
    assert fake.buttons_of(first) + fake.buttons_of(second) == units
    kinds = {b["type"] for m in (first, second) for b in m["attachment"]["payload"]["buttons"]}
    assert kinds == {"oa.query.show"}


async def test_hidden_payload_buttons(client: ZaloClient, fake: FakeZaloApi) -> None:
    await client.send_buttons(USER, "Gửi số liệu?", [("Có", "yes"), ("Không", "no")], hide_payload=True)
    (message,) = fake.sent_to(USER)
    assert [b["type"] for b in message["attachment"]["payload"]["buttons"]] == ["oa.query.hide"] * 2


async def test_long_prompt_goes_first_and_buttons_ride_on_its_last_part(
    client: ZaloClient, fake: FakeZaloApi
) -> None:
    prompt = "Hướng dẫn. " * 300 + "\n\nChọn một:"
    await client.send_buttons(USER, prompt, [("A", "a")])
    *before, last = fake.sent_to(USER)
    assert before and all("attachment" not in message for message in before)
    assert last["text"].endswith("Chọn một:") and fake.buttons_of(last) == [("A", "a")]


async def test_bad_button_payload_is_refused_before_sending(client: ZaloClient, fake: FakeZaloApi) -> None:
    with pytest.raises(ValueError):
        await client.send_buttons(USER, "?", [("Dài quá", "x" * 1001)])
    assert fake.calls == []


async def test_image_is_uploaded_then_sent_with_caption(client: ZaloClient, fake: FakeZaloApi) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    await client.send_image(USER, png, "Biểu đồ tiến độ quý I")
    (message,) = fake.sent_to(USER)
    element = message["attachment"]["payload"]["elements"][0]
    assert message["text"] == "Biểu đồ tiến độ quý I" and element["media_type"] == "image"
    assert fake.upload(element["attachment_id"]) == ("image.png", png)


async def test_oversized_image_is_refused_locally(client: ZaloClient, fake: FakeZaloApi) -> None:
    with pytest.raises(ZaloError, match="over Zalo's limit"):
        await client.send_image(USER, b"\0" * (1024 * 1024 + 1), "")
    assert fake.calls == []


async def test_file_is_uploaded_then_sent(client: ZaloClient, fake: FakeZaloApi) -> None:
    pdf = b"%PDF-1.7 bao cao"
    await client.send_file(USER, "bao-cao-quy-1.pdf", pdf)
    (message,) = fake.sent_to(USER)
    assert message["attachment"]["type"] == "file"
    assert fake.upload(message["attachment"]["payload"]["token"]) == ("bao-cao-quy-1.pdf", pdf)


async def test_xlsx_is_refused_as_the_docs_list_only_pdf_doc_docx(client: ZaloClient) -> None:
    with pytest.raises(ZaloError) as raised:
        await client.send_file(USER, "bao-cao.xlsx", b"PK\x03\x04")
    assert raised.value.code == -201


async def test_zns_template(client: ZaloClient, fake: FakeZaloApi) -> None:
    msg_id = await client.send_zns(
        "84987654321", "231456", {"ten": "Chị Lan", "han": "25/03"}, "remind-7-2026-03"
    )
    assert msg_id
    assert fake.zns_sent == [
        {
            "phone": "84987654321",
            "template_id": "231456",
            "template_data": {"ten": "Chị Lan", "han": "25/03"},
            "tracking_id": "remind-7-2026-03",
        }
    ]
    with pytest.raises(ZaloError) as raised:
        await client.send_zns("not-a-phone", "231456", {"ten": "x"}, "t")
    assert raised.value.code == -108


async def test_user_who_never_wrote_is_outside_the_window(make_client: ClientFactory) -> None:
    with pytest.raises(ZaloOutsideWindow) as raised:
        await make_client().send_text("stranger", "chào")
    assert raised.value.code == -232 and not raised.value.retryable


async def test_user_silent_for_more_than_seven_days_is_outside_the_window(
    make_client: ClientFactory, fake: FakeZaloApi
) -> None:
    fake.user_wrote("silent", hours_ago=8 * 24)
    fake.user_wrote("recent", hours_ago=3 * 24)
    client = make_client()
    with pytest.raises(ZaloOutsideWindow) as raised:
        await client.send_text("silent", "nhắc hạn")
    assert raised.value.code == -230
    assert await client.send_text("recent", "nhắc hạn")


async def test_rate_limit_is_typed_and_retryable(client: ZaloClient, fake: FakeZaloApi) -> None:
    fake.fail_with(200, for_seconds=5, error=-32)
    with pytest.raises(ZaloRateLimited) as raised:
        await client.send_text(USER, "x")
    assert raised.value.retryable
    fake.fail_with(429, for_seconds=5)
    with pytest.raises(ZaloRateLimited):
        await client.send_text(USER, "x")


async def test_server_errors_are_retryable_and_pass(client: ZaloClient, fake: FakeZaloApi) -> None:
    fake.fail_with(502, for_seconds=0.3)
    with pytest.raises(ZaloUnavailable) as raised:
        await client.send_text(USER, "x")
    assert raised.value.retryable
    await asyncio.sleep(0.35)
    assert await client.send_text(USER, "x")


async def test_timeouts_are_retryable(make_client: ClientFactory, fake: FakeZaloApi) -> None:
    fake.user_wrote(USER)
    fake.fail_with(200, for_seconds=5, error=0, delay=1.0)
    with pytest.raises(ZaloUnavailable, match="timed out"):
        await make_client(timeout_seconds=0.2).send_text(USER, "x")


async def test_unreachable_zalo_is_retryable(make_client: ClientFactory) -> None:
    client = make_client(api_base_url="http://127.0.0.1:9")
    with pytest.raises(ZaloUnavailable, match="unreachable"):
        await client.send_text(USER, "x")
