"""Inbound text is capped at 4,096 characters on every channel before any parsing (issue 19, Low).

A longer message gets a short Vietnamese reply (how long it was, the limit, what to do), nothing is parsed or
stored and the person stays where they were. Up to the limit, input built to make the parsers backtrack
(markers, runs of raw whitespace) is handled like any other answer. How long the parsers take on such input is
printed by `bench` (`python -m bench.parsing`), never asserted here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app import App
from conversations.messages import MAX_INBOUND_CHARS, ButtonIn
from tests.bot.test_console import chitieu
from tests.conversations.test_submission import open_q4, stored
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app
from tests.security.test_hostile_input import position

TOO_LONG = "Tin nhắn dài {n} ký tự, quá giới hạn 4.096 ký tự nên bot chưa đọc và chưa lưu gì."
SPLIT_IT = "Anh/Chị vui lòng chia thành nhiều tin ngắn hơn"


def test_the_limit_is_telegrams_own() -> None:
    assert MAX_INBOUND_CHARS == 4096


def test_a_message_over_the_limit_is_refused_at_a_figure_and_the_question_asked_again(
        app: App, registered: Callable[..., Chat]) -> None:
    chat = registered("QUANGTRI")
    open_q4(chat)
    before = position(app, chat)
    chat.send("~" * 200_000)
    assert TOO_LONG.format(n="200.000") in chat.text and SPLIT_IT in chat.text
    assert chat.title.startswith("Chỉ tiêu 1 · câu"), "the question on screen is shown again"
    assert stored(app) == {} and position(app, chat) == before
    chat.send("62/38" + " " * (MAX_INBOUND_CHARS - 5 + 1))  # one over: refused, even though it would parse
    assert TOO_LONG.format(n="4.097") in chat.text and stored(app) == {}
    chat.send("62/38" + " " * (MAX_INBOUND_CHARS - 5))  # exactly the limit: read as usual
    assert "Đã lưu: 62%/38%" in chat.text


def test_commands_and_buttons_over_the_limit_are_refused_everywhere(app: App, registered: Callable[..., Chat]) -> None:
    idle = registered("HANOI")
    idle.send("/nop " + "2026-Q4 " * 1_000)
    assert TOO_LONG.format(n="8.004") in idle.text
    idle.send("/tonghop " + "x" * 5_000)
    assert TOO_LONG.format(n="5.009") in idle.text
    idle.event(ButtonIn("cmd:nop " + "9" * 5_000))
    assert TOO_LONG.format(n="5.008") in idle.text
    stranger = Chat(app.dialogue_service(), "stranger")
    stranger.send("A" * 10_000)
    assert TOO_LONG.format(n="10.000") in stranger.text
    stranger.send(f"{invite(app, 'HUE')}")
    assert "đã được đăng ký" in stranger.text, "a fair message after a refused one is handled as usual"


def test_english_speakers_get_the_reply_in_english(app: App, registered: Callable[..., Chat]) -> None:
    chat = registered("HUE")
    chat.send("/lang en")
    chat.send("a" * 5_000)
    assert "Your message is 5,000 characters long, over the limit of 4,096" in chat.text


def test_input_built_to_backtrack_is_answered_like_any_other_up_to_the_limit(
        app: App, registered: Callable[..., Chat]) -> None:
    """Markers and runs of raw whitespace that made the parsers quadratic, each just under the limit."""
    chat = registered("QUANGTRI")
    open_q4(chat)
    n = MAX_INBOUND_CHARS
    for hostile in ("x" + "~" * (n - 2) + "y", "~" * n, "12 ~" + ",;" * ((n - 5) // 2) + "x",
                    "c" + "\t" * (n - 2) + "(", "1 tháng 1" + " " * (n - 10) + "x", "12" + " " * (n - 3) + "x",
                    "c\n" + ("1 \t" * ((n - 2) // 3))):
        chat.send(hostile)
        assert "Chưa nhận được" in chat.text or "Anh/Chị" in chat.text, chat.text[:200]
        assert chat.title.startswith("Chỉ tiêu 1 · câu"), (hostile[:20], chat.title)
    assert stored(app) == {}
    chat.send("62/38" + "~" * (n - 5))  # a fair figure with a long provisional marker
    assert "Đã lưu: 62%/38% (tạm ước tính)" in chat.text
    assert stored(app)["ct1"].provisional


def test_console_refuses_a_200k_line_and_carries_on(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert chitieu(["db", "upgrade"], db).returncode == 0
    assert chitieu(["catalog", "load"], db).returncode == 0
    code = chitieu(["invite", "--unit", "QUANGTRI"], db).stdout.split()[1]
    script = "\n".join([f"/start {code}", "/nop 2026-Q4", "~" * 200_000, "62/38", ""])
    result = chitieu(["run"], db, script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert TOO_LONG.format(n="200.000") in result.stdout
    assert "Đã lưu: 62%/38%" in result.stdout
    assert "Đã lưu: 62%/38% (tạm ước tính)" not in result.stdout, "nothing of the refused line was kept"


async def test_telegram_refuses_an_overlong_update(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    """The Bot API itself caps messages at 4,096; a forged or future update longer than that is refused too."""
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    code = invite(app, "QUANGTRI")
    user = TelegramUser(fake_telegram, 1009)
    async with running_bot(app):
        await user.say(f"/start {code}")
        await user.say("/nop 2026-Q4")
        await user.say("9" * 50_000, expect=2)  # the refusal, then the question on screen again
        refusal, question = fake_telegram.sent_to(1009)[-2:]
        assert TOO_LONG.format(n="50.000") in refusal.text and question.text.startswith("Chỉ tiêu 1 · câu")
        saved = await user.say("62/38")
        assert "Đã lưu: 62%/38%" in saved.text
    app.close()
