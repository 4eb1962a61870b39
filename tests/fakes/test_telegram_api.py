"""The fake Bot API proven with the real PTB stack over real HTTP (and, for the wire rules, raw httpx)."""

from __future__ import annotations

import asyncio
import html
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import Bot, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.fakes import telegram_api
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_html import EntityParseError, parse_html
from tests.fakes.telegram_users import DEFAULT_GROUP_ID, tiny_png

fake_telegram = telegram_api.fake_telegram  # the shared fixture; a conftest can import it the same way

USER = 1001
OTHER_USER = 1002


# -- a tiny echo bot ------------------------------------------------------------------------------
async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies to /start with the deep-link payload and a yes/no keyboard."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Đồng ý", callback_data="yes"),
                InlineKeyboardButton("Không", callback_data="no"),
            ]
        ]
    )
    await update.effective_message.reply_text(
        f"Xin chào! payload={' '.join(context.args)}", reply_markup=keyboard
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echoes text back in HTML, escaped."""
    await update.message.reply_html(f"<b>Bạn nói:</b> {html.escape(update.message.text)}")


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a button press and replaces the keyboard message with the choice."""
    query = update.callback_query
    await query.answer(f"Đã chọn {query.data}")
    await query.edit_message_text(f"Bạn chọn: {query.data}")


async def reverse_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Downloads a user's document and sends it back reversed."""
    document = update.message.document
    content = bytes(await (await document.get_file()).download_as_bytearray())
    await update.message.reply_document(
        content[::-1], filename=f"reversed-{document.file_name}", caption=f"{len(content)} bytes"
    )


async def describe_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Says what kind of media arrived."""
    message = update.message
    described = (
        f"sticker {message.sticker.emoji}" if message.sticker else f"photo {message.photo[-1].width}px"
    )
    await message.reply_text(described)


async def note_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remembers users who blocked the bot."""
    if update.my_chat_member.new_chat_member.status == "kicked":
        context.bot_data.setdefault("blocked", set()).add(update.effective_user.id)


def build_echo_bot(fake: FakeBotApi) -> Application:
    """The echo bot wired to the fake."""
    app = fake.application_builder().build()
    app.add_handler(CommandHandler("start", greet))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.Document.ALL, reverse_document))
    app.add_handler(MessageHandler(filters.PHOTO | filters.Sticker.ALL, describe_media))
    app.add_handler(CallbackQueryHandler(choose))
    app.add_handler(ChatMemberHandler(note_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    return app


@pytest.fixture
async def echo_bot(fake_telegram: FakeBotApi) -> AsyncIterator[Application]:
    """The echo bot polling the fake inside the test's event loop."""
    app = build_echo_bot(fake_telegram)
    async with app:
        await app.bot.set_my_commands([("start", "Bắt đầu"), ("help", "Trợ giúp")])
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=5)
        yield app
        await app.updater.stop()
        await app.stop()


# -- dialogues through PTB ------------------------------------------------------------------------
async def test_deep_link_button_press_and_edit(fake_telegram: FakeBotApi, echo_bot: Application) -> None:
    fake_telegram.user_sends_command(USER, "start", "unit-42", first_name="Lan")
    [greeting] = await fake_telegram.wait_for_messages_async(USER, 1)
    assert greeting.text == "Xin chào! payload=unit-42"
    assert greeting.button_texts == ["Đồng ý", "Không"]

    press = fake_telegram.user_presses_button(USER, greeting, "yes")
    await fake_telegram.wait_for_async(lambda: fake_telegram.last_message(USER).edits == 1)

    assert fake_telegram.callback_answer(press) == {
        "text": "Đã chọn yes",
        "show_alert": None,
        "url": None,
        "cache_time": None,
    }
    assert fake_telegram.last_message(USER).text == "Bạn chọn: yes"
    assert fake_telegram.buttons_of(greeting) == []  # editing without reply_markup drops the keyboard
    with pytest.raises(LookupError):
        fake_telegram.user_presses_button(USER, greeting, "no")  # nothing left to press
    assert fake_telegram.transcript(USER) == ["user: /start unit-42", "bot: Bạn chọn: yes"]


async def test_text_is_echoed_as_html_with_entities(fake_telegram: FakeBotApi, echo_bot: Application) -> None:
    fake_telegram.user_sends_text(USER, "a < b & R&D")
    [reply] = await fake_telegram.wait_for_messages_async(USER, 1)
    assert reply.text == "Bạn nói: a < b & R&D"
    assert reply.parse_mode == "HTML"
    assert reply.raw["entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    assert reply.raw["from"]["username"] == "chitieu_test_bot"


async def test_document_round_trip_with_download(fake_telegram: FakeBotApi, echo_bot: Application) -> None:
    fake_telegram.user_sends_document(
        USER, 'báo cáo "quý".csv', b"ma_don_vi,gia_tri\nA01,42\n", mime_type="text/csv"
    )
    [reply] = await fake_telegram.wait_for_messages_async(USER, 1)
    assert reply.kind == "document"
    assert reply.file.filename == 'reversed-báo cáo "quý".csv'
    assert reply.file.content == b"ma_don_vi,gia_tri\nA01,42\n"[::-1]
    assert reply.text == "25 bytes"
    assert [call.status for call in fake_telegram.calls("downloadFile")] == [200]


async def test_photo_sticker_group_command_and_commands(
    fake_telegram: FakeBotApi, echo_bot: Application
) -> None:
    fake_telegram.user_sends_photo(USER, width=640, height=480)
    fake_telegram.user_sends_sticker(USER, "🎉")
    fake_telegram.user_sends_command(OTHER_USER, "start", mention_bot=True, chat_type="group")
    await fake_telegram.wait_for_messages_async(USER, 2)
    [group_reply] = await fake_telegram.wait_for_messages_async(DEFAULT_GROUP_ID, 1)

    assert [m.text for m in fake_telegram.sent_to(USER)] == ["photo 640px", "sticker 🎉"]
    assert group_reply.text == "Xin chào! payload="
    assert fake_telegram.commands == [("start", "Bắt đầu"), ("help", "Trợ giúp")]
    assert [c.command for c in await echo_bot.bot.get_my_commands()] == ["start", "help"]


async def test_commands_per_chat_scope_and_language(fake_telegram: FakeBotApi, echo_bot: Application) -> None:
    fake_telegram.add_user(USER)
    bot = echo_bot.bot
    await bot.set_my_commands([("nop", "Nộp số liệu")], scope=BotCommandScopeChat(USER))
    await bot.set_my_commands([("start", "Start")], language_code="en")
    assert fake_telegram.commands_for({"type": "chat", "chat_id": USER}) == [("nop", "Nộp số liệu")]
    assert fake_telegram.commands_for(language_code="en") == [("start", "Start")]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(USER))] == ["nop"]
    with pytest.raises(BadRequest, match="[Cc]hat not found"):
        await bot.set_my_commands([("nop", "Nộp")], scope=BotCommandScopeChat(424242))
    with pytest.raises(BadRequest, match="[Ii]nvalid language code"):
        await bot.set_my_commands([("nop", "Nộp")], language_code="english")
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(USER))
    assert fake_telegram.commands_for({"type": "chat", "chat_id": USER}) == []


async def test_blocking_user_sends_my_chat_member_and_403(
    fake_telegram: FakeBotApi, echo_bot: Application
) -> None:
    fake_telegram.add_user(USER)
    fake_telegram.block_user(USER)
    await fake_telegram.wait_for_async(lambda: USER in echo_bot.bot_data.get("blocked", set()))
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await echo_bot.bot.send_message(USER, "nhắc nộp báo cáo")
    assert fake_telegram.stats.forbidden == 1


async def test_redelivered_update_is_handled_twice(fake_telegram: FakeBotApi, echo_bot: Application) -> None:
    update_id = fake_telegram.user_sends_text(USER, "một lần")
    await fake_telegram.wait_for_messages_async(USER, 1)
    fake_telegram.redeliver(update_id)
    await fake_telegram.wait_for_messages_async(USER, 2)
    assert fake_telegram.duplicates(USER) == 1


async def test_polling_survives_server_errors(fake_telegram: FakeBotApi, echo_bot: Application) -> None:
    fake_telegram.fail_with(500, methods="getUpdates", for_seconds=0.3)
    await fake_telegram.wait_for_async(lambda: fake_telegram.stats.server_errors)
    fake_telegram.user_sends_text(USER, "vẫn ở đây?")
    [reply] = await fake_telegram.wait_for_messages_async(USER, 1, timeout=8)
    assert reply.text == "Bạn nói: vẫn ở đây?"


# -- errors as PTB sees them ------------------------------------------------------------------------
async def test_flood_control_surfaces_as_retry_after(fake_telegram: FakeBotApi) -> None:
    fake_telegram.add_user(USER)
    fake_telegram.rate_limit(per_chat_per_second=1)
    async with fake_telegram.make_bot() as bot:
        await bot.send_message(USER, "một")
        with pytest.raises(RetryAfter, match=r"Retry in (1 seconds|0:00:01)"):
            await bot.send_message(USER, "hai")
    assert fake_telegram.calls("sendMessage")[-1].error == "Too Many Requests: retry after 1"
    assert fake_telegram.stats.rate_limited == 1
    assert fake_telegram.delivered(USER) == 1


async def test_bad_requests_and_forbidden(fake_telegram: FakeBotApi) -> None:
    fake_telegram.add_user(USER)
    fake_telegram.add_user(OTHER_USER, has_started=False)
    too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="đ" * 33)]])
    async with fake_telegram.make_bot() as bot:
        await bot.send_message(USER, "x" * 4096)
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(USER, "x" * 4097)
        with pytest.raises(BadRequest, match='(?i)unsupported start tag "script" at byte offset 3'):
            await bot.send_message(USER, "<b><script>alert(1)</script></b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match='(?i)find end tag corresponding to start tag "b"'):
            await bot.send_message(USER, "<b>đậm", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(USER, "chọn", reply_markup=too_long_data)
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(424242, "ai đó?")
        with pytest.raises(Forbidden, match="(?i)can't initiate conversation"):
            await bot.send_message(OTHER_USER, "chào")
        with pytest.raises(BadRequest, match="(?i)image_process_failed"):
            await bot.send_photo(USER, b"not an image")
        sent = await bot.send_message(USER, "giữ nguyên")
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text("giữ nguyên", chat_id=USER, message_id=sent.message_id)
    assert fake_telegram.stats.bad_requests == 7
    assert fake_telegram.delivered(USER) == 2


async def test_unknown_method_wrong_token_and_5xx(fake_telegram: FakeBotApi) -> None:
    async with fake_telegram.make_bot() as bot:
        with pytest.raises(EndPointNotFound, match="sendCarrierPigeon"):  # PTB's reading of a 404
            await bot.do_api_request("sendCarrierPigeon", api_kwargs={"chat_id": USER})
        fake_telegram.fail_with(502, methods="getMe", times=1)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_me()
        assert (await bot.get_me()).username == "chitieu_test_bot"
    stranger = Bot("987654321:not-the-right-one", base_url=fake_telegram.base_url)
    with pytest.raises(InvalidToken, match="rejected by the server"):  # PTB's reading of our 401
        async with stranger:
            pass


async def test_slow_reply_times_out_and_a_retry_duplicates(fake_telegram: FakeBotApi) -> None:
    fake_telegram.add_user(USER)
    fake_telegram.slow_down(1.0, methods="sendMessage", times=1)
    async with fake_telegram.make_bot(request=HTTPXRequest(read_timeout=0.3)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "báo cáo đã nhận")
        await bot.send_message(USER, "báo cáo đã nhận")  # the naive retry
    assert fake_telegram.delivered(USER) == 2
    assert fake_telegram.duplicates(USER, within=5) == 1


async def test_aio_rate_limiter_gets_everything_delivered(fake_telegram: FakeBotApi) -> None:
    fake_telegram.add_user(USER)
    fake_telegram.add_user(OTHER_USER)
    fake_telegram.rate_limit(per_second=30, per_chat_per_second=1)
    app = fake_telegram.application_builder().rate_limiter(AIORateLimiter(max_retries=5)).build()
    async with app:
        await asyncio.gather(
            *(app.bot.send_message(USER, f"tin {i}") for i in range(3)),
            *(app.bot.send_message(OTHER_USER, f"tin {i}") for i in range(2)),
        )
    assert sorted(m.text for m in fake_telegram.sent_to(USER)) == ["tin 0", "tin 1", "tin 2"]
    assert fake_telegram.stats.delivered == {USER: 3, OTHER_USER: 2}
    assert fake_telegram.stats.rate_limited >= 2


async def test_bot_uploads_keep_filename_and_bytes(fake_telegram: FakeBotApi) -> None:
    fake_telegram.add_user(USER)
    async with fake_telegram.make_bot() as bot:
        sent = await bot.send_document(
            USER,
            b"PK\x03\x04xlsx",
            filename="Báo cáo tháng 5.xlsx",
            caption="<i>Tổng hợp</i>",
            parse_mode="HTML",
        )
        await bot.send_document(USER, sent.document.file_id)  # re-send by file_id
        await bot.send_photo(USER, tiny_png(40, 30), caption="biểu đồ")
    first, again, photo = fake_telegram.sent_to(USER)
    assert (first.file.filename, first.file.content, first.text) == (
        "Báo cáo tháng 5.xlsx",
        b"PK\x03\x04xlsx",
        "Tổng hợp",
    )
    assert first.raw["caption_entities"] == [{"type": "italic", "offset": 0, "length": 8}]
    assert again.file == first.file
    assert (photo.kind, photo.raw["photo"][0]["width"], photo.text) == ("photo", 40, "biểu đồ")


# -- webhook --------------------------------------------------------------------------------------
async def test_webhook_delivery_with_and_without_the_secret(fake_telegram: FakeBotApi,
                                                           catalog_sqlite_url: str) -> None:
    """The fake delivers to a webhook with the secret of setWebhook: to the bot's own route (bot.server;
    PTB's tornado webhook server is not a dependency)."""
    from tests.helpers.server import webhook_app, webhook_bot

    port = _free_port()
    bot_app = webhook_app(catalog_sqlite_url, fake_telegram, port)
    try:
        async with webhook_bot(bot_app) as url:
            assert fake_telegram.webhook["url"] == url
            update_id = fake_telegram.user_sends_text(USER, "/huongdan")

            assert await fake_telegram.deliver_via_webhook_async(update_id, secret_token="wrong") == 403
            assert await fake_telegram.deliver_via_webhook_async(update_id, secret_token=None) == 403
            assert await fake_telegram.deliver_via_webhook_async(update_id) == 200
            [reply] = await fake_telegram.wait_for_messages_async(USER, 1)
            with pytest.raises(Conflict, match="(?i)webhook is active"):
                await Bot(fake_telegram.token, base_url=fake_telegram.base_url).get_updates()
    finally:
        bot_app.close()
    assert reply.text
    assert (await _raw_get_webhook_info(fake_telegram))["pending_update_count"] == 0


async def _raw_get_webhook_info(fake: FakeBotApi) -> dict:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{fake.base_url}{fake.token}/getWebhookInfo")).json()["result"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- a bot in a subprocess, observed with the blocking helpers --------------------------------------
SUBPROCESS_BOT = """
import os
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def echo(update, context):
    await update.message.reply_text("echo: " + update.message.text)

app = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(os.environ["TELEGRAM_BASE_URL"])
       .base_file_url(os.environ["TELEGRAM_BASE_FILE_URL"]).build())
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=2)
"""


def test_bot_in_a_subprocess(fake_telegram: FakeBotApi) -> None:
    fake_telegram.user_sends_text(USER, "xin chào")  # waits in the queue until the bot polls
    bot = subprocess.Popen(
        [sys.executable, "-c", SUBPROCESS_BOT],
        env={**os.environ, **fake_telegram.env()},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        [reply] = fake_telegram.wait_for_messages(USER, 1, timeout=20)
        fake_telegram.user_sends_text(USER, "lần hai")
        fake_telegram.wait_for_messages(USER, 2)
    finally:
        bot.terminate()
        _, errors = bot.communicate(timeout=10)
    assert reply.text == "echo: xin chào", errors
    assert fake_telegram.transcript(USER)[-1] == "bot: echo: lần hai"


async def test_blocking_waits_refuse_to_freeze_the_event_loop(fake_telegram: FakeBotApi) -> None:
    with pytest.raises(RuntimeError, match="wait_for_async"):
        fake_telegram.wait_for_messages(USER, 1, timeout=0.1)


# -- getUpdates rules, straight over HTTP ----------------------------------------------------------
@pytest.fixture
def api(fake_telegram: FakeBotApi) -> Iterator[httpx.Client]:
    """A raw HTTP client for the fake's Bot API methods."""
    with httpx.Client(base_url=f"{fake_telegram.base_url}{fake_telegram.token}/") as client:
        yield client


def test_get_updates_offset_limit_redelivery_and_prompt_long_poll(
    fake_telegram: FakeBotApi, api: httpx.Client
) -> None:
    first = fake_telegram.user_sends_text(USER, "một")
    second = fake_telegram.user_sends_text(USER, "hai")

    assert _ids(api.post("getUpdates", data={"limit": "1"})) == [first]
    assert _ids(api.post("getUpdates", json={"offset": first})) == [first, second]  # not confirmed yet
    assert _ids(api.post("getUpdates", data={"offset": str(second + 1)})) == []

    threading.Timer(0.2, fake_telegram.user_sends_text, (USER, "ba")).start()
    started = time.monotonic()
    third = _ids(api.post("getUpdates", data={"offset": str(second + 1), "timeout": "10"}, timeout=15))
    assert len(third) == 1 and time.monotonic() - started < 2

    fake_telegram.redeliver(first)
    assert _ids(api.post("getUpdates", params={"offset": third[0] + 1})) == [first]
    assert _ids(api.post("getUpdates", params={"offset": third[0] + 1})) == []


def test_allowed_updates_and_concurrent_polls(fake_telegram: FakeBotApi, api: httpx.Client) -> None:
    fake_telegram.user_sends_text(USER, "bỏ qua")
    assert _ids(api.post("getUpdates", data={"allowed_updates": '["callback_query"]'})) == []

    answers: list[httpx.Response] = []
    older = threading.Thread(target=lambda: answers.append(api.post("getUpdates", data={"timeout": "5"})))
    older.start()
    time.sleep(0.3)  # let the older long poll reach the server
    api.post("getUpdates", data={"timeout": "0"})
    older.join(5)
    assert answers[0].status_code == 409
    assert "terminated by other getUpdates request" in answers[0].json()["description"]


def _ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [update["update_id"] for update in response.json()["result"]]


# -- Telegram's HTML rules ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>đậm <i>nghiêng</i></b>", "đậm nghiêng", [("bold", 0, 11), ("italic", 4, 7)]),
        ("😀 <u>x</u>", "😀 x", [("underline", 3, 1)]),  # offsets count UTF-16 units
        ("a &lt; b &amp;&amp; R&D &nbsp;&#65;", "a < b && R&D &nbsp;A", []),
        ('<pre><code class="language-python">x</code></pre>', "x", [("pre", 0, 1)]),
        ('<a href="https://t.me/x">link</a>', "link", [("text_link", 0, 4)]),
    ],
)
def test_html_entities(source: str, text: str, entities: list[tuple[str, int, int]]) -> None:
    parsed_text, parsed = parse_html(source)
    assert parsed_text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed] == entities


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_html_errors(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(source)
    assert str(raised.value) == error
